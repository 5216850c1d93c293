"""Coordinate reference systems and vectorised conversions between them.

The app stores and shows WGS84 longitude/latitude (what maps and GPS speak) but does all metric
work (distances, areas, grid cells) in British National Grid metres, where a metre is a metre.
Everything here converts whole arrays at once through one cached ``pyproj`` transformer.
"""

from __future__ import annotations

import logging
from functools import lru_cache

import geopandas as gpd
import numpy as np
from numpy.typing import ArrayLike
from pyproj import Transformer

logger = logging.getLogger(__name__)

WGS84 = "EPSG:4326"
BNG = "EPSG:27700"


@lru_cache(maxsize=8)
def _transformer(source: str, target: str) -> Transformer:
    """A transformer per CRS pair, built once per process (building one costs milliseconds).

    ``always_xy=True`` keeps the axis order (lon, lat) / (easting, northing) whatever the
    authority says, so callers never have to think about it.
    """
    return Transformer.from_crs(source, target, always_xy=True)


def _transform(
    source: str, target: str, x: ArrayLike, y: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Transform coordinate arrays; non-finite inputs and failed points come back as NaN.

    PROJ answers ``inf`` for NaN or out-of-domain input; NaN is what the rest of the code
    (and pandas) treats as "no location", so it is normalised here.
    """
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    xa, ya = np.broadcast_arrays(xa, ya)
    ox, oy = _transformer(source, target).transform(xa, ya)
    ox = np.asarray(ox, dtype=np.float64)
    oy = np.asarray(oy, dtype=np.float64)
    bad = ~(np.isfinite(ox) & np.isfinite(oy))
    if bad.any():
        ox = np.where(bad, np.nan, ox)
        oy = np.where(bad, np.nan, oy)
    return ox, oy


def to_bng(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Convert WGS84 longitude/latitude to British National Grid easting/northing (metres).

    Parameters
    ----------
    lon, lat
        Arrays (or scalars/lists) of degrees; NaN marks a missing location.

    Returns
    -------
    tuple of numpy.ndarray
        ``(easting, northing)`` as float64, NaN where the input was missing or unusable.
    """
    return _transform(WGS84, BNG, lon, lat)


def to_wgs84(easting: ArrayLike, northing: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Convert British National Grid easting/northing (metres) to WGS84 lon/lat (degrees).

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)`` as float64, NaN where the input was missing or unusable.
    """
    return _transform(BNG, WGS84, easting, northing)


def _require_crs(gdf: gpd.GeoDataFrame, what: str) -> None:
    """Refuse data without a CRS: guessing one silently puts points in the wrong place."""
    if gdf.crs is None:
        raise ValueError(
            f"cannot convert {what}: the GeoDataFrame has no CRS. Set the CRS it was "
            "recorded in first, e.g. gdf.set_crs('EPSG:4326') for lon/lat or "
            "gdf.set_crs('EPSG:27700') for British National Grid metres."
        )


def to_bng_gdf(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reproject a GeoDataFrame to British National Grid (for metric work).

    Raises
    ------
    ValueError
        If the frame has no CRS.
    """
    _require_crs(gdf, "to British National Grid")
    return gdf.to_crs(BNG)


def to_wgs84_gdf(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reproject a GeoDataFrame to WGS84 lon/lat (for maps and storage).

    Raises
    ------
    ValueError
        If the frame has no CRS.
    """
    _require_crs(gdf, "to WGS84")
    return gdf.to_crs(WGS84)
