"""Maps of the briefing screen: plotly MapLibre maps on a plain dark background.

No tiles and no text on the map (MapLibre would fetch glyphs from the internet); only circle
markers, district outlines and fills. District names are drawn as HTML by
``assets/map_labels.js`` from ``layout.meta.labels``.
"""

from __future__ import annotations

import html
import json
import logging
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.components.maps import boundaries_key, district_labels, map_style, typed
from layers.briefing.charts import KIND_COLOURS, OKABE_ITO, SCREEN_BG
from layers.briefing.outstanding import describe
from layers.cache import BASE_MAPS
from layers.core.status import STATUS_LABELS

logger = logging.getLogger(__name__)

MAP_STYLE: dict[str, Any] = map_style(None, background=SCREEN_BG)
"""No tiles on the briefing screen, whatever OPSMAP_TILES says: a shared room sees only data."""
CENTRE = {"lon": -2.58, "lat": 53.87}
ZOOM = 8.75
TEAM_COLOURS = (
    OKABE_ITO["orange"], OKABE_ITO["sky"], OKABE_ITO["green"], OKABE_ITO["yellow"],
    OKABE_ITO["vermillion"], OKABE_ITO["purple"], "#ffffff", OKABE_ITO["blue"],
)
STATUS_COLOURS: dict[str, str] = {
    "unplanned": "#bbbbbb",
    "planned": OKABE_ITO["sky"],
    "in_progress": OKABE_ITO["orange"],
}


@dataclass(frozen=True)
class BaseMap:
    """What every briefing map shares, computed once per set of boundaries."""

    boundaries: gpd.GeoDataFrame
    outline: dict[str, Any]
    labels: list[dict[str, Any]]
    geojson: dict[str, Any]


def base_map(boundaries: gpd.GeoDataFrame) -> BaseMap:
    """Simplified districts, their outline trace, labels and GeoJSON, cached in
    :data:`layers.cache.BASE_MAPS` by the boundaries' content, so it is the same in every worker
    and never stale."""
    base = BASE_MAPS.get_or_build(boundaries_key(boundaries), lambda: _build_base(boundaries))
    if not isinstance(base, BaseMap):  # the cache holds what this module put there
        raise TypeError(f"cached value is {type(base).__name__}, not BaseMap")
    return base


def _build_base(boundaries: gpd.GeoDataFrame) -> BaseMap:
    simple = simplified(boundaries)
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": code, "properties": {},
             "geometry": json.loads(shapely.to_geojson(geom))}
            for code, geom in zip(simple["code"], simple.geometry, strict=True)
        ],
    }
    return BaseMap(simple, _outline(simple), district_labels(simple), geojson)


def simplified(boundaries: gpd.GeoDataFrame, tolerance: float = 0.002) -> gpd.GeoDataFrame:
    """District shapes simplified for the screen (a few kB instead of hundreds)."""
    out = boundaries[["code", "name", "division", "geometry"]].copy()
    out["geometry"] = shapely.simplify(out.geometry.to_numpy(), tolerance, preserve_topology=True)
    return out


def _xy(values: object) -> dict[str, str]:
    """Coordinates as a float32 typed array (small on the wire, no per-item validation)."""
    return typed(np.asarray(values, dtype="float64"), "f4")


def _outline(boundaries: gpd.GeoDataFrame) -> dict[str, Any]:
    rings = shapely.get_rings(shapely.get_parts(boundaries.geometry.to_numpy()))
    parts = []
    for ring in rings:
        parts.append(shapely.get_coordinates(ring))
        parts.append(np.array([[np.nan, np.nan]]))
    coords = np.concatenate(parts) if parts else np.empty((0, 2))
    return {"type": "scattermap", "lon": _xy(coords[:, 0]), "lat": _xy(coords[:, 1]),
            "mode": "lines", "line": {"color": "#d8dde3", "width": 2}, "connectgaps": False,
            "hoverinfo": "skip", "showlegend": False, "name": "Districts"}


def _base(
    boundaries: gpd.GeoDataFrame, traces: list[dict[str, Any]], legend: bool
) -> dict[str, Any]:
    """A map figure as a plain dict: plotly's validation of go.Figure costs more than the data."""
    base = base_map(boundaries)
    return {
        "data": [base.outline, *traces],
        "layout": {
            "map": {"style": MAP_STYLE, "center": CENTRE, "zoom": ZOOM},
            "paper_bgcolor": SCREEN_BG,
            "font": {"size": 24, "color": "#ffffff"},
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "showlegend": legend,
            "legend": {"bgcolor": "rgba(16,20,24,0.85)", "font": {"size": 24}, "x": 0.01,
                       "y": 0.99},
            "meta": {"labels": base.labels},
            "uirevision": "briefing",
        },
    }


def _points(rows: pd.DataFrame, name: str, marker: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "scattermap", "lon": _xy(rows["lon"]), "lat": _xy(rows["lat"]),
            "mode": "markers", "name": name, "marker": marker, **extra}


def plotly_text(value: object) -> str:
    """Text for a plotly label: plotly reads a few HTML tags in labels, so ``<``, ``>`` and
    ``&`` from the store are escaped and show as themselves."""
    return html.escape(str(value), quote=False)


def plan_map(boundaries: gpd.GeoDataFrame, plan: pd.DataFrame) -> dict[str, Any]:
    """Today's visits, one colour per team."""
    traces = []
    for i, (team, rows) in enumerate(plan.groupby("team", sort=True)):
        traces.append(_points(
            rows, plotly_text(team), {"size": 20, "color": TEAM_COLOURS[i % len(TEAM_COLOURS)]},
            customdata=[[plotly_text(team), int(o), plotly_text(d), plotly_text(r)]
                        for o, d, r in zip(rows["order"], rows["district"], rows["risk"],
                                           strict=True)],
            hovertemplate="%{customdata[0]} #%{customdata[1]}: %{customdata[2]}, "
                          "%{customdata[3]} risk<extra></extra>",
        ))
    return _base(boundaries, traces, legend=True)


def district_map(boundaries: gpd.GeoDataFrame, by_district: pd.DataFrame) -> dict[str, Any]:
    """Districts shaded by the share of planned premises done (week to date)."""
    base = base_map(boundaries)
    codes = base.boundaries["code"]
    table = by_district.set_index("district_code").reindex(codes).fillna(0)
    geojson = base.geojson
    planned = table["planned"].to_numpy()
    fill = {
        "type": "choroplethmap", "geojson": geojson, "locations": list(codes),
        "z": [float(v) if p else None for v, p in zip(table["done_pct"], planned, strict=True)],
        "zmin": 0, "zmax": 100, "colorscale": "Cividis",
        "marker": {"opacity": 0.85, "line": {"width": 0}},
        "colorbar": {"title": {"text": "% done"}, "tickfont": {"size": 22}, "len": 0.6},
        "customdata": [[n, int(d), int(p)] for n, d, p in
                       zip(base.boundaries["name"], table["done"], planned, strict=True)],
        "hovertemplate": "%{customdata[0]}: %{customdata[1]} of %{customdata[2]}<extra></extra>",
        "name": "Done vs planned",
    }
    return _base(boundaries, [fill], legend=False)


def intel_map(
    boundaries: gpd.GeoDataFrame, new_intel: pd.DataFrame, hotspots: pd.DataFrame
) -> dict[str, Any]:
    """New tip-offs and adverts as small dots, hotspot cells as large discs sized by count."""
    traces: list[dict[str, Any]] = []
    if len(hotspots):
        size = 18 + 42 * np.sqrt(hotspots["count"] / max(hotspots["count"].max(), 1))
        traces.append(_points(
            hotspots, "Hotspot (1 km)",
            {"size": _xy(size), "color": OKABE_ITO["yellow"], "opacity": 0.45},
            customdata=[[c, int(n)] for c, n in zip(hotspots["cell"], hotspots["count"],
                                                     strict=True)],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
        ))
    for kind, label in (("adverts", "Adverts"), ("tipoffs", "Tip-offs")):
        rows = new_intel.loc[new_intel["kind"] == kind]
        traces.append(_points(rows, label, {"size": 8 if kind == "adverts" else 11,
                                            "color": KIND_COLOURS[kind]}, hoverinfo="skip"))
    return _base(boundaries, traces, legend=True)


def outstanding_map(boundaries: gpd.GeoDataFrame, outstanding: pd.DataFrame) -> dict[str, Any]:
    """High-priority premises still to visit (coloured by status when the room sees it),
    described on hover by the fields the room may see."""
    shows_status = "status" in outstanding.columns
    groups = (outstanding.groupby(outstanding["status"].astype(str), sort=False) if shows_status
              else [("outstanding", outstanding)])
    traces = [
        _points(rows, STATUS_LABELS.get(status, "Outstanding"),
                {"size": 22, "color": STATUS_COLOURS.get(status, OKABE_ITO["vermillion"])},
                customdata=[[plotly_text(t)] for t in describe(rows)],
                hovertemplate="%{customdata[0]}<extra></extra>")
        for status, rows in groups
    ]
    return _base(boundaries, traces, legend=shows_status)
