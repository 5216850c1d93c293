"""Which columns hold a row's location: by the analyst's mapping, then by name, then by value.

Names are matched after normalising (``'Latitude (WGS84)'`` -> ``latitude_wgs84``) against
common synonyms; failing that, a text column whose values look like postcodes, OS grid
references or WKT is taken. The plausibility boxes used for hints live here too.
"""

from __future__ import annotations

import logging
import re

import numpy as np
import pandas as pd

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


def numbers(values: pd.Series) -> np.ndarray:
    """Numbers from a column of text or numbers (NaN where a value is not a number)."""
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    text = values.astype("string").str.strip()
    return pd.to_numeric(text, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def in_box(x: np.ndarray, y: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    return (x >= box[0]) & (y >= box[1]) & (x <= box[2]) & (y <= box[3])


def share(mask: np.ndarray, valid: np.ndarray) -> float:
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
            degrees = share((np.abs(xs) <= 180) & (np.abs(ys) <= 90), valid)
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
