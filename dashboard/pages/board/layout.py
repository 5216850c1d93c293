"""Layout of the progress board: totals, map by status, tables, and what is left (one click)."""

from __future__ import annotations

import datetime as dt

import dash_ag_grid as dag
from dash import dcc, html

from dashboard.context import services
from dashboard.pages.board.ids import Ids
from dashboard.pages.planning.figures import planning_figure
from layers.core.operations import current_operation, operation_days

POLL_MS = 10_000

LEFT_COLUMNS = [
    {"field": "day", "headerName": "Day", "width": 115},
    {"field": "call_sign", "headerName": "Team", "width": 120},
    {"field": "stop", "headerName": "Stop", "width": 80},
    {"field": "ref", "headerName": "Ref", "width": 120},
    {"field": "address", "headerName": "Address", "flex": 2},
    {"field": "district_code", "headerName": "District", "width": 115},
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


def layout() -> html.Div:
    """The board, built per request; its data refreshes every ten seconds."""
    svc = services()
    with svc.db.read() as session:
        days = operation_days(current_operation(session))
    today = dt.date.today()
    default_day = today if today in days else days[0]
    return html.Div(
        [
            html.Div(
                [
                    html.H2("Progress of the week of action"),
                    html.Span(id=Ids.UPDATED, className="muted"),
                ],
                className="board-head",
            ),
            html.Div(id=Ids.TOTALS, className="counts", **{"aria-live": "polite"}),
            html.Div(
                [
                    html.Section(
                        [
                            dcc.Graph(
                                id=Ids.MAP,
                                figure=planning_figure(
                                    svc.boundaries,
                                    svc.config.tiles,
                                    _empty(),
                                    None,
                                    False,
                                    uirevision="board",
                                ),
                                config={"displaylogo": False, "scrollZoom": True},
                                className="map",
                            ),
                        ],
                        className="centre",
                    ),
                    html.Aside(
                        [
                            html.H3("What is left"),
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
                            dcc.Dropdown(
                                id=Ids.DAY,
                                options=[
                                    {"label": d.strftime("%a %d %b"), "value": d.isoformat()}
                                    for d in days
                                ],
                                value=default_day.isoformat(),
                                clearable=False,
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
                    ),
                ],
                className="board-grid",
            ),
            html.Div(
                [
                    html.Div([html.H3("By day"), _grid(Ids.BY_DAY)]),
                    html.Div([html.H3("By team"), _grid(Ids.BY_TEAM)]),
                    html.Div([html.H3("By district"), _grid(Ids.BY_DISTRICT, 420)]),
                    html.Div([html.H3("By division"), _grid(Ids.BY_DIVISION, 180)]),
                ],
                className="board-tables",
            ),
            dcc.Interval(id=Ids.POLL, interval=POLL_MS),
            dcc.Store(id=Ids.REVISION, data=-1),
        ],
        className="board",
    )


def _empty():  # type: ignore[no-untyped-def]
    import pandas as pd

    return pd.DataFrame(columns=["id", "lon", "lat", "status"])
