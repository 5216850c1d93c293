"""The import preview map (a pure function of the preview and the district boundaries).

The preview is a plotly MapLibre map on a plain background (no tiles, circle markers only, so
the browser fetches nothing from anyone else): the district boundaries for orientation, and the
accepted points coloured by whether they fall in the force area, or a custom layer's shapes as
outlines. Before any upload there is no chart at all, only a line saying what will appear.
"""

from __future__ import annotations

import logging
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from dash import dcc, html

from dashboard.components.maps import boundary_lines, map_style
from dashboard.pages.imports.ids import Ids

logger = logging.getLogger(__name__)

PLAIN_STYLE: dict[str, Any] = map_style(None, background="#f4f4f0")
CENTRE = {"lon": -2.6, "lat": 53.85}
INSIDE_COLOUR = "#0072b2"
OUTSIDE_COLOUR = "#d55e00"


def _base(traces: list[go.Scattermap], districts: list[go.Scattermap]) -> go.Figure:
    figure = go.Figure(districts + traces)
    figure.update_layout(
        map={"style": PLAIN_STYLE, "center": CENTRE, "zoom": 7.6},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=420,
        legend={"x": 0.01, "y": 0.99, "bgcolor": "rgba(255,255,255,0.8)"},
        uirevision="imports",
    )
    return figure


def outlines(geoms: np.ndarray, limit: int = 5000) -> tuple[np.ndarray, np.ndarray]:
    """Lon/lat arrays of shapes' outlines separated by NaN, for one line trace."""
    geoms = np.asarray(geoms, dtype=object)[:limit]
    geoms = geoms[~shapely.is_missing(geoms)]
    boundary = shapely.boundary(shapely.force_2d(geoms[shapely.get_dimensions(geoms) == 2]))
    lines = list(boundary) + list(geoms[shapely.get_dimensions(geoms) == 1])
    parts = (
        shapely.get_parts(np.asarray(lines, dtype=object)) if lines else np.array([], dtype=object)
    )
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for part in parts:
        coords = shapely.get_coordinates(part)
        xs += [coords[:, 0], np.array([np.nan])]
        ys += [coords[:, 1], np.array([np.nan])]
    if not xs:
        return np.array([]), np.array([])
    return np.concatenate(xs), np.concatenate(ys)


def preview_figure(
    preview: pd.DataFrame | None, districts: list[go.Scattermap] | None = None
) -> go.Figure:
    """The map preview of what would be stored."""
    districts = districts or []
    traces: list[go.Scattermap] = []
    if preview is not None and "geometry" in preview:
        geoms = preview["geometry"].to_numpy(dtype=object)
        points = shapely.get_type_id(geoms) == 0
        lon, lat = outlines(geoms[~points])
        if len(lon):
            traces.append(
                go.Scattermap(
                    lon=lon.astype("f4"),
                    lat=lat.astype("f4"),
                    mode="lines",
                    line={"color": "#7b3294", "width": 1.5},
                    name="shapes",
                    hoverinfo="skip",
                )
            )
        if points.any():
            traces.append(
                go.Scattermap(
                    lon=shapely.get_x(geoms[points]).astype("f4"),
                    lat=shapely.get_y(geoms[points]).astype("f4"),
                    mode="markers",
                    marker={"size": 7, "color": "#7b3294"},
                    name="points",
                )
            )
    elif preview is not None and len(preview):
        outside = preview["district_code"].astype(str).to_numpy() == "outside"
        for mask, label, colour in (
            (~outside, "in the force area", INSIDE_COLOUR),
            (outside, "outside the force area", OUTSIDE_COLOUR),
        ):
            if mask.any():
                traces.append(
                    go.Scattermap(
                        lon=preview["lon"].to_numpy(dtype="f4")[mask],
                        lat=preview["lat"].to_numpy(dtype="f4")[mask],
                        mode="markers",
                        marker={"size": 7, "color": colour, "opacity": 0.8},
                        name=f"{label} ({int(mask.sum())})",
                        hoverinfo="skip",
                    )
                )
    return _base(traces, districts)


def district_trace(boundaries: gpd.GeoDataFrame) -> go.Scattermap:
    """The district boundaries as one grey line trace (orientation, not data)."""
    lons, lats = boundary_lines(boundaries)
    return go.Scattermap(
        lon=lons,
        lat=lats,
        mode="lines",
        line={"color": "#6b6b6b", "width": 1},
        name="District boundaries",
        hoverinfo="skip",
    )


def preview_area(
    preview: pd.DataFrame | None, boundaries: gpd.GeoDataFrame, refused: bool = False
) -> Any:
    """The preview map once a file has been checked; before that, a line of text."""
    if preview is None:
        text = (
            "Nothing to show on the map: the file was refused."
            if refused
            else "Upload a file to see where its rows fall, over the district boundaries."
        )
        return html.P(text, className="muted preview-placeholder")
    return dcc.Graph(
        id=Ids.PREVIEW,
        figure=preview_figure(preview, [district_trace(boundaries)]),
        config={"displaylogo": False},
    )
