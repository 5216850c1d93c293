"""Where each row is: turn the detected location columns into WGS84 longitude and latitude.

Sources, in order of preference unless the analyst maps columns explicitly: the file's own
geometry (reprojected from its CRS), latitude/longitude, British National Grid easting/northing,
OS grid references, WKT, postcodes (through the offline geocoder). Which columns those are is
decided by :mod:`layers.imports.detect`; geometries are handled in
:mod:`layers.imports.geometries`. Every step is vectorised.

Likely mistakes are reported as hints rather than silently "fixed": latitude and longitude
swapped, easting and northing swapped, coordinates in another CRS than the columns claim.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
import pandas as pd

from geodata.crs import BNG, to_wgs84
from geodata.gridref import parse_gridrefs
from geodata.postcodes import PostcodeIndex
from layers.imports.detect import FORCE_BNG_BOX, GB_BNG_BOX, MERCATOR_BOX, in_box, numbers, share
from layers.imports.geometries import from_geometry, from_wkt
from layers.imports.located import Located, lonlat_swapped, looks_swapped, missing_cells
from layers.imports.readers import RawTable
from layers.imports.report import Problems
from layers.imports.safety import ImportRefused

logger = logging.getLogger(__name__)


class PostcodeLookup:
    """Callable turning postcode text into (lon, lat, normalised postcodes).

    Holds a factory rather than the index so the index is built or loaded only when a file
    actually needs geocoding.
    """

    def __init__(self, index_factory: Callable[[], PostcodeIndex]) -> None:
        self._factory = index_factory

    def __call__(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray, pd.Series]:
        result = self._factory().lookup(values)
        normalised = pd.Series(result.postcode, index=values.index, dtype=object)
        return result.lon, result.lat, normalised.where(normalised != "", None)


def locate(
    table: RawTable,
    roles: dict[str, str],
    problems: Problems,
    postcode_lookup: PostcodeLookup,
) -> Located:
    """Locate every row of ``table`` (see module docstring); unlocatable rows go to ``problems``."""
    frame = table.frame
    if table.geometry is not None and any(g is not None for g in table.geometry):
        return from_geometry(table, problems)
    if "lat" in roles and "lon" in roles:
        return _from_lonlat(frame, roles["lon"], roles["lat"], problems)
    if "easting" in roles and "northing" in roles:
        return _from_bng(frame, roles["easting"], roles["northing"], problems)
    if "gridref" in roles:
        return _from_gridref(frame, roles["gridref"], problems)
    if "wkt" in roles:
        return from_wkt(frame, roles["wkt"], problems)
    if "postcode" in roles:
        return _from_postcode(frame, roles["postcode"], problems, postcode_lookup)
    half = [r for r in ("lat", "lon", "easting", "northing") if r in roles]
    detail = f" (found only {', '.join(half)})" if half else ""
    columns = ", ".join(f"'{c}'" for c in frame.columns[:30])
    raise ImportRefused(
        f"no usable location column{detail}: the file's columns are {columns}. Add latitude and "
        "longitude, easting and northing, an OS grid reference, a postcode or a WKT column, or "
        "choose which columns hold the location in the column mapping (for example 'Lat' as "
        "lat and 'Long' as lon)."
    )


def _number_problems(
    frame: pd.DataFrame,
    first: str,
    second: str,
    values: tuple[np.ndarray, np.ndarray],
    words: tuple[str, str],
    problems: Problems,
) -> np.ndarray:
    """Empty and non-numeric cells of a coordinate pair; returns the rows with both numbers."""
    empty = missing_cells(problems, frame, [first, second], "location")
    a, b = values
    problems.add(~empty & np.isnan(a), first, f"{words[0]} {{value}} is not a number", frame[first])
    problems.add(
        ~empty & np.isnan(b) & ~np.isnan(a),
        second,
        f"{words[1]} {{value}} is not a number",
        frame[second],
    )
    return np.isfinite(a) & np.isfinite(b)


def _from_lonlat(frame: pd.DataFrame, lon_col: str, lat_col: str, problems: Problems) -> Located:
    lon, lat = numbers(frame[lon_col]), numbers(frame[lat_col])
    valid = _number_problems(
        frame, lat_col, lon_col, (lat, lon), ("latitude", "longitude"), problems
    )
    hints: list[str] = []
    if share(in_box(lon, lat, GB_BNG_BOX) & (lat > 1000), valid) >= 0.5:
        hints.append(
            f"'{lat_col}' and '{lon_col}' hold values like {lat[valid][0]:.0f}, which look "
            f"like British National Grid metres, not degrees: in the column mapping choose "
            f"'{lon_col}' as easting and '{lat_col}' as northing."
        )
    elif share(in_box(lon, lat, MERCATOR_BOX), valid) >= 0.5:
        hints.append(
            f"'{lat_col}' and '{lon_col}' look like Web Mercator metres, not degrees: export the "
            "file again in WGS84 (longitude/latitude) or British National Grid."
        )
    bad_lat = valid & (np.abs(lat) > 90)
    bad_lon = valid & (np.abs(lon) > 180)
    problems.add(bad_lat, lat_col, "latitude {value} is outside -90 to 90", frame[lat_col])
    problems.add(
        bad_lon & ~bad_lat, lon_col, "longitude {value} is outside -180 to 180", frame[lon_col]
    )
    ok = valid & ~bad_lat & ~bad_lon
    if lonlat_swapped(lon, lat, ok):
        hints.append(
            f"latitude and longitude look swapped: most points would be in Lancashire "
            f"with '{lat_col}' as longitude and '{lon_col}' as latitude. In the column mapping "
            f"choose '{lat_col}' as lon and '{lon_col}' as lat."
        )
    method = f"latitude/longitude columns '{lat_col}' and '{lon_col}' (WGS84)"
    return Located.where(ok, lon, lat, method, {"lat": lat_col, "lon": lon_col}, hints=hints)


def _from_bng(frame: pd.DataFrame, e_col: str, n_col: str, problems: Problems) -> Located:
    east, north = numbers(frame[e_col]), numbers(frame[n_col])
    valid = _number_problems(frame, e_col, n_col, (east, north), ("easting", "northing"), problems)
    hints: list[str] = []
    if share((np.abs(east) <= 180) & (np.abs(north) <= 90), valid) >= 0.5:
        hints.append(
            f"'{e_col}' and '{n_col}' hold values like {east[valid][0]:g}, which look "
            f"like degrees, not metres: in the column mapping choose '{e_col}' as lon and "
            f"'{n_col}' as lat."
        )
    outside_gb = valid & ~in_box(east, north, GB_BNG_BOX)
    problems.add(
        outside_gb,
        e_col,
        "easting/northing {value} is not a British National Grid coordinate (0-700000, 0-1300000)",
        pd.Series(east).astype(str) + ", " + pd.Series(north).astype(str),
    )
    ok = valid & ~outside_gb
    if looks_swapped(east, north, ok, FORCE_BNG_BOX):
        hints.append(
            "easting and northing look swapped: most points would be in Lancashire the "
            f"other way round. In the column mapping choose '{e_col}' as northing and "
            f"'{n_col}' as easting."
        )
    lon, lat = to_wgs84(np.where(ok, east, np.nan), np.where(ok, north, np.nan))
    method = f"British National Grid columns '{e_col}' and '{n_col}' ({BNG})"
    return Located.where(ok, lon, lat, method, {"easting": e_col, "northing": n_col}, hints=hints)


def _from_gridref(frame: pd.DataFrame, column: str, problems: Problems) -> Located:
    values = frame[column]
    empty = missing_cells(problems, frame, [column], "grid reference")
    east, north, _ok = parse_gridrefs(values.astype("string").fillna("").to_numpy(dtype=object))
    bad = ~empty & ~(np.isfinite(east) & np.isfinite(north))
    problems.add(bad, column, "{value} is not an OS grid reference (like SD 53843 29512)", values)
    ok = ~empty & ~bad
    lon, lat = to_wgs84(np.where(ok, east, np.nan), np.where(ok, north, np.nan))
    method = f"OS grid references in '{column}'"
    return Located.where(ok, lon, lat, method, {"gridref": column})


def _from_postcode(
    frame: pd.DataFrame, column: str, problems: Problems, lookup: PostcodeLookup
) -> Located:
    values = frame[column]
    empty = missing_cells(problems, frame, [column], "postcode")
    lon, lat, normalised = lookup(values.astype("string").fillna(""))
    unknown = ~empty & ~(np.isfinite(lon) & np.isfinite(lat))
    problems.add(unknown, column, "{value} is not a known UK postcode", values)
    ok = ~empty & ~unknown
    method = f"postcodes in '{column}' (offline geocoder, OS Code-Point Open)"
    return Located.where(ok, lon, lat, method, {"postcode": column}, postcodes=normalised)
