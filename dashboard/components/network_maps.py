"""Arrows between districts on a map: where networks of adverts moved (briefing, pages)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.components.maps import base_figure, district_labels
from geodata.crs import to_bng
from layers.networks.paths import arrow_lines

ARROW_COLOUR = "#000000"


def district_arrows_figure(
    boundaries: gpd.GeoDataFrame, tiles: str | None, arrows: pd.DataFrame
) -> go.Figure:
    """The districts with one arrow per pair in ``arrows`` (``from``, ``to`` district names,
    ``networks``), drawn between the districts' label points, wider for more networks."""
    fig = base_figure(boundaries, tiles, uirevision="network-arrows")
    points = {p["name"]: (p["lon"], p["lat"]) for p in district_labels(boundaries)}
    for start, end, count in zip(arrows["from"], arrows["to"], arrows["networks"], strict=True):
        if str(start) not in points or str(end) not in points:
            continue
        (lon0, lat0), (lon1, lat1) = points[str(start)], points[str(end)]
        easting, northing = to_bng(np.array([lon0, lon1]), np.array([lat0, lat1]))
        lons, lats = arrow_lines(easting, northing, head_m=2500.0, gap_m=1500.0)
        fig.add_trace(
            go.Scattermap(
                lon=lons,
                lat=lats,
                mode="lines",
                line={"color": ARROW_COLOUR, "width": 2 + 2 * int(count)},
                name=f"{start} → {end} ({int(count)})",
                hoverinfo="name",
                showlegend=False,
            )
        )
    return fig
