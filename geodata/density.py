"""Aggregating many points into square cells, so a map stays usable at any data size.

Binning happens in British National Grid metres: cells are true squares on the ground and the
result is the same whatever the zoom, which keeps counts honest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DENSE_LIMIT = 4_000_000
"""Largest grid (cells) counted with a dense bincount; sparser extents sort instead."""


@dataclass(frozen=True)
class Cells:
    """Occupied cells: centre coordinates (BNG metres) and how many points fall in each."""

    easting: np.ndarray
    northing: np.ndarray
    count: np.ndarray


def grid_cells(easting: np.ndarray, northing: np.ndarray, cell_m: float) -> Cells:
    """Count points per ``cell_m`` square cell; only occupied cells are returned.

    Vectorised: the points are keyed to integer cell indices and counted with ``np.unique``.
    """
    if cell_m <= 0:
        raise ValueError("cell size must be positive")
    e = np.asarray(easting, dtype=np.float64)
    n = np.asarray(northing, dtype=np.float64)
    ok = np.isfinite(e) & np.isfinite(n)
    ix = np.floor(e[ok] / cell_m).astype(np.int64)
    iy = np.floor(n[ok] / cell_m).astype(np.int64)
    if len(ix) == 0:
        empty = np.empty(0)
        return Cells(empty, empty, np.empty(0, dtype=np.int64))
    x0, y0 = ix.min(), iy.min()
    nx, ny = int(ix.max() - x0 + 1), int(iy.max() - y0 + 1)
    if nx * ny <= DENSE_LIMIT:  # a dense grid: one bincount, no sort
        dense = np.bincount((ix - x0) * ny + (iy - y0), minlength=nx * ny)
        occupied = np.flatnonzero(dense)
        counts = dense[occupied]
        gx, gy = occupied // ny + x0, occupied % ny + y0
    else:
        uniq, counts = np.unique((ix - x0) * ny + (iy - y0), return_counts=True)
        gx, gy = uniq // ny + x0, uniq % ny + y0
    return Cells((gx + 0.5) * cell_m, (gy + 0.5) * cell_m, counts)


def cell_size_for(count: int, extent_m: float, target_cells: int = 2_000) -> float:
    """A cell size (rounded to 250 m steps) giving about ``target_cells`` cells over the extent."""
    if count <= 0:
        return 1_000.0
    raw = extent_m / max(np.sqrt(target_cells), 1.0)
    return float(max(250.0, np.round(raw / 250.0) * 250.0))
