"""Layout of the progress board: totals, map by status, tables, and what is left (one click)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash_ag_grid as dag
import pandas as pd
from dash import dcc, html

from dashboard.components.fields import choices, labelled
from dashboard.context import services
from dashboard.pages.board.ids import Ids
from dashboard.pages.planning.figures import planning_figure
from layers.planning.week import default_day, week_days

POLL_MS = 10_000
LIVE: dict[str, Any] = {"aria-live": "polite"}

LEFT_COLUMNS = [
    {"field": "day", "headerName": "Day", "width": 115},
    {"field": "call_sign", "headerName": "Team", "width": 120},
    {"field": "stop", "headerName": "Stop", "width": 80},
    {"field": "ref", "headerName": "Ref", "width": 120},
    {"field": "address", "headerName": "Address", "flex": 2},
    {"field": "district", "headerName": "District", "width": 140},
    {"field": "status_label", "headerName": "Status", "width": 120},
]


def _grid(id_: str, height: int = 260) -> dag.AgGrid:
    return dag.AgGrid(
        id=id_,
        rowData=[],
        columnDefs=[],
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        className="ag-theme-alpine",
        style={"height": f"{height}px"},
        columnSize="sizeToFit",
    )


def left_panel(days: list[dt.date]) -> html.Aside:
    """What is left, today (the day chosen, opening on today) or this week."""
    opening = default_day(days) or days[0]
    return html.Aside(
        [
            html.H3("What is left"),
            choices(
                "Show what is left",
                dcc.RadioItems(
                    id=Ids.LEFT_SCOPE,
                    options=[
                        {"label": "Today", "value": "today"},
                        {"label": "This week", "value": "week"},
                    ],
                    value="today",
                    inline=True,
                    className="radio left-scope",
                ),
            ),
            labelled(
                "Day",
                dcc.Dropdown(
                    id=Ids.DAY,
                    options=[
                        {"label": d.strftime("%a %d %b"), "value": d.isoformat()} for d in days
                    ],
                    value=opening.isoformat(),
                    clearable=False,
                ),
                Ids.DAY,
            ),
            html.P(id=Ids.LEFT_TITLE, className="muted"),
            dag.AgGrid(
                id=Ids.LEFT,
                rowData=[],
                columnDefs=LEFT_COLUMNS,
                defaultColDef={"sortable": True, "filter": True, "resizable": True},
                className="ag-theme-alpine",
                style={"height": "420px"},
            ),
        ],
        className="panel board-left",
    )


def layout() -> html.Div:
    """The board, built per request; its data refreshes every ten seconds."""
    svc = services()
    with svc.db.read() as session:
        days = week_days(session)
    empty = pd.DataFrame(columns=["id", "lon", "lat", "status"])
    figure = planning_figure(svc.boundaries, svc.config.tiles, empty, None, False, "board")
    head = [html.H2("Progress of the week of action"), html.Span(id=Ids.UPDATED, className="muted")]
    tables = [
        html.Div([html.H3("By day"), _grid(Ids.BY_DAY)]),
        html.Div([html.H3("By team"), _grid(Ids.BY_TEAM)]),
        html.Div([html.H3("By district"), _grid(Ids.BY_DISTRICT, 420)]),
        html.Div([html.H3("By division"), _grid(Ids.BY_DIVISION, 180)]),
    ]
    graph = dcc.Graph(
        id=Ids.MAP,
        figure=figure,
        config={"displaylogo": False, "scrollZoom": True},
        className="map",
    )
    return html.Div(
        [
            html.Div(head, className="board-head"),
            html.Div(id=Ids.TOTALS, className="counts", **LIVE),
            html.Div(id=Ids.LATE, className="late-teams", **LIVE),
            html.Div(
                [html.Section([graph], className="centre"), left_panel(days)],
                className="board-grid",
            ),
            html.Div(tables, className="board-tables"),
            dcc.Interval(id=Ids.POLL, interval=POLL_MS),
            dcc.Store(id=Ids.REVISION, data=-1),
        ],
        className="board",
    )
