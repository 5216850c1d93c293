"""Where each row is: detect the location columns, turn them into lon/lat, hint at mistakes.

Sources, in order of preference unless the analyst maps columns explicitly: the file's own
geometry (reprojected from its CRS), latitude/longitude, British National Grid easting/northing,
OS grid references, WKT, postcodes (through the offline geocoder). Detection uses column names
first and, failing that, what the values look like. Every step is vectorised.

Likely mistakes are reported as hints rather than silently "fixed": latitude and longitude
swapped, easting and northing swapped, coordinates in another CRS than the columns claim.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.crs import BNG, WGS84, to_wgs84
from geodata.gridref import parse_gridrefs
from geodata.postcodes import PostcodeIndex
from layers.imports.readers import RawTable
from layers.imports.report import Problems
from layers.imports.safety import ImportRefused

logger = logging.getLogger(__name__)

LOCATION_ROLES: tuple[str, ...] = (
    "lat",
    "lon",
    "easting",
    "northing",
    "gridref",
    "postcode",
    "wkt",
)

SYNONYMS: dict[str, tuple[str, ...]] = {
    "lat": (
        "lat",
        "latitude",
        "lat_dd",
        "wgs84_lat",
        "gps_lat",
        "geotag_lat",
        "latitude_wgs84",
        "y_lat",
    ),
    "lon": (
        "lon",
        "long",
        "lng",
        "longitude",
        "lon_dd",
        "wgs84_lon",
        "gps_lon",
        "gps_lng",
        "geotag_lon",
        "geotag_lng",
        "longitude_wgs84",
        "x_lon",
    ),
    "easting": (
        "easting",
        "eastings",
        "east",
        "bng_easting",
        "os_easting",
        "x_bng",
        "grid_easting",
    ),
    "northing": (
        "northing",
        "northings",
        "north",
        "bng_northing",
        "os_northing",
        "y_bng",
        "grid_northing",
    ),
    "gridref": (
        "gridref",
        "grid_ref",
        "grid_reference",
        "os_grid_ref",
        "os_grid_reference",
        "ngr",
        "osgr",
        "os_grid",
        "grid",
    ),
    "postcode": ("postcode", "post_code", "postal_code", "pcode", "postcodes", "zip", "zipcode"),
    "wkt": ("wkt", "wkt_geom", "wkt_geometry", "geometry", "geom", "the_geom", "shape"),
}

FORCE_LONLAT_BOX = (-3.25, 53.45, -1.95, 54.3)
"""A generous box around the Lancashire police area (EPSG:4326) for plausibility hints."""
FORCE_BNG_BOX = (320_000.0, 398_000.0, 405_000.0, 482_000.0)
GB_BNG_BOX = (0.0, 0.0, 700_000.0, 1_300_000.0)
MERCATOR_BOX = (-380_000.0, 7_050_000.0, -200_000.0, 7_230_000.0)

_POSTCODE = re.compile(r"^\s*[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}\s*$")
_GRIDREF = re.compile(
    r"^\s*[A-Za-z]{2}\s*(\d{2}\s*\d{2}|\d{3}\s*\d{3}|\d{4}\s*\d{4}|\d{5}\s*\d{5})\s*$"
)
_WKT = re.compile(
    r"^\s*(SRID=\d+;)?\s*(MULTI)?(POINT|LINESTRING|POLYGON)|GEOMETRYCOLLECTION", re.IGNORECASE
)


def normalise_name(name: object) -> str:
    """A column name reduced for matching: ``'Latitude (WGS84)'`` -> ``'latitude_wgs84'``."""
    return re.sub(r"[^a-z0-9]+", "_", str(name).lower()).strip("_")


@dataclass
class Located:
    """Row locations in EPSG:4326 (NaN where a row could not be located) and how they were found."""

    lon: np.ndarray
    lat: np.ndarray
    method: str
    columns: dict[str, str] = field(default_factory=dict)
    geometry: np.ndarray | None = None
    postcodes: pd.Series | None = None
    hints: list[str] = field(default_factory=list)
    point_mask: np.ndarray | None = None
    """For file geometries: which rows are single points (built-in kinds need points)."""


def _empty(values: pd.Series) -> np.ndarray:
    blank = values.isna()
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        blank |= values.astype("string").str.strip().fillna("") == ""
    return blank.to_numpy(dtype=bool)


def numbers(values: pd.Series) -> np.ndarray:
    """Numbers from a column of text or numbers (NaN where a value is not a number)."""
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    text = values.astype("string").str.strip()
    return pd.to_numeric(text, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _in_box(x: np.ndarray, y: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    return (x >= box[0]) & (y >= box[1]) & (x <= box[2]) & (y <= box[3])


def _share(mask: np.ndarray, valid: np.ndarray) -> float:
    n = int(valid.sum())
    return float(mask[valid].sum()) / n if n else 0.0


def detect_roles(
    frame: pd.DataFrame, explicit: dict[str, str], exclude: set[str] | frozenset[str] = frozenset()
) -> dict[str, str]:
    """Location role -> column, from the explicit mapping (column -> role), then names, then values.

    Columns in ``exclude`` (already mapped to kind fields) are never taken as locations.
    """
    roles = {role: col for col, role in explicit.items() if role in LOCATION_ROLES}
    taken = set(explicit) | set(exclude)
    by_name = {normalise_name(c): c for c in frame.columns if c not in taken}
    for role, names in SYNONYMS.items():
        if role in roles:
            continue
        for n in names:
            if n in by_name:
                roles[role] = by_name[n]
                break
    if not ({"lat", "lon"} <= roles.keys() or {"easting", "northing"} <= roles.keys()):
        x, y = by_name.get("x"), by_name.get("y")
        if x and y:
            xs, ys = numbers(frame[x]), numbers(frame[y])
            valid = np.isfinite(xs) & np.isfinite(ys)
            degrees = _share((np.abs(xs) <= 180) & (np.abs(ys) <= 90), valid)
            if degrees >= 0.5:
                roles.setdefault("lon", x)
                roles.setdefault("lat", y)
            else:
                roles.setdefault("easting", x)
                roles.setdefault("northing", y)
    if not any(r in roles for r in ("lat", "easting", "gridref", "postcode", "wkt")):
        _detect_by_values(frame, roles, taken)
    return roles


def _detect_by_values(frame: pd.DataFrame, roles: dict[str, str], taken: set[str]) -> None:
    for column in frame.columns:
        if column in taken or not (
            frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column])
        ):
            continue
        sample = frame[column].dropna().astype(str).head(200)
        if len(sample) < 1:
            continue
        for role, pattern in (("postcode", _POSTCODE), ("gridref", _GRIDREF), ("wkt", _WKT)):
            if role not in roles and sample.str.match(pattern).mean() >= 0.9:
                roles[role] = column
                return


def locate(
    table: RawTable,
    roles: dict[str, str],
    problems: Problems,
    postcode_lookup: PostcodeLookup,
    *,
    prefer_file_geometry: bool = True,
) -> Located:
    """Locate every row of ``table`` (see module docstring); unlocatable rows go to ``problems``."""
    frame = table.frame
    explicit_coords = any(r in roles for r in ("lat", "easting", "gridref", "wkt", "postcode"))
    if (
        table.geometry is not None
        and (prefer_file_geometry or not explicit_coords)
        and any(g is not None for g in table.geometry)
    ):
        return _from_geometry(table, problems)
    if "lat" in roles and "lon" in roles:
        return _from_lonlat(frame, roles["lon"], roles["lat"], problems)
    if "easting" in roles and "northing" in roles:
        return _from_bng(frame, roles["easting"], roles["northing"], problems)
    if "gridref" in roles:
        return _from_gridref(frame, roles["gridref"], problems)
    if "wkt" in roles:
        return _from_wkt(frame, roles["wkt"], problems)
    if "postcode" in roles:
        return _from_postcode(frame, roles["postcode"], problems, postcode_lookup)
    half = [r for r in ("lat", "lon", "easting", "northing") if r in roles]
    detail = f" (found only {', '.join(half)})" if half else ""
    columns = ", ".join(f"'{c}'" for c in frame.columns[:30])
    raise ImportRefused(
        f"no usable location column{detail}: the file's columns are {columns}. Add latitude and "
        "longitude, easting and northing, an OS grid reference, a postcode or a WKT column, or map "
        "one explicitly (for example --map 'Lat=lat' --map 'Long=lon')."
    )


def _missing(problems: Problems, frame: pd.DataFrame, columns: list[str], what: str) -> np.ndarray:
    any_empty = np.zeros(len(frame), dtype=bool)
    for column in columns:
        empty = _empty(frame[column])
        problems.add(empty & ~any_empty, column, f"no {what}: the cell is empty")
        any_empty |= empty
    return any_empty


def _from_lonlat(frame: pd.DataFrame, lon_col: str, lat_col: str, problems: Problems) -> Located:
    lon, lat = numbers(frame[lon_col]), numbers(frame[lat_col])
    empty = _missing(problems, frame, [lat_col, lon_col], "location")
    problems.add(
        ~empty & np.isnan(lat), lat_col, "latitude {value} is not a number", frame[lat_col]
    )
    problems.add(
        ~empty & np.isnan(lon) & ~np.isnan(lat),
        lon_col,
        "longitude {value} is not a number",
        frame[lon_col],
    )
    hints: list[str] = []
    valid = np.isfinite(lon) & np.isfinite(lat)
    if _share(_in_box(lon, lat, GB_BNG_BOX) & (lat > 1000), valid) >= 0.5:
        hints.append(
            f"'{lat_col}' and '{lon_col}' hold values like {lat[valid][0]:.0f}, which look "
            f"like British National Grid metres, not degrees: map them as easting/northing "
            f"(--map '{lon_col}=easting' --map '{lat_col}=northing')."
        )
    elif _share(_in_box(lon, lat, MERCATOR_BOX), valid) >= 0.5:
        hints.append(
            f"'{lat_col}' and '{lon_col}' look like Web Mercator (EPSG:3857) metres, not degrees: "
            "export the file again in WGS84 (EPSG:4326) or British National Grid (EPSG:27700)."
        )
    bad_lat = valid & (np.abs(lat) > 90)
    bad_lon = valid & (np.abs(lon) > 180)
    problems.add(bad_lat, lat_col, "latitude {value} is outside -90 to 90", frame[lat_col])
    problems.add(
        bad_lon & ~bad_lat, lon_col, "longitude {value} is outside -180 to 180", frame[lon_col]
    )
    ok = valid & ~bad_lat & ~bad_lon
    if (
        _share(_in_box(lon, lat, FORCE_LONLAT_BOX), ok)
        < 0.5
        <= _share(_in_box(lat, lon, FORCE_LONLAT_BOX), ok)
    ):
        hints.append(
            f"latitude and longitude look swapped: most points would be in Lancashire "
            f"with '{lat_col}' as longitude and '{lon_col}' as latitude. Map them explicitly: "
            f"--map '{lat_col}=lon' --map '{lon_col}=lat'."
        )
    return Located(
        np.where(ok, lon, np.nan),
        np.where(ok, lat, np.nan),
        f"latitude/longitude columns '{lat_col}' and '{lon_col}' (WGS84)",
        {"lat": lat_col, "lon": lon_col},
        hints=hints,
    )


def _from_bng(frame: pd.DataFrame, e_col: str, n_col: str, problems: Problems) -> Located:
    east, north = numbers(frame[e_col]), numbers(frame[n_col])
    empty = _missing(problems, frame, [e_col, n_col], "location")
    problems.add(~empty & np.isnan(east), e_col, "easting {value} is not a number", frame[e_col])
    problems.add(
        ~empty & np.isnan(north) & ~np.isnan(east),
        n_col,
        "northing {value} is not a number",
        frame[n_col],
    )
    valid = np.isfinite(east) & np.isfinite(north)
    hints: list[str] = []
    if _share((np.abs(east) <= 180) & (np.abs(north) <= 90), valid) >= 0.5:
        hints.append(
            f"'{e_col}' and '{n_col}' hold values like {east[valid][0]:g}, which look "
            f"like degrees, not metres: map them as longitude/latitude "
            f"(--map '{e_col}=lon' --map '{n_col}=lat')."
        )
    outside_gb = valid & ~_in_box(east, north, GB_BNG_BOX)
    problems.add(
        outside_gb,
        e_col,
        "easting/northing {value} is not a British National Grid coordinate (0-700000, 0-1300000)",
        pd.Series(east).astype(str) + ", " + pd.Series(north).astype(str),
    )
    ok = valid & ~outside_gb
    if (
        _share(_in_box(east, north, FORCE_BNG_BOX), ok)
        < 0.5
        <= _share(_in_box(north, east, FORCE_BNG_BOX), ok)
    ):
        hints.append(
            "easting and northing look swapped: most points would be in Lancashire the "
            f"other way round. Map them explicitly: --map '{e_col}=northing' "
            f"--map '{n_col}=easting'."
        )
    lon, lat = to_wgs84(np.where(ok, east, np.nan), np.where(ok, north, np.nan))
    return Located(
        np.where(ok, lon, np.nan),
        np.where(ok, lat, np.nan),
        f"British National Grid columns '{e_col}' and '{n_col}' (EPSG:27700)",
        {"easting": e_col, "northing": n_col},
        hints=hints,
    )


def _from_gridref(frame: pd.DataFrame, column: str, problems: Problems) -> Located:
    values = frame[column]
    empty = _missing(problems, frame, [column], "grid reference")
    east, north, _ok = parse_gridrefs(values.astype("string").fillna("").to_numpy(dtype=object))
    bad = ~empty & ~(np.isfinite(east) & np.isfinite(north))
    problems.add(bad, column, "{value} is not an OS grid reference (like SD 53843 29512)", values)
    ok = ~empty & ~bad
    lon, lat = to_wgs84(np.where(ok, east, np.nan), np.where(ok, north, np.nan))
    return Located(
        np.where(ok, lon, np.nan),
        np.where(ok, lat, np.nan),
        f"OS grid references in '{column}'",
        {"gridref": column},
    )


def _from_wkt(frame: pd.DataFrame, column: str, problems: Problems) -> Located:
    values = frame[column].astype("string")
    empty = _missing(problems, frame, [column], "geometry")
    srid = values.str.extract(r"^\s*SRID=(\d+);", expand=False)
    text = values.str.replace(r"^\s*SRID=\d+;", "", regex=True)
    raw = text.to_numpy(dtype=object, na_value=None)
    geoms = shapely.from_wkt(np.where(empty, None, raw), on_invalid="ignore")
    bad = ~empty & shapely.is_missing(geoms)
    problems.add(bad, column, "{value} is not valid WKT", frame[column])
    hints: list[str] = []
    codes = srid.dropna().unique()
    crs = f"EPSG:{codes[0]}" if len(codes) == 1 else None
    if crs is None:
        crs = _guess_crs(geoms, hints, f"WKT in '{column}'")
    table = RawTable(frame=frame, rows=problems.rows, row_label="", geometry=geoms, crs=crs)
    located = _from_geometry(table, problems, already=bad | empty)
    located.method = f"WKT geometries in '{column}' ({crs})"
    located.columns = {"wkt": column}
    located.hints = hints + located.hints
    return located


def _guess_crs(geoms: np.ndarray, hints: list[str], what: str) -> str:
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
        "(EPSG:27700) was assumed."
    )
    return BNG


def _from_geometry(
    table: RawTable, problems: Problems, already: np.ndarray | None = None
) -> Located:
    geoms = np.asarray(table.geometry, dtype=object)
    n = len(geoms)
    skip = np.zeros(n, dtype=bool) if already is None else already
    missing = ~skip & (shapely.is_missing(geoms) | shapely.is_empty(geoms))
    problems.add(missing, None, f"{table.row_label or 'row'} has no geometry")
    hints: list[str] = []
    crs = table.crs or _guess_crs(geoms, hints, "The file")
    series = gpd.GeoSeries(np.where(missing | skip, None, geoms), crs=crs)
    if series.crs is not None and series.crs.to_epsg() != 4326:
        series = series.to_crs(WGS84)
    wgs = np.asarray(series.array, dtype=object)
    present = ~shapely.is_missing(wgs)
    points = present & (shapely.get_type_id(wgs) == 0)
    rep = np.where(present, wgs, None)
    centre = shapely.point_on_surface(rep[present]) if present.any() else np.array([], dtype=object)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    lon[present] = shapely.get_x(centre)
    lat[present] = shapely.get_y(centre)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if (
        _share(_in_box(lon, lat, FORCE_LONLAT_BOX), ok)
        < 0.5
        <= _share(_in_box(lat, lon, FORCE_LONLAT_BOX), ok)
    ):
        hints.append(
            "the geometries' x and y look swapped (latitude written first): most would "
            "be in Lancashire the other way round. Export the file again with longitude "
            "first (GeoJSON requires it)."
        )
    source = table.crs or "guessed"
    located = Located(
        lon,
        lat,
        f"the file's own geometry ({source}, reprojected to WGS84)",
        geometry=wgs,
        hints=hints,
    )
    located.columns = {"geometry": "(file geometry)"}
    located.point_mask = points
    return located


def _from_postcode(
    frame: pd.DataFrame, column: str, problems: Problems, lookup: PostcodeLookup
) -> Located:
    values = frame[column]
    empty = _missing(problems, frame, [column], "postcode")
    lon, lat, normalised = lookup(values.astype("string").fillna(""))
    unknown = ~empty & ~(np.isfinite(lon) & np.isfinite(lat))
    problems.add(unknown, column, "{value} is not a known UK postcode", values)
    ok = ~empty & ~unknown
    return Located(
        np.where(ok, lon, np.nan),
        np.where(ok, lat, np.nan),
        f"postcodes in '{column}' (offline geocoder, OS Code-Point Open)",
        {"postcode": column},
        postcodes=normalised,
    )


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
