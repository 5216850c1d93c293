"""Locations from geometries: the file's own (reprojected from its CRS) or a WKT column.

A geometry's representative point (a point on its surface) is its location for district
assignment; the geometry itself is kept for custom layers. Files without a CRS get one guessed
from their values, and the guess is reported as a hint rather than made silently.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from geodata.crs import BNG, WGS84
from layers.imports.located import Located, lonlat_swapped, missing_cells
from layers.imports.readers import RawTable
from layers.imports.report import Problems
from layers.imports.safety import ImportRefused

logger = logging.getLogger(__name__)


def from_wkt(frame: pd.DataFrame, column: str, problems: Problems) -> Located:
    """Locate rows by WKT (optionally ``SRID=n;`` prefixed, as PostGIS writes EWKT)."""
    values = frame[column].astype("string")
    empty = missing_cells(problems, frame, [column], "geometry")
    srid = values.str.extract(r"^\s*SRID=(\d+);", expand=False)
    text = values.str.replace(r"^\s*SRID=\d+;", "", regex=True)
    raw = text.to_numpy(dtype=object, na_value=None)
    geoms = shapely.from_wkt(np.where(empty, None, raw), on_invalid="ignore")
    bad = ~empty & shapely.is_missing(geoms)
    problems.add(bad, column, "{value} is not valid WKT", frame[column])
    hints: list[str] = []
    codes = srid.dropna().unique()
    crs = _srid_crs(str(codes[0]), column) if len(codes) == 1 else None
    if crs is None:
        crs = guess_crs(geoms, hints, f"WKT in '{column}'")
    table = RawTable(frame=frame, rows=problems.rows, row_label="", geometry=geoms, crs=crs)
    located = from_geometry(table, problems, already=bad | empty)
    located.method = f"WKT geometries in '{column}' ({crs})"
    located.columns = {"wkt": column}
    located.hints = hints + located.hints
    return located


def _srid_crs(code: str, column: str) -> str:
    try:
        return str(CRS.from_epsg(int(code)).to_string())
    except CRSError:
        raise ImportRefused(
            f"the WKT in '{column}' names SRID {code}, which is not a coordinate system OpsMap "
            "knows; use SRID=27700 (British National Grid) or SRID=4326 (WGS84)."
        ) from None


def guess_crs(geoms: np.ndarray, hints: list[str], what: str) -> str:
    """WGS84 when every coordinate fits in degrees, otherwise British National Grid (a hint)."""
    present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    if not present.any():
        return WGS84
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms[present])
    if xmin >= -180 and xmax <= 180 and ymin >= -90 and ymax <= 90:
        hints.append(
            f"{what} has no coordinate system; its values look like degrees, so WGS84 was assumed."
        )
        return WGS84
    hints.append(
        f"{what} has no coordinate system; its values look like metres, so British National Grid "
        "was assumed."
    )
    return BNG


def from_geometry(
    table: RawTable, problems: Problems, already: np.ndarray | None = None
) -> Located:
    """Locate rows by the table's geometries, reprojected to WGS84 (``already``: rows to skip)."""
    geoms = np.asarray(table.geometry, dtype=object)
    n = len(geoms)
    skip = np.zeros(n, dtype=bool) if already is None else already
    missing = ~skip & (shapely.is_missing(geoms) | shapely.is_empty(geoms))
    problems.add(missing, None, f"{table.row_label or 'row'} has no geometry")
    hints: list[str] = []
    crs = table.crs or guess_crs(geoms, hints, "The file")
    usable = geoms.copy()
    usable[missing | skip] = None
    series = gpd.GeoSeries(usable, crs=crs)
    if series.crs is not None and series.crs.to_epsg() != 4326:
        series = series.to_crs(WGS84)
    wgs = np.asarray(series.array, dtype=object)
    present = ~shapely.is_missing(wgs)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    if present.any():
        centre = shapely.point_on_surface(wgs[present])
        lon[present] = shapely.get_x(centre)
        lat[present] = shapely.get_y(centre)
    if lonlat_swapped(lon, lat, np.isfinite(lon) & np.isfinite(lat)):
        hints.append(
            "the geometries' x and y look swapped (latitude written first): most would "
            "be in Lancashire the other way round. Export the file again with longitude "
            "first (GeoJSON requires it)."
        )
    return Located(
        lon,
        lat,
        f"the file's own geometry ({table.crs or 'guessed'}, reprojected to WGS84)",
        columns={"geometry": "(file geometry)"},
        geometry=wgs,
        hints=hints,
        point_mask=present & (shapely.get_type_id(wgs) == 0),
    )
