"""Layout of the planning page: controls, map with lasso select, candidate grid, the team-day."""

from __future__ import annotations

import dash_ag_grid as dag
from dash import dcc, html

from dashboard.access import ADMIN, COMMANDER, current_principal
from dashboard.context import services
from dashboard.pages.planning.figures import GRID_COLUMNS, planning_figure
from dashboard.pages.planning.ids import RESULT_INPUT, Ids
from layers.core.operations import current_operation, operation_days
from layers.core.status import OUTCOMES, RESULT_FIELDS
from layers.planning.store import list_teams

POLL_MS = 15_000


def _field(label: str, component: object) -> html.Div:
    return html.Div([html.Label(label), component], className="filter")


def team_form() -> html.Details:
    """Adding a team (commanders and admins)."""
    return html.Details(
        [
            html.Summary("Add a team"),
            _field("Call sign", dcc.Input(id=Ids.TEAM_CALL_SIGN, type="text")),
            _field(
                "Division",
                dcc.Dropdown(id=Ids.TEAM_DIVISION, options=["West", "South", "East"]),
            ),
            _field("Officers", dcc.Input(id=Ids.TEAM_MEMBERS, type="number", min=1, value=2)),
            _field("Visits a day", dcc.Input(id=Ids.TEAM_CAPACITY, type="number", min=1, value=6)),
            _field("Shift (HH:MM-HH:MM)", dcc.Input(id=Ids.TEAM_SHIFT, value="08:00-16:00")),
            _field(
                "Partner agencies (comma separated)",
                dcc.Input(id=Ids.TEAM_PARTNERS, type="text"),
            ),
            _field("Start point (lon, lat)", dcc.Input(id=Ids.TEAM_START, type="text")),
            _field("Start point name", dcc.Input(id=Ids.TEAM_LABEL, type="text")),
            html.Button("Add team", id=Ids.ADD_TEAM, className="button"),
        ],
        className="team-form",
    )


def status_form() -> html.Div:
    """Status change for the one location selected in the grid."""
    return html.Div(
        [
            html.H3("Status of the selected location"),
            html.Div(id=Ids.STATUS_TARGET, className="muted"),
            _field("Move to", dcc.RadioItems(id=Ids.NEXT_STATUS, options=[], className="radio")),
            _field(
                "Outcome (closing a visit)",
                dcc.RadioItems(
                    id=Ids.OUTCOME,
                    options=[{"label": v, "value": k} for k, v in OUTCOMES.items()],
                    className="radio",
                ),
            ),
            html.Div(
                [
                    _field(
                        label,
                        dcc.Input(
                            id={"type": RESULT_INPUT, "index": key}, type="number", min=0, step=1
                        ),
                    )
                    for key, label in RESULT_FIELDS.items()
                ],
                id=Ids.RESULTS,
                className="results-grid",
            ),
            _field("Note", dcc.Input(id=Ids.NOTE, type="text")),
            html.Button("Save status", id=Ids.SAVE_STATUS, className="button"),
        ],
        className="status-form",
    )


def layout() -> html.Div:
    """The page, built per request from the current operation, teams and boundaries."""
    svc = services()
    editable = current_principal().role in (ADMIN, COMMANDER)
    with svc.db.read() as session:
        days = operation_days(current_operation(session))
        teams = [
            (t.id, f"{t.call_sign} ({t.division}, {t.daily_capacity}/day)")
            for t in list_teams(session)
        ]
    day_options = [{"label": d.strftime("%a %d %b"), "value": d.isoformat()} for d in days]
    controls: list[object] = [
        html.H2("Team and day"),
        _field(
            "Team",
            dcc.Dropdown(
                id=Ids.TEAM,
                options=[{"label": label, "value": tid} for tid, label in teams],
                value=teams[0][0] if teams else None,
                clearable=False,
            ),
        ),
        _field(
            "Day",
            dcc.Dropdown(
                id=Ids.DAY,
                options=day_options,
                value=day_options[0]["value"] if day_options else None,
                clearable=False,
            ),
        ),
        html.Div(id=Ids.CAPACITY, className="capacity"),
    ]
    controls.append(
        html.Div(
            [
                _field("Reason (kept in the history)", dcc.Input(id=Ids.REASON, type="text")),
                _field("Safety note for the team", dcc.Input(id=Ids.SAFETY, type="text")),
                html.Button("Assign selected", id=Ids.ASSIGN, className="button"),
                html.Button("Unassign selected", id=Ids.UNASSIGN, className="button secondary"),
                html.Button("Optimise route", id=Ids.OPTIMISE, className="button secondary"),
                html.H2("Suggested allocation"),
                html.Button("Suggest", id=Ids.SUGGEST, className="button secondary"),
                html.Div(id=Ids.SUGGESTION_SUMMARY, className="muted"),
                html.Button("Accept suggestion", id=Ids.ACCEPT, className="button", disabled=True),
                team_form(),
            ],
            hidden=not editable,
        )
    )
    if not editable:
        controls.append(html.P("You may view the plan; commanders change it.", className="muted"))
    return html.Div(
        [
            html.Div(id=Ids.MESSAGE, role="status", className="toast", **{"aria-live": "polite"}),
            html.Div(
                [
                    html.Aside(controls, className="sidebar"),
                    html.Section(
                        [
                            dcc.Graph(
                                id=Ids.MAP,
                                figure=planning_figure(
                                    svc.boundaries, svc.config.tiles, _empty(), None, editable
                                ),
                                config={"displaylogo": False, "scrollZoom": True},
                                className="map",
                            ),
                            dag.AgGrid(
                                id=Ids.GRID,
                                columnDefs=GRID_COLUMNS,
                                rowData=[],
                                getRowId="params.data.id",
                                defaultColDef={
                                    "sortable": True,
                                    "filter": True,
                                    "resizable": True,
                                    "floatingFilter": True,
                                },
                                dashGridOptions={
                                    "rowSelection": "multiple",
                                    "suppressRowClickSelection": False,
                                    "animateRows": False,
                                },
                                selectedRows=[],
                                className="ag-theme-alpine candidates",
                                style={"height": "360px"},
                            ),
                        ],
                        className="centre",
                    ),
                    html.Aside(
                        [
                            html.H2("Route"),
                            html.Div(id=Ids.ROUTE_INFO),
                            html.Div(id=Ids.STOPS),
                            html.Div(id=Ids.RUNSHEETS, className="runsheets"),
                            html.Div(status_form(), hidden=not editable),
                        ],
                        className="panel planning-panel",
                    ),
                ],
                className="ops-grid planning-grid",
            ),
            dcc.Store(id=Ids.REFRESH, data=0),
            dcc.Store(id=Ids.REVISION, data=-1),
            dcc.Store(id=Ids.SUGGESTION),
            dcc.Interval(id=Ids.POLL, interval=POLL_MS),
        ],
        className="planning",
    )


def _empty():  # type: ignore[no-untyped-def]
    import pandas as pd

    return pd.DataFrame(columns=["id", "lon", "lat", "status"])
