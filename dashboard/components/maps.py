"""Map figures shared by the pages: plain background, district boundaries, compact point traces.

No tiles by default: the map style is a blank MapLibre style with a background layer, so the
browser asks no third party for anything (tiles reveal where police are looking). An approved
tile server can be configured with ``OPSMAP_TILES``. Only circle markers are used (other symbols
and any text make MapLibre fetch icons and glyphs from the internet).

Point coordinates travel as base64 float32 typed arrays (~11 bytes a point); plain JSON lists
cost ~38 bytes a point and far more time to serialise.
"""

from __future__ import annotations

import base64
from typing import Any

import geopandas as gpd
import numpy as np
import plotly.graph_objects as go
import shapely

# From the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies),
# darkened where needed so every marker has a contrast of at least 3:1 with the map's
# background (WCAG 1.4.11; tests/foundation/test_map_contrast.py). Colour is never the only
# signal: kinds also differ in marker size, and every status is written out in the hover, the
# list under the map, the counts and the side panel.
KIND_COLOURS: dict[str, str] = {
    "premises": "#D55E00",  # vermillion
    "tipoffs": "#0072B2",  # blue
    "adverts": "#A2467F",  # reddish purple, darkened
}
KIND_SIZES: dict[str, int] = {"premises": 12, "tipoffs": 8, "adverts": 5}
STATUS_COLOURS: dict[str, str] = {
    "unplanned": "#6B6B6B",  # grey
    "planned": "#0072B2",  # blue
    "in_progress": "#B35900",  # orange, darkened
    "visited": "#7A6C00",  # yellow, darkened to olive
    "actioned": "#007A58",  # bluish green, darkened
    "no_further_action": "#000000",
}
DIVISION_COLOURS: dict[str, str] = {"West": "#56B4E9", "South": "#E69F00", "East": "#009E73"}
BACKGROUND = "#eef0ec"
FORCE_CENTRE = {"lon": -2.55, "lat": 53.86}


def map_style(tiles: str | None, background: str = BACKGROUND) -> dict[str, Any]:
    """A MapLibre style: a plain background, plus the configured raster tiles if any."""
    style: dict[str, Any] = {
        "version": 8,
        # A non-empty "sources": plotly.js prunes empty objects when it re-applies a style on
        # update, and MapLibre then refuses the style ("missing required property sources").
        "sources": {
            "blank": {"type": "geojson", "data": {"type": "FeatureCollection", "features": []}}
        },
        "layers": [
            {"id": "background", "type": "background", "paint": {"background-color": background}}
        ],
    }
    if tiles:
        style["sources"]["tiles"] = {"type": "raster", "tiles": [tiles], "tileSize": 256}
        style["layers"].append({"id": "tiles", "type": "raster", "source": "tiles"})
    return style


def typed(values: np.ndarray, dtype: str = "f4") -> dict[str, str]:
    """A plotly.js typed-array spec (base64 of little-endian ``dtype``) for ``values``."""
    arr = np.ascontiguousarray(np.asarray(values, dtype=np.dtype(dtype).newbyteorder("<")))
    return {"dtype": dtype, "bdata": base64.b64encode(arr.tobytes()).decode("ascii")}


def boundary_lines(boundaries: gpd.GeoDataFrame) -> tuple[list[float | None], list[float | None]]:
    """All district outlines as one line trace's lon/lat, rings separated by ``None``."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    rings = shapely.get_rings(shapely.get_parts(boundaries.geometry.to_numpy()))
    for ring in rings:
        coords = shapely.get_coordinates(ring)
        lons.extend(np.round(coords[:, 0], 5).tolist())
        lats.extend(np.round(coords[:, 1], 5).tolist())
        lons.append(None)
        lats.append(None)
    return lons, lats


def district_traces(boundaries: gpd.GeoDataFrame, by_division: bool) -> list[go.BaseTraceType]:
    """District fills (hover: name and division; coloured by division when asked) and outlines."""
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": row.code,
                "properties": {},
                "geometry": row.geometry.__geo_interface__,
            }
            for row in boundaries.itertuples()
        ],
    }
    divisions = list(DIVISION_COLOURS)
    z = [divisions.index(d) for d in boundaries["division"]]
    fill = go.Choroplethmap(
        geojson=geojson,
        locations=list(boundaries["code"]),
        z=z,
        zmin=0,
        zmax=2,
        colorscale=division_colorscale(by_division),
        showscale=False,
        marker={"line": {"width": 0}, "opacity": 0.35},
        customdata=np.stack([boundaries["name"], boundaries["division"]], axis=1),
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} division<extra></extra>",
        name="Districts",
        showlegend=False,
    )
    lons, lats = boundary_lines(boundaries)
    outline = go.Scattermap(
        lon=lons,
        lat=lats,
        mode="lines",
        line={"color": "#3b3b3b", "width": 1.5},
        hoverinfo="skip",
        name="District boundaries",
        showlegend=False,
    )
    return [fill, outline]


def division_colorscale(by_division: bool) -> list[list[Any]]:
    """Discrete division colours, or fully transparent fills when not colouring by division."""
    if not by_division:
        return [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]]
    colours = list(DIVISION_COLOURS.values())
    return [[0, colours[0]], [0.5, colours[1]], [1, colours[2]]]


def base_figure(
    boundaries: gpd.GeoDataFrame,
    tiles: str | None,
    by_division: bool = False,
    uirevision: str = "map",
) -> go.Figure:
    """A map figure with the districts and nothing else; layers are added by the pages."""
    fig = go.Figure(district_traces(boundaries, by_division))
    fig.update_layout(
        map={"style": map_style(tiles), "center": FORCE_CENTRE, "zoom": 8.4},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        uirevision=uirevision,
        legend={"x": 0.01, "y": 0.99, "bgcolor": "rgba(255,255,255,0.9)", "font": {"size": 14}},
        dragmode="pan",
        meta={"labels": district_labels(boundaries)},
    )
    return fig


def district_labels(boundaries: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Name and an inside point per district, drawn as HTML labels by ``assets/map_labels.js``."""
    points = shapely.point_on_surface(boundaries.geometry.to_numpy())
    return [
        {"name": name, "lon": round(float(p.x), 5), "lat": round(float(p.y), 5)}
        for name, p in zip(boundaries["name"], points, strict=True)
    ]


def boundaries_key(boundaries: gpd.GeoDataFrame) -> tuple[Any, ...]:
    """Identifies boundaries by content (codes, extent, vertex count), not by object: the key
    of every figure cached from them (:data:`layers.cache.BASE_MAPS`)."""
    return (
        tuple(boundaries["code"]),
        tuple(np.round(boundaries.total_bounds, 6)),
        int(shapely.get_num_coordinates(boundaries.geometry.to_numpy()).sum()),
    )
