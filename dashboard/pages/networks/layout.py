"""The networks grid: every network, sortable by size, districts, moves, links and activity."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import pandas as pd
from dash import dcc, html

from dashboard.access import ADMIN, ANALYST, current_principal
from dashboard.context import services
from dashboard.pages.networks.ids import Ids
from layers.core.clock import LONDON
from layers.networks.reads import network_rows

COLUMNS: list[dict[str, Any]] = [
    {"field": "network", "headerName": "Network", "cellRenderer": "markdown", "width": 110},
    {"field": "adverts", "headerName": "Adverts", "width": 105, "sort": "desc"},
    {"field": "districts", "headerName": "Districts", "width": 110},
    {"field": "district_names", "headerName": "Where (first seen first)", "flex": 2},
    {"field": "moves", "headerName": "Moves", "width": 95},
    {"field": "linked_premises", "headerName": "Linked premises", "width": 145},
    {"field": "linked_tipoffs", "headerName": "Tip-offs", "width": 105},
    {"field": "first_seen", "headerName": "First seen", "width": 150},
    {"field": "last_seen", "headerName": "Latest activity", "width": 160},
    {"field": "review", "headerName": "Review", "width": 120},
]


def grid_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Grid rows: the network as a link to its page, times as London date and time."""
    if frame.empty:
        return []
    links = [f"[{n}](/networks/{i})" for n, i in zip(frame["network"], frame["id"], strict=True)]
    out = frame.assign(network=links)
    for column in ("first_seen", "last_seen"):
        stamps = pd.to_datetime(out[column], utc=True).dt.tz_convert(LONDON)
        out[column] = stamps.dt.strftime("%a %d %b %H:%M").fillna("")
    return out.to_dict("records")


def layout() -> html.Div:
    """The grid of networks, built per request from the networks table alone."""
    with services().db.read() as session:
        rows = grid_rows(network_rows(session))
    controls: list[Any] = []
    if current_principal().role in (ADMIN, ANALYST):
        controls = [
            html.Button("Rebuild networks now", id=Ids.REBUILD, className="button"),
            html.Span(id=Ids.JOB_STATUS, className="muted", **{"aria-live": "polite"}),
            dcc.Store(id=Ids.JOB),
            dcc.Interval(id=Ids.POLL, interval=2000, disabled=True),
        ]
    return html.Div(
        [
            html.Div(
                [html.H2(f"Networks of adverts ({len(rows)})"), *controls], className="board-head"
            ),
            html.P(
                "Adverts linked by shared phones, near-identical wording and re-used photos. "
                "Open a network for its path, evidence, links and graph.",
                className="muted",
            ),
            dag.AgGrid(
                id=Ids.GRID,
                rowData=rows,
                columnDefs=COLUMNS,
                defaultColDef={"sortable": True, "filter": True, "resizable": True},
                dashGridOptions={"animateRows": False, "rowBuffer": 20},
                className="ag-theme-alpine",
                style={"height": "70vh"},
            ),
        ],
        className="page",
    )
