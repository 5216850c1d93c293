"""Vectorised point-in-district assignment: which district and division each location is in.

Every imported location is tagged with its district so it can be filtered and tasked by
division. The index holds the 14 prepared polygons and their bounding boxes; a point is tested
only against districts whose box contains it, using shapely 2's array ``contains_xy``, so a
million points take a fraction of a second.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import ArrayLike

from geodata.crs import WGS84
from geodata.force import DISTRICT_BY_CODE, OUTSIDE

logger = logging.getLogger(__name__)

OUTSIDE_NAME = "Outside force area"
GRID_CELLS = 256
EDGE = -2  # grid value: a district edge crosses this cell, test its points exactly


def _column_or_force(gdf: gpd.GeoDataFrame, column: str, force: list[str]) -> np.ndarray:
    """The boundaries' own ``column`` as text, or (when they have none) the force's values."""
    if column in gdf.columns:
        return gdf[column].astype(str).to_numpy(object)
    return np.array(force, dtype=object)


@dataclass(frozen=True, eq=False)
class DistrictIndex:
    """Prepared district polygons (EPSG:4326) with their codes, names and divisions.

    Build with :meth:`from_boundaries` (about half a second: it also precomputes a lookup
    grid). ``assign`` answers an int16 index into
    ``district_codes`` (-1 outside); ``codes``/``names``/``divisions`` turn indices into labels.
    """

    district_codes: np.ndarray
    district_names: np.ndarray
    district_divisions: np.ndarray
    polygons: np.ndarray
    bounds: np.ndarray
    grid: np.ndarray
    grid_origin: tuple[float, float]
    grid_step: tuple[float, float]
    _codes_ext: np.ndarray = field(init=False, repr=False)
    _names_ext: np.ndarray = field(init=False, repr=False)
    _divisions_ext: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Label arrays with one extra trailing entry, so index -1 (outside) maps to it directly.
        object.__setattr__(self, "_codes_ext", np.append(self.district_codes, OUTSIDE))
        object.__setattr__(self, "_names_ext", np.append(self.district_names, OUTSIDE_NAME))
        object.__setattr__(self, "_divisions_ext", np.append(self.district_divisions, OUTSIDE))

    @classmethod
    def from_boundaries(cls, gdf: gpd.GeoDataFrame, grid_cells: int = GRID_CELLS) -> DistrictIndex:
        """Build the index from boundaries with ``code`` (and ideally ``name``, ``division``).

        Usually given the output of :func:`geodata.boundaries.validate_boundaries`; any
        polygon layer with a CRS and a ``code`` column works (useful for tests). Missing names
        and divisions are filled from the known districts, else the code / ``"outside"``.

        Parameters
        ----------
        gdf
            District polygons with a CRS and a ``code`` column.
        grid_cells
            Cells per side of the lookup grid over the area's bounding box; cells not crossed
            by any district edge answer their points without a polygon test.

        Raises
        ------
        ValueError
            No CRS or no ``code`` column.
        """
        if gdf.crs is None:
            raise ValueError(
                "district boundaries have no CRS; set it (e.g. set_crs('EPSG:4326')) first"
            )
        if "code" not in gdf.columns:
            raise ValueError("district boundaries need a 'code' column (validate them first)")
        gdf = gdf.to_crs(WGS84)
        codes = gdf["code"].astype(str).to_numpy(object)
        names = _column_or_force(
            gdf, "name", [DISTRICT_BY_CODE[c].name if c in DISTRICT_BY_CODE else c for c in codes]
        )
        divisions = _column_or_force(
            gdf,
            "division",
            [DISTRICT_BY_CODE[c].division if c in DISTRICT_BY_CODE else OUTSIDE for c in codes],
        )
        polygons = np.asarray(gdf.geometry.to_numpy(), dtype=object).copy()
        shapely.prepare(polygons)
        bounds = shapely.bounds(polygons)
        grid, origin, step = _edge_grid(polygons, bounds, grid_cells)
        return cls(codes, names, divisions, polygons, bounds, grid, origin, step)

    def __len__(self) -> int:
        return len(self.district_codes)

    def assign(self, lon: ArrayLike, lat: ArrayLike) -> np.ndarray:
        """The district of each point, as an int16 index (-1 outside or NaN coordinates).

        Points on a shared edge (inside two districts by ``contains``) go to the first
        district in index order; boundary points (``contains`` is strict) count as outside.

        Parameters
        ----------
        lon, lat
            WGS84 degrees, any shape (the answer has the same shape).
        """
        x = np.asarray(lon, dtype=np.float64)
        y = np.asarray(lat, dtype=np.float64)
        x, y = np.broadcast_arrays(x, y)
        shape = x.shape
        x = x.ravel()
        y = y.ravel()
        out = np.full(x.shape, -1, dtype=np.int16)
        if x.size == 0 or len(self) == 0:
            return out.reshape(shape)
        # Grid lookup: points in cells no district edge crosses take the cell's answer; only
        # points in edge cells (a few per cent) need exact polygon tests.
        ny, nx = self.grid.shape
        fx = (x - self.grid_origin[0]) / self.grid_step[0]
        fy = (y - self.grid_origin[1]) / self.grid_step[1]
        near = np.flatnonzero((fx >= 0) & (fx <= nx) & (fy >= 0) & (fy <= ny))
        ix = np.minimum(fx[near].astype(np.intp), nx - 1)
        iy = np.minimum(fy[near].astype(np.intp), ny - 1)
        cell = self.grid[iy, ix]
        out[near] = np.maximum(cell, -1)
        edge = near[cell == EDGE]
        out[edge] = _exact(self.polygons, self.bounds, x[edge], y[edge])
        return out.reshape(shape)

    def codes(self, idx: ArrayLike) -> np.ndarray:
        """District GSS codes for indices from :meth:`assign` (``"outside"`` for -1)."""
        return self._codes_ext[np.asarray(idx, dtype=np.intp)]

    def names(self, idx: ArrayLike) -> np.ndarray:
        """District names for indices (``"Outside force area"`` for -1)."""
        return self._names_ext[np.asarray(idx, dtype=np.intp)]

    def divisions(self, idx: ArrayLike) -> np.ndarray:
        """Division names for indices (``"outside"`` for -1)."""
        return self._divisions_ext[np.asarray(idx, dtype=np.intp)]

    def assign_codes(self, lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """``(district_code, division)`` object arrays of str; ``"outside"`` for both outside."""
        idx = self.assign(lon, lat)
        return self.codes(idx), self.divisions(idx)


def _exact(polygons: np.ndarray, bounds: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """District index of each point by bounding-box prefilter plus ``contains_xy``.

    Districts are tried in order and a point already placed is not tested again, so a point
    inside two (overlapping) districts goes to the first. NaN never passes the box test.
    """
    result = np.full(x.shape, -1, dtype=np.int16)
    for i, (minx, miny, maxx, maxy) in enumerate(bounds):
        cand = np.flatnonzero((x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy) & (result < 0))
        if cand.size:
            inside = shapely.contains_xy(polygons[i], x[cand], y[cand])
            result[cand[inside]] = i
    return result


def _edge_grid(
    polygons: np.ndarray, bounds: np.ndarray, cells: int
) -> tuple[np.ndarray, tuple[float, float], tuple[float, float]]:
    """A ``cells`` x ``cells`` grid over all districts: district index, -1, or :data:`EDGE`.

    A cell no district boundary touches lies wholly inside or outside each district, so its
    centre's answer holds for every point in it. Cells are widened by a hair before the edge
    test so rounding in the point-to-cell arithmetic can never misplace a point.
    """
    cells = max(int(cells), 1)
    if len(polygons) == 0:
        return np.full((1, 1), -1, dtype=np.int16), (0.0, 0.0), (1.0, 1.0)
    minx, miny = bounds[:, 0].min(), bounds[:, 1].min()
    maxx, maxy = bounds[:, 2].max(), bounds[:, 3].max()
    dx = max((maxx - minx) / cells, 1e-9)
    dy = max((maxy - miny) / cells, 1e-9)
    iy, ix = np.divmod(np.arange(cells * cells), cells)
    x0 = minx + ix * dx
    y0 = miny + iy * dy
    pad_x, pad_y = dx * 1e-6, dy * 1e-6
    boxes = shapely.box(x0 - pad_x, y0 - pad_y, x0 + dx + pad_x, y0 + dy + pad_y)
    _, crossed = shapely.STRtree(boxes).query(shapely.boundary(polygons), predicate="intersects")
    grid = _exact(polygons, bounds, x0 + dx / 2, y0 + dy / 2)
    grid[np.unique(crossed)] = EDGE
    logger.debug("district grid: %d of %d cells on an edge", np.unique(crossed).size, grid.size)
    return grid.reshape(cells, cells), (float(minx), float(miny)), (float(dx), float(dy))
