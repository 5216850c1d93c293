"""Analysts' custom layers (wards, areas of interest, routes, points) as map traces.

Drawn after the built-in layers, each as one legend entry that can be switched off in the
legend. Polygons are drawn as a translucent fill plus outline; lines as lines; points as
circles (MapLibre's only offline symbol).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go
import shapely
from sqlalchemy.orm import Session

from dashboard.components.maps import typed
from layers.maplayers.store import LayerInfo, layer_features, list_layers

LABEL_KEYS = ("name", "NAME", "Name", "label", "title", "code", "id")


def _label(props: dict[str, Any], fallback: str) -> str:
    for key in LABEL_KEYS:
        if props.get(key) not in (None, ""):
            return str(props[key])
    return fallback


def _lines(geoms: np.ndarray) -> tuple[list[float | None], list[float | None]]:
    """Outlines/lines of every geometry as one trace's coordinates, parts split by ``None``."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    parts = shapely.get_parts(geoms)
    rings = np.concatenate(
        [
            shapely.get_rings(parts[shapely.get_type_id(parts) == 3]),
            parts[np.isin(shapely.get_type_id(parts), (1, 2))],
        ]
    )
    for ring in rings:
        xy = np.round(shapely.get_coordinates(ring), 5)
        lons.extend(xy[:, 0].tolist())
        lats.extend(xy[:, 1].tolist())
        lons.append(None)
        lats.append(None)
    return lons, lats


def _fill_trace(info: LayerInfo, geoms: np.ndarray, labels: list[str], name: str) -> Any:
    style = info.style
    feats = [
        {"type": "Feature", "id": str(i), "properties": {}, "geometry": g.__geo_interface__}
        for i, g in enumerate(geoms)
    ]
    return go.Choroplethmap(
        geojson={"type": "FeatureCollection", "features": feats},
        locations=[f["id"] for f in feats],
        z=np.zeros(len(feats)).tolist(),
        colorscale=[[0, style["fill"]], [1, style["fill"]]],
        showscale=False,
        marker={"opacity": float(style.get("opacity", 0.6)), "line": {"width": 0}},
        hovertext=labels,
        hoverinfo="text",
        name=name,
        legendgroup=f"custom-{info.id}",
        showlegend=True,
    )


def _line_trace(info: LayerInfo, geoms: np.ndarray, name: str, legend: bool) -> Any:
    lons, lats = _lines(geoms)
    return go.Scattermap(
        lon=lons,
        lat=lats,
        mode="lines",
        line={"color": info.style.get("colour", "#6a3d9a"), "width": 2},
        hoverinfo="skip",
        name=name,
        legendgroup=f"custom-{info.id}",
        showlegend=legend,
    )


def _point_trace(
    info: LayerInfo, geoms: np.ndarray, labels: list[str], name: str, legend: bool
) -> Any:
    xy = shapely.get_coordinates(shapely.get_parts(geoms))
    return go.Scattermap(
        lon=typed(xy[:, 0]),
        lat=typed(xy[:, 1]),
        mode="markers",
        marker={
            "size": 9,
            "color": info.style.get("colour", "#6a3d9a"),
            "opacity": float(info.style.get("opacity", 0.6)),
        },
        hovertext=labels if len(labels) == len(xy) else None,
        hoverinfo="text+name",
        name=name,
        legendgroup=f"custom-{info.id}",
        showlegend=legend,
    )


def layer_traces(info: LayerInfo, geoms: np.ndarray, props: list[dict[str, Any]]) -> list[Any]:
    """Traces drawing one custom layer with its style: fill, outlines or lines, points."""
    name = f"{info.name} ({info.features:,})"
    kinds = shapely.get_type_id(geoms)
    polygons = np.isin(kinds, (3, 6))
    lines = polygons | np.isin(kinds, (1, 2, 5))
    points = np.isin(kinds, (0, 4))
    traces: list[Any] = []
    if polygons.any() and info.style.get("fill"):
        labels = [_label(p, info.name) for p, keep in zip(props, polygons, strict=True) if keep]
        traces.append(_fill_trace(info, geoms[polygons], labels, name))
    if lines.any():
        traces.append(_line_trace(info, geoms[lines], name, legend=not traces))
    if points.any():
        labels = [_label(p, info.name) for p, keep in zip(props, points, strict=True) if keep]
        traces.append(_point_trace(info, geoms[points], labels, name, legend=not traces))
    return traces


def custom_traces(session: Session) -> list[Any]:
    """Traces for every visible custom layer, oldest first."""
    traces: list[Any] = []
    for info in list_layers(session):
        if not info.visible or not info.features:
            continue
        geoms, props, _codes = layer_features(session, info.id)
        traces.extend(layer_traces(info, geoms, props))
    return traces
