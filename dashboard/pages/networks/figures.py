"""Figures of one network: its path on the map (arrows between stops) and its timeline."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.components.maps import KIND_COLOURS, base_figure
from geodata.crs import to_wgs84
from layers.networks.paths import arrow_lines
from layers.networks.reads import district_name

PATH_COLOUR = "#000000"
STOP_COLOUR = "#E69F00"
# Okabe-Ito colours, one per district in the timeline (more districts reuse them in order).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")

GRAPH_STYLE: list[dict[str, Any]] = [
    {
        "selector": "node",
        "style": {"label": "data(label)", "font-size": 9, "width": 14, "height": 14},
    },
    {"selector": ".advert", "style": {"background-color": KIND_COLOURS["adverts"]}},
    {"selector": ".phone", "style": {"background-color": "#0072B2", "shape": "diamond"}},
    {"selector": ".photo", "style": {"background-color": "#009E73", "shape": "square"}},
    {
        "selector": ".premises",
        "style": {"background-color": KIND_COLOURS["premises"], "width": 22, "height": 22},
    },
    {"selector": ".tipoff", "style": {"background-color": "#56B4E9", "shape": "triangle"}},
    {"selector": "edge", "style": {"width": 1, "line-color": "#999999"}},
]


def path_figure(
    boundaries: gpd.GeoDataFrame,
    tiles: str | None,
    adverts: pd.DataFrame,
    stops: pd.DataFrame,
    premises: pd.DataFrame,
) -> go.Figure:
    """The districts, the network's geotags, linked premises and arrows from stop to stop."""
    fig = base_figure(boundaries, tiles, uirevision="network")
    fig.add_trace(_points(adverts, f"Adverts ({len(adverts)})", 6, KIND_COLOURS["adverts"]))
    if len(premises):
        fig.add_trace(
            _points(premises, f"Linked premises ({len(premises)})", 12, KIND_COLOURS["premises"])
        )
    if len(stops):
        _add_path(fig, stops)
    return fig


def _points(frame: pd.DataFrame, name: str, size: int, colour: str) -> go.Scattermap:
    """One kind of the network's places, each named by its reference on hover."""
    return go.Scattermap(
        lon=frame["lon"],
        lat=frame["lat"],
        mode="markers",
        name=name,
        marker={"size": size, "color": colour},
        customdata=frame[["ref"]].to_numpy(),
        hovertemplate="%{customdata[0]}<extra></extra>",
    )


def _add_path(fig: go.Figure, stops: pd.DataFrame) -> None:
    """Arrows from stop to stop and the stops themselves (hover: district, days, adverts)."""
    lon, lat = to_wgs84(stops["easting"].to_numpy(), stops["northing"].to_numpy())
    lons, lats = arrow_lines(stops["easting"].to_numpy(), stops["northing"].to_numpy())
    fig.add_trace(
        go.Scattermap(
            lon=lons,
            lat=lats,
            mode="lines",
            name="Path",
            line={"color": PATH_COLOUR, "width": 3},
            hoverinfo="skip",
        )
    )
    labels = [
        f"{i + 1}. {district_name(s.district_code)}: {s.first_day:%a %d %b}"
        + (f" to {s.last_day:%a %d %b}" if s.last_day != s.first_day else "")
        + f" ({s.adverts} adverts)"
        for i, s in enumerate(stops.itertuples(index=False))
    ]
    fig.add_trace(
        go.Scattermap(
            lon=lon,
            lat=lat,
            mode="markers",
            name="Stops",
            marker={"size": 16, "color": STOP_COLOUR},
            text=labels,
            hovertemplate="%{text}<extra></extra>",
        )
    )
    fig.update_layout(
        map={"center": {"lon": float(np.mean(lon)), "lat": float(np.mean(lat))}, "zoom": 9}
    )


def timeline_figure(days: pd.DataFrame) -> go.Figure:
    """Adverts per day, stacked by district (``days``: day, district_code, adverts)."""
    fig = go.Figure()
    for i, (code, rows) in enumerate(days.groupby("district_code", sort=False)):
        fig.add_trace(
            go.Bar(
                x=[str(d) for d in rows["day"]],
                y=rows["adverts"],
                name=district_name(str(code)),
                marker={"color": PALETTE[i % len(PALETTE)]},
            )
        )
    fig.update_layout(
        barmode="stack",
        margin={"l": 40, "r": 10, "t": 10, "b": 40},
        height=260,
        yaxis={"title": "adverts"},
        xaxis={"type": "category"},
        legend={"orientation": "h"},
    )
    return fig
