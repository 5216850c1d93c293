"""What the planning and board pages draw: status-coloured locations and a team-day's route.

Pure functions from frames to figures and components (no store, no callbacks), so the pages'
pictures are tested without a browser. Only circle markers and lines: other symbols and any map
text would make MapLibre fetch icons or glyphs from a third party. Stop numbers are HTML labels
over the map (``assets/map_labels.js``), and the legend sits below the map, off the route.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard.components.maps import STATUS_COLOURS, base_figure
from layers.core.status import STATUS_LABELS, STATUSES
from layers.planning.day_view import hhmm
from layers.planning.districts import name_districts

ROUTE_COLOUR = "#0b4f8a"
START_COLOUR = "#7a0019"
LEGEND_BELOW = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "y": 0,
    "yanchor": "top",
    "bgcolor": "rgba(255,255,255,0.95)",
    "font": {"size": 13},
}
"""The legend under the map (the figure keeps a bottom margin for it), never over a route."""
LEGEND_MARGIN = 64
GRID_COLUMNS: list[dict[str, Any]] = [
    {
        "field": "priority",
        "headerName": "Priority",
        "sort": "desc",
        "width": 105,
        "filter": "agNumberColumnFilter",
    },
    {"field": "priority_why", "headerName": "Why", "flex": 2, "minWidth": 220},
    {"field": "ref", "headerName": "Ref", "width": 120},
    {"field": "address", "headerName": "Address", "flex": 2, "minWidth": 180},
    {"field": "district", "headerName": "District", "width": 140},
    {"field": "division", "headerName": "Division", "width": 100},
    {"field": "risk", "headerName": "Risk", "width": 90},
    {
        "field": "tipoffs_near",
        "headerName": "Tip-offs",
        "width": 95,
        "filter": "agNumberColumnFilter",
    },
    {
        "field": "adverts_near",
        "headerName": "Adverts",
        "width": 95,
        "filter": "agNumberColumnFilter",
    },
    {"field": "status_label", "headerName": "Status", "width": 120},
    {"field": "call_sign", "headerName": "Team", "width": 110},
    {"field": "day", "headerName": "Day", "width": 115},
    {"field": "stop", "headerName": "Stop", "width": 80, "filter": "agNumberColumnFilter"},
    {"field": "eta", "headerName": "Arrive", "width": 90},
    {"field": "etd", "headerName": "Leave", "width": 90},
]


def _label(ref: Any, location_id: Any) -> str:
    """A location's reference, or its id when it has none (pandas gives NaN for missing)."""
    return ref if isinstance(ref, str) and ref else str(location_id)


def _times(eta: Any, etd: Any) -> str:
    """A stop's planned times, "10:05-10:50", or "(not timed)"."""
    return f"{hhmm(eta)}-{hhmm(etd)}" if hhmm(eta) else "(not timed)"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _ints(values: pd.Series, offset: int = 0) -> pd.Series:
    return values.map(lambda v: int(v) + offset if pd.notna(v) else None)


def grid_rows(frame: pd.DataFrame, names: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Candidate rows for the grid (JSON-friendly; ``id`` is the row id), districts by name."""
    if frame.empty:
        return []
    out = pd.DataFrame(
        {
            "id": frame["id"].astype(int),
            "row_id": frame["id"].astype(int).astype(str),  # AG Grid row ids are text
            "version": frame["version"].astype(int),
            "priority": frame["priority"].astype(float).round(1),
            "priority_why": frame["priority_why"].fillna(""),
            "ref": frame["ref"].fillna(""),
            "address": frame["address"].fillna(""),
            "district": name_districts(frame["district_code"], names or {}),
            "district_code": frame["district_code"],
            "division": frame["division"],
            "risk": frame["risk"].fillna(""),
            "tipoffs_near": frame["tipoffs_near"].astype(int),
            "adverts_near": frame["adverts_near"].astype(int),
            "status": frame["status"],
            "status_label": frame["status"].map(STATUS_LABELS).fillna(frame["status"]),
            "call_sign": frame["call_sign"].fillna(""),
            "day": frame["day"].map(lambda d: d.isoformat() if pd.notna(d) else ""),
            "stop": _ints(frame["position"], 1),
            "eta": frame["eta"].map(hhmm),
            "etd": frame["etd"].map(hhmm),
            "assignment_id": _ints(frame["assignment_id"]),
            "assignment_version": _ints(frame["assignment_version"]),
        }
    )
    return out.to_dict("records")


def _hover(frame: pd.DataFrame) -> list[str]:
    texts = []
    for r in frame.itertuples(index=False):
        plan = ""
        if pd.notna(r.team_id):
            plan = f"<br>{r.call_sign} · {r.day:%a %d %b} · stop {int(r.position) + 1}"
        why = getattr(r, "priority_why", "")
        texts.append(
            f"<b>{_label(r.ref, r.id)}</b> · priority {r.priority:.0f}<br>"
            f"{STATUS_LABELS.get(r.status, r.status)}{plan}"
            + (f"<br>Why: {why}" if isinstance(why, str) and why else "")
        )
    return texts


def status_traces(frame: pd.DataFrame) -> list[go.Scattermap]:
    """One circle-marker trace per status (legend entries; ``customdata`` is the location id)."""
    traces = []
    for status in STATUSES:
        part = frame[frame["status"] == status]
        if part.empty:
            continue
        traces.append(
            go.Scattermap(
                lon=part["lon"].round(6).tolist(),
                lat=part["lat"].round(6).tolist(),
                mode="markers",
                marker={"size": 12, "color": STATUS_COLOURS[status], "opacity": 0.9},
                customdata=part["id"].astype(int).tolist(),
                text=_hover(part),
                hovertemplate="%{text}<extra></extra>",
                name=STATUS_LABELS[status],
                uid=f"status-{status}",
            )
        )
    return traces


def route_traces(
    start: tuple[float, float] | None, stops: pd.DataFrame, call_sign: str, closed: bool = True
) -> list[go.Scattermap]:
    """The team-day route: a line from the start through the stops (and back) plus stop markers.

    ``stops`` is in visiting order with ``lon``, ``lat``, ``ref`` and ``id`` columns.
    """
    if start is None:
        return []
    lons = [start[0], *stops["lon"].tolist()] + ([start[0]] if closed and len(stops) else [])
    lats = [start[1], *stops["lat"].tolist()] + ([start[1]] if closed and len(stops) else [])
    traces = [
        go.Scattermap(
            lon=lons,
            lat=lats,
            mode="lines",
            line={"color": ROUTE_COLOUR, "width": 3},
            hoverinfo="skip",
            name=f"Route {call_sign}",
            uid="route-line",
        ),
        go.Scattermap(
            lon=[start[0]],
            lat=[start[1]],
            mode="markers",
            marker={"size": 16, "color": START_COLOUR},
            hovertemplate=f"<b>Start</b> · {call_sign}<extra></extra>",
            name="Start point",
            uid="route-start",
        ),
    ]
    if len(stops):
        text = [
            f"<b>Stop {i + 1}</b> · {_label(ref, loc)}"
            for i, (ref, loc) in enumerate(zip(stops["ref"], stops["id"], strict=True))
        ]
        traces.append(
            go.Scattermap(
                lon=stops["lon"].tolist(),
                lat=stops["lat"].tolist(),
                mode="markers",
                marker={"size": 22, "color": ROUTE_COLOUR, "opacity": 0.55},
                customdata=stops["id"].astype(int).tolist(),
                text=text,
                hovertemplate="%{text}<extra></extra>",
                name="Stops (numbered in route order)",
                uid="route-stops",
            )
        )
    return traces


def stop_labels(stops: pd.DataFrame) -> list[dict[str, Any]]:
    """The stop numbers drawn over the map, in route order (HTML labels: no map glyphs)."""
    return [
        {
            "name": str(i + 1),
            "lon": round(float(lon), 6),
            "lat": round(float(lat), 6),
            "cls": "stop-number",
        }
        for i, (lon, lat) in enumerate(zip(stops["lon"], stops["lat"], strict=True))
    ]


def planning_figure(
    boundaries: gpd.GeoDataFrame,
    tiles: str | None,
    frame: pd.DataFrame,
    route: list[go.Scattermap] | None = None,
    selectable: bool = True,
    uirevision: str = "planning",
    stops: pd.DataFrame | None = None,
) -> go.Figure:
    """Districts, locations coloured by status, the route with numbered stops; lasso select."""
    fig = base_figure(boundaries, tiles, uirevision=uirevision)
    # Outlines only: a district fill would take part in lasso selection (and plotly's
    # choroplethmap selection styling fails when the figure is redrawn mid-selection).
    fig.data = [t for t in fig.data if t.type != "choroplethmap"]
    for trace in status_traces(frame):
        fig.add_trace(trace)
    for trace in route or []:
        fig.add_trace(trace)
    labels = list(fig.layout.meta["labels"]) + stop_labels(
        stops if stops is not None else frame[:0]
    )
    fig.update_layout(
        dragmode="lasso" if selectable else "pan",
        clickmode="event+select",
        legend={**LEGEND_BELOW, "title": {"text": "Status"}},
        margin={"l": 0, "r": 0, "t": 0, "b": LEGEND_MARGIN},
        meta={"labels": labels},
    )
    return fig


def stop_list(stops: pd.DataFrame, up_id: str, down_id: str, editable: bool) -> html.Ol:
    """The team-day's stops in order, with earlier/later buttons for those who may change it."""
    items = []
    for i, r in enumerate(stops.itertuples(index=False)):
        buttons = []
        if editable:
            buttons = [
                html.Button(
                    "▲",
                    id={"type": up_id, "index": int(r.assignment_id)},
                    className="button tiny",
                    title="Earlier",
                    disabled=i == 0,
                ),
                html.Button(
                    "▼",
                    id={"type": down_id, "index": int(r.assignment_id)},
                    className="button tiny",
                    title="Later",
                    disabled=i == len(stops) - 1,
                ),
            ]
        items.append(
            html.Li(
                [
                    html.Span(_label(r.ref, r.id), className="stop-ref"),
                    html.Span(f" {_times(r.eta, r.etd)}", className="stop-eta"),
                    html.Span(
                        f" · {_text(r.address)} · {STATUS_LABELS.get(r.status, r.status)}",
                        className="muted",
                    ),
                    html.Span(buttons, className="stop-buttons"),
                ],
                className="stop",
            )
        )
    if not items:
        return html.Ol([html.Li("No stops planned for this team and day.", className="muted")])
    return html.Ol(items, className="stops")
