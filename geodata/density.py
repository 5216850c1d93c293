"""Aggregating many points into square cells, so a map stays usable at any data size.

Binning happens in British National Grid metres: cells are true squares on the ground and the
result is the same whatever the zoom, which keeps counts honest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


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
    keys = ix * 1_000_000 + iy
    uniq, counts = np.unique(keys, return_counts=True)
    cx = (uniq // 1_000_000 + 0.5) * cell_m
    cy = (uniq % 1_000_000 + 0.5) * cell_m
    return Cells(cx, cy, counts)


def cell_size_for(count: int, extent_m: float, target_cells: int = 2_000) -> float:
    """A cell size (rounded to 250 m steps) giving about ``target_cells`` cells over the extent."""
    if count <= 0:
        return 1_000.0
    raw = extent_m / max(np.sqrt(target_cells), 1.0)
    return float(max(250.0, np.round(raw / 250.0) * 250.0))
