"""Zooming a page's map to the districts a user chose (operations map, planning page).

MapLibre's zoom is Web Mercator: the world is ``512 * 2**zoom`` pixels wide. The view that fits
a bounding box is computed here and sent as a ``Patch`` with a new per-map ``uirevision``, so the
map moves even after the user panned it (plotly otherwise keeps the user's view).
"""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
from dash import Patch

WORLD_PX = 512.0
MAP_PX = (800.0, 520.0)
"""The smallest map the pages draw (width, height): a view that fits it fits larger maps."""
PADDING = 0.1
ZOOM_RANGE = (5.0, 15.0)


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_view(
    west: float, south: float, east: float, north: float, size: tuple[float, float] = MAP_PX
) -> tuple[dict[str, float], float]:
    """The centre (lon/lat) and zoom that show the box with a margin on a map of ``size`` px."""
    width, height = (s * (1 - 2 * PADDING) for s in size)
    ys, yn = _mercator_y(south), _mercator_y(north)
    span_x = max(east - west, 1e-6) / 360.0
    span_y = max(yn - ys, 1e-6) / (2 * math.pi)
    zoom = min(math.log2(width / (WORLD_PX * span_x)), math.log2(height / (WORLD_PX * span_y)))
    zoom = min(max(zoom, ZOOM_RANGE[0]), ZOOM_RANGE[1])
    lat = math.degrees(2 * math.atan(math.exp((ys + yn) / 2)) - math.pi / 2)
    return {"lon": round((west + east) / 2, 5), "lat": round(lat, 5)}, round(zoom, 2)


def district_view(boundaries: gpd.GeoDataFrame, codes: list[str] | None) -> dict[str, Any]:
    """``layout.map`` settings showing the chosen districts (the force area when none)."""
    chosen = boundaries[boundaries["code"].isin(codes or [])]
    area = chosen if len(chosen) else boundaries
    west, south, east, north = (float(v) for v in area.total_bounds)
    centre, zoom = fit_view(west, south, east, north)
    return {"center": centre, "zoom": zoom, "uirevision": "districts:" + ",".join(chosen["code"])}


def zoom_to_districts(boundaries: gpd.GeoDataFrame, codes: list[str] | None) -> Any:
    """A ``Patch`` moving the map to the chosen districts (to the force area when none)."""
    patch = Patch()
    for key, value in district_view(boundaries, codes).items():
        patch["layout"]["map"][key] = value
    return patch
