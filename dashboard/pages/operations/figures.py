"""The operations map's layer traces and the partial updates (``Patch``) that refresh them.

Trace order is fixed: district fill, outlines, one point trace per kind, one cell trace per
kind, the selected location. A filter change rewrites only the layer traces.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import Patch
from geodata.crs import to_wgs84

from dashboard.maps import KIND_COLOURS, KIND_SIZES, STATUS_COLOURS, base_figure, typed
from dashboard.pages.operations.view import POINTS, LayerView
from layers.kinds import KIND_NAMES, KINDS
from layers.status import STATUS_LABELS, STATUSES

POINT_TRACE: dict[str, int] = {k: 2 + i for i, k in enumerate(KIND_NAMES)}
CELL_TRACE: dict[str, int] = {k: 5 + i for i, k in enumerate(KIND_NAMES)}
SELECTED_TRACE = 8
HOVER_LIMIT = 20_000
"""Above this many drawn points a layer's hover says only what it is (keeps payloads small)."""

STATUS_SCALE = [[i / (len(STATUSES) - 1), STATUS_COLOURS[s]] for i, s in enumerate(STATUSES)]


def operations_figure(boundaries: gpd.GeoDataFrame, tiles: str | None) -> go.Figure:
    """The districts plus empty layer traces, to be filled by :func:`patch_layers`."""
    fig = base_figure(boundaries, tiles, uirevision="operations")
    for kind in KIND_NAMES:
        fig.add_trace(
            go.Scattermap(
                lon=[],
                lat=[],
                mode="markers",
                name=KINDS[kind].label,
                marker={"size": KIND_SIZES[kind], "color": KIND_COLOURS[kind], "opacity": 0.9},
                hoverinfo="text",
                legendgroup=kind,
            )
        )
    for kind in KIND_NAMES:
        fig.add_trace(
            go.Scattermap(
                lon=[],
                lat=[],
                mode="markers",
                name=f"{KINDS[kind].label} (grouped)",
                marker={"color": KIND_COLOURS[kind], "opacity": 0.55, "sizemode": "diameter"},
                hoverinfo="text",
                legendgroup=kind,
                showlegend=False,
                visible=False,
            )
        )
    fig.add_trace(
        go.Scattermap(
            lon=[],
            lat=[],
            mode="markers",
            name="Selected",
            marker={"size": 26, "color": "#000000", "opacity": 0.35},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    return fig


def hover_text(frame: pd.DataFrame, rows: np.ndarray, kind: str) -> list[str]:
    """Key, non-sensitive facts per point (vectorised string building)."""
    sub = frame.iloc[rows]
    status = sub["status"].astype(str).map(STATUS_LABELS).fillna("")
    if kind == "premises":
        parts = (
            "<b>Premises</b> · "
            + sub["premises_type"].astype("string").fillna("type unknown")
            + "<br>Risk: "
            + sub["risk"].astype("string").fillna("not rated")
        )
    elif kind == "tipoffs":
        parts = (
            "<b>Tip-off</b> · "
            + sub["channel"].astype("string").fillna("")
            + "<br>Grade "
            + sub["grade_source"].astype("string").fillna("?")
            + sub["grade_intel"].astype("string").fillna("?")
            + sub["grade_handling"].astype("string").fillna("?")
            + " · "
            + sub["observed_at"]
            .dt.tz_convert("Europe/London")
            .dt.strftime("%a %d %b %H:%M")
            .fillna("")
        )
    else:
        parts = (
            "<b>Advert</b> · "
            + sub["site"].astype("string").fillna("")
            + "<br>"
            + sub["observed_at"]
            .dt.tz_convert("Europe/London")
            .dt.strftime("%a %d %b %H:%M")
            .fillna("")
            + " · ±"
            + sub["accuracy_m"].fillna(0).round().astype(int).astype(str)
            + " m"
        )
    return (parts + "<br>" + status + "<br><i>Click for details</i>").tolist()


def patch_layers(
    frame: pd.DataFrame,
    views: dict[str, LayerView | None],
    colour_by_status: bool,
) -> Patch:
    """A ``Patch`` that rewrites only the point and cell traces for the given layer views.

    A kind whose view is ``None`` is switched off.
    """
    patch = Patch()
    lon_all = frame["lon"].to_numpy()
    lat_all = frame["lat"].to_numpy()
    status_codes = frame["status"].cat.set_categories(list(STATUSES)).cat.codes.to_numpy()
    for kind in KIND_NAMES:
        view = views.get(kind)
        p, c = POINT_TRACE[kind], CELL_TRACE[kind]
        if view is None:
            patch["data"][p]["visible"] = False
            patch["data"][c]["visible"] = False
            continue
        label = f"{KINDS[kind].label} ({view.total:,})"
        patch["data"][p]["name"] = label
        if view.mode == POINTS:
            rows = view.rows
            patch["data"][p]["visible"] = True
            patch["data"][c]["visible"] = False
            patch["data"][p]["lon"] = typed(lon_all[rows])
            patch["data"][p]["lat"] = typed(lat_all[rows])
            if colour_by_status:
                patch["data"][p]["marker"]["color"] = typed(status_codes[rows], "u1")
                patch["data"][p]["marker"]["colorscale"] = STATUS_SCALE
                patch["data"][p]["marker"]["cmin"] = 0
                patch["data"][p]["marker"]["cmax"] = len(STATUSES) - 1
            else:
                patch["data"][p]["marker"]["color"] = KIND_COLOURS[kind]
            if len(rows) <= HOVER_LIMIT:
                patch["data"][p]["hovertext"] = hover_text(frame, rows, kind)
                patch["data"][p]["hoverinfo"] = "text"
            else:
                patch["data"][p]["hovertext"] = None
                patch["data"][p]["hoverinfo"] = "name"
        else:
            cells = view.cells
            assert cells is not None
            lon, lat = to_wgs84(cells.easting, cells.northing)
            patch["data"][p]["visible"] = True
            patch["data"][p]["lon"] = []
            patch["data"][p]["lat"] = []
            patch["data"][c]["visible"] = True
            patch["data"][c]["lon"] = typed(lon)
            patch["data"][c]["lat"] = typed(lat)
            patch["data"][c]["marker"]["size"] = typed(8 + 5 * np.log10(cells.count), "f4")
            patch["data"][c]["hovertext"] = [
                f"{n:,} {KINDS[kind].label.lower()} here<br><i>Zoom in or filter to see each</i>"
                for n in cells.count.tolist()
            ]
    return patch


def patch_selected(patch: Patch, lon: float | None, lat: float | None) -> Patch:
    """Highlight the selected location (or clear the highlight)."""
    patch["data"][SELECTED_TRACE]["lon"] = [] if lon is None else [lon]
    patch["data"][SELECTED_TRACE]["lat"] = [] if lat is None else [lat]
    return patch
