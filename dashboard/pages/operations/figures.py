"""The operations map's layer traces and the partial updates (``Patch``) that refresh them.

Trace order is fixed: district fill, outlines, one point trace per kind, one cell trace per
kind, the selected location. A filter change rewrites only the layer traces.

An empty trace is always hidden (``visible=False``) and shown again when it has points:
plotly.js's map traces do not draw points added to a trace that was empty while visible.
"""

from __future__ import annotations

import hashlib
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import Patch

from dashboard.components.maps import (
    KIND_COLOURS,
    KIND_SIZES,
    STATUS_COLOURS,
    base_figure,
    boundaries_key,
    typed,
)
from dashboard.pages.operations.view import POINTS, LayerView
from geodata.crs import to_wgs84
from layers.cache import BASE_MAPS
from layers.core.clock import LONDON
from layers.core.kinds import ADVERTS, KIND_NAMES, KINDS
from layers.core.queries import codes_for
from layers.core.status import STATUS_LABELS, STATUSES

DRAW_ORDER: tuple[str, ...] = ("adverts", "tipoffs", "premises")
"""Bottom to top: the few premises stay visible above thousands of adverts."""
POINT_TRACE: dict[str, int] = {k: 2 + i for i, k in enumerate(DRAW_ORDER)}
CELL_TRACE: dict[str, int] = {k: 5 + i for i, k in enumerate(DRAW_ORDER)}
SELECTED_TRACE = 8
HOVER_LIMIT = 20_000
"""Above this many drawn points a layer's hover says only what it is (keeps payloads small)."""

STATUS_SCALE = [[i / (len(STATUSES) - 1), STATUS_COLOURS[s]] for i, s in enumerate(STATUSES)]
NETWORK_PALETTE = (
    "#B35900", "#0072B2", "#007A58", "#7A6C00", "#6A3D9A", "#D55E00", "#A2467F", "#000000",
    "#6B6B6B",  # not in any network
)  # fmt: skip
"""Dark enough for 3:1 against the map background (tests/foundation/test_map_contrast.py)."""
NETWORK_SCALE = [[i / (len(NETWORK_PALETTE) - 1), c] for i, c in enumerate(NETWORK_PALETTE)]


def operations_figure(boundaries: gpd.GeoDataFrame, tiles: str | None) -> go.Figure:
    """The districts plus empty layer traces, to be filled by :func:`layer_updates`."""
    fig = base_figure(boundaries, tiles, uirevision="operations")
    points = {kind: ({"size": KIND_SIZES[kind], "opacity": 0.9}, KINDS[kind].label)
              for kind in DRAW_ORDER}
    cells = {kind: ({"opacity": 0.55, "sizemode": "diameter"}, f"{KINDS[kind].label} (grouped)")
             for kind in DRAW_ORDER}
    for layer in (points, cells):  # point traces first, then cell traces (POINT/CELL_TRACE)
        for kind, (marker, name) in layer.items():
            fig.add_trace(
                go.Scattermap(
                    lon=[], lat=[], mode="markers", name=name,
                    marker={**marker, "color": KIND_COLOURS[kind]},
                    hoverinfo="text", legendgroup=kind, legendrank=KIND_NAMES.index(kind),
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
            visible=False,
        )
    )
    return fig


def local_time(times: pd.Series) -> pd.Series:
    """``Tue 19 Dec 07:56`` in London time ("" when unknown). Formatting naive local times is
    several times faster than formatting zone-aware ones, which pandas does row by row."""
    local = times.dt.tz_convert(LONDON).dt.tz_localize(None)
    return local.dt.strftime("%a %d %b %H:%M").fillna("")


def hover_text(
    frame: pd.DataFrame, rows: np.ndarray, kind: str, priorities: pd.DataFrame | None = None
) -> list[str]:
    """Key, non-sensitive facts per point (vectorised string building).

    Premises also say their priority and why (``priorities``: ``priority`` and ``priority_why``
    by location id, from :func:`layers.planning.candidates.current_priorities`).
    """
    sub = frame.iloc[rows]
    status = sub["status"].astype(str).map(STATUS_LABELS).fillna("")
    if kind == "premises":
        parts = (
            "<b>Premises</b> · "
            + sub["premises_type"].astype("string").fillna("type unknown")
            + "<br>Risk: "
            + sub["risk"].astype("string").fillna("not rated")
            + priority_lines(sub["id"], priorities)
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
            + local_time(sub["observed_at"])
        )
    else:
        parts = (
            "<b>Advert</b> · "
            + sub["site"].astype("string").fillna("")
            + "<br>"
            + local_time(sub["observed_at"])
            + " · ±"
            + sub["accuracy_m"].fillna(0).round().astype(int).astype(str)
            + " m"
        )
    return (parts + "<br>" + status + "<br><i>Click for details</i>").tolist()


def priority_lines(ids: pd.Series, priorities: pd.DataFrame | None) -> pd.Series:
    """``<br>Priority 84: high risk 60 + ...`` per premises id ("" where it has no score)."""
    if priorities is None or priorities.empty:
        return pd.Series("", index=ids.index, dtype="string")
    found = priorities.reindex(ids.to_numpy())
    text = (
        "<br>Priority "
        + found["priority"].round().astype("Int64").astype("string")
        + ": "
        + found["priority_why"].astype("string")
    )
    return pd.Series(text.fillna("").to_numpy(), index=ids.index, dtype="string")


Update = tuple[int, tuple[str, ...], Any]
"""One change to the figure: trace index, property path, new value."""


HOVER_FROM_OTHER_ROWS: frozenset[str] = frozenset({"premises"})
"""Layers whose hover text depends on other rows too (a premises' priority on its tip-offs)."""


def layer_fingerprint(
    frame: pd.DataFrame, view: LayerView | None, colouring: object, revision: int
) -> str:
    """A short digest of what a layer's traces would show; equal digests mean nothing to send.

    It covers the ids and versions of the rows drawn (every change to a location moves its
    version on), so a status change to one premises does not re-send thousands of unchanged
    adverts with their hover texts. Layers in :data:`HOVER_FROM_OTHER_ROWS` also cover the
    data revision, since a change elsewhere can change what their hover says.
    """
    digest = hashlib.blake2b(digest_size=12)
    digest.update(f"{colouring}".encode())
    if view is not None:
        if view.kind in HOVER_FROM_OTHER_ROWS:
            digest.update(f"revision {revision}".encode())
        digest.update(f"{view.mode}|{view.total}".encode())
        digest.update(frame["id"].to_numpy()[view.rows].tobytes())
        digest.update(frame["version"].to_numpy()[view.rows].tobytes())
        if view.cells is not None:
            digest.update(view.cells.count.tobytes())
            digest.update(view.cells.easting.tobytes())
            digest.update(view.cells.northing.tobytes())
    return digest.hexdigest()


def layer_updates(
    frame: pd.DataFrame,
    views: dict[str, LayerView | None],
    colour_by_status: bool,
    kinds: tuple[str, ...] = KIND_NAMES,
    priorities: pd.DataFrame | None = None,
    network_codes: np.ndarray | None = None,
) -> list[Update]:
    """The changes that redraw the point and cell traces of ``kinds`` for the layer views.

    A kind whose view is ``None`` is switched off. The same list becomes a ``Patch`` for a
    callback (:func:`as_patch`) or is applied to the page's first figure (:func:`apply`).
    """
    out: list[Update] = []
    for kind in kinds:
        view = views.get(kind)
        p, c = POINT_TRACE[kind], CELL_TRACE[kind]
        if view is None:
            out += [(p, ("visible",), False), (c, ("visible",), False)]
            continue
        out.append((p, ("name",), f"{KINDS[kind].label} ({view.total:,})"))
        if view.mode == POINTS:
            out += _point_updates(frame, view, colour_by_status, priorities, network_codes)
        else:
            out += _cell_updates(view)
    return out


def _point_updates(
    frame: pd.DataFrame,
    view: LayerView,
    colour_by_status: bool,
    priorities: pd.DataFrame | None,
    network_codes: np.ndarray | None = None,
) -> list[Update]:
    """A kind drawn point by point: positions, colours and (up to a limit) hover texts."""
    kind, rows = view.kind, view.rows
    p, c = POINT_TRACE[kind], CELL_TRACE[kind]
    out: list[Update] = [
        (p, ("visible",), len(rows) > 0),
        (c, ("visible",), False),
        (p, ("lon",), typed(frame["lon"].to_numpy()[rows])),
        (p, ("lat",), typed(frame["lat"].to_numpy()[rows])),
    ]
    if network_codes is not None and kind == ADVERTS:
        out += [
            (p, ("marker", "color"), typed(network_codes[rows], "u1")),
            (p, ("marker", "colorscale"), NETWORK_SCALE),
            (p, ("marker", "cmin"), 0),
            (p, ("marker", "cmax"), len(NETWORK_PALETTE) - 1),
        ]
    elif colour_by_status:
        codes = codes_for(frame["status"], STATUSES)
        out += [
            (p, ("marker", "color"), typed(codes[rows], "u1")),
            (p, ("marker", "colorscale"), STATUS_SCALE),
            (p, ("marker", "cmin"), 0),
            (p, ("marker", "cmax"), len(STATUSES) - 1),
        ]
    else:
        out.append((p, ("marker", "color"), KIND_COLOURS[kind]))
    if len(rows) > HOVER_LIMIT:
        return [*out, (p, ("hovertext",), None), (p, ("hoverinfo",), "name")]
    text = hover_text(frame, rows, kind, priorities)
    return [*out, (p, ("hovertext",), text), (p, ("hoverinfo",), "text")]


def _cell_updates(view: LayerView) -> list[Update]:
    """A kind drawn as counted cells (too many points in view)."""
    cells = view.cells
    if cells is None:
        raise ValueError(f"{view.kind}: a cells view without cells")
    p, c = POINT_TRACE[view.kind], CELL_TRACE[view.kind]
    lon, lat = to_wgs84(cells.easting, cells.northing)
    label = KINDS[view.kind].label
    return [
        (p, ("visible",), False),
        (c, ("visible",), True),
        (c, ("name",), f"{label} ({view.total:,}), grouped: zoom in for each"),
        (c, ("lon",), typed(lon)),
        (c, ("lat",), typed(lat)),
        (c, ("marker", "size"), typed(8 + 5 * np.log10(cells.count))),
        (c, ("customdata",), typed(cells.count, "i4")),
        (
            c,
            ("hovertemplate",),
            f"%{{customdata:,}} {label.lower()} here<br><i>Zoom in or filter to see each</i>"
            "<extra></extra>",
        ),
    ]


def as_patch(updates: list[Update], patch: Patch | None = None) -> Patch:
    """The updates as a Dash ``Patch`` (only these properties travel to the browser)."""
    patch = Patch() if patch is None else patch
    for index, path, value in updates:
        target = patch["data"][index]
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return patch


def first_figure(
    boundaries: gpd.GeoDataFrame, tiles: str | None, updates: list[Update]
) -> dict[str, Any]:
    """The page's first figure: :func:`operations_figure` with the first render's data.

    The empty figure is built and validated once per boundaries and tiles and kept as plotly
    JSON (:data:`layers.cache.BASE_MAPS`); each page load copies only what the updates change,
    so opening the page does not rebuild the districts' shapes through plotly's validators.
    """
    key = ("operations", boundaries_key(boundaries), tiles)
    empty = BASE_MAPS.get_or_build(
        key, lambda: operations_figure(boundaries, tiles).to_plotly_json()
    )
    if not isinstance(empty, dict):  # the cache holds what this module put there
        raise TypeError(f"cached value is {type(empty).__name__}, not a figure")
    figure = {"layout": empty["layout"], "data": [dict(trace) for trace in empty["data"]]}
    for index, path, value in updates:
        target = figure["data"][index]
        for name in path[:-1]:
            target[name] = dict(target.get(name) or {})  # copied: the cached figure stays empty
            target = target[name]
        target[path[-1]] = value
    return figure


def patch_selected(patch: Patch, lon: float | None, lat: float | None) -> Patch:
    """Highlight the selected location (or clear the highlight)."""
    patch["data"][SELECTED_TRACE]["visible"] = lon is not None
    patch["data"][SELECTED_TRACE]["lon"] = [] if lon is None else [lon]
    patch["data"][SELECTED_TRACE]["lat"] = [] if lat is None else [lat]
    return patch
