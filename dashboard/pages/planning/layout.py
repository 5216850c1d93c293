"""Layout of the planning page: controls, map with lasso select, candidate grid, the team-day.

The day opens on today (or the operation's first day); team, day, the area filters and the
grid's own filters are kept for the browser session, so the page is as the commander left it.
"""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import pandas as pd
from dash import dcc, html

from dashboard.access import ADMIN, COMMANDER, current_principal
from dashboard.components.area_filters import area_filters
from dashboard.components.fields import choices
from dashboard.components.status_form import status_form
from dashboard.context import services
from dashboard.pages.planning.figures import GRID_COLUMNS, planning_figure
from dashboard.pages.planning.ids import STATUS_FORM, TEAM_ERROR, Ids
from geodata.force import DIVISIONS
from layers.planning.teams import list_teams, team_label
from layers.planning.week import default_day, week_days

POLL_MS = 15_000
SESSION: dict[str, Any] = {"persistence": True, "persistence_type": "session"}
LIVE: dict[str, Any] = {"aria-live": "polite"}
SELECT_HINT = "Select one location in the table (or click it on the map) to change its status."


def _field(label: str, component: Any, field_id: str, error: str | None = None) -> html.Div:
    """A labelled input; ``error`` names the field whose message shows right under it."""
    parts: list[Any] = [html.Label(label, htmlFor=field_id), component]
    if error:
        parts.append(html.Div(id={"type": TEAM_ERROR, "field": error}, className="field-error"))
    return html.Div(parts, className="filter")


def team_fields() -> list[tuple[str, Any, Ids, str]]:
    """The team form's fields: label, input, input id and the field its error belongs to."""
    start = html.Div(
        [
            dcc.Input(id=Ids.TEAM_START, type="text", placeholder="PR1 2RH, or -2.70, 53.76"),
            html.Button(
                "Choose on the map", id=Ids.TEAM_PICK, className="button secondary", type="button"
            ),
        ],
        className="start-point",
    )
    return [
        ("Call sign", dcc.Input(id=Ids.TEAM_CALL_SIGN, type="text", maxLength=40),
         Ids.TEAM_CALL_SIGN, "call_sign"),
        ("Division", dcc.Dropdown(id=Ids.TEAM_DIVISION, options=list(DIVISIONS)),
         Ids.TEAM_DIVISION, "division"),
        ("Officers", dcc.Input(id=Ids.TEAM_MEMBERS, type="number", min=1, value=2),
         Ids.TEAM_MEMBERS, "members"),
        ("Most visits a day", dcc.Input(id=Ids.TEAM_CAPACITY, type="number", min=1, value=6),
         Ids.TEAM_CAPACITY, "capacity"),
        ("Shift (HH:MM-HH:MM; 20:00-04:00 ends next morning)",
         dcc.Input(id=Ids.TEAM_SHIFT, value="08:00-16:00"), Ids.TEAM_SHIFT, "shift"),
        ("Break (minutes)", dcc.Input(id=Ids.TEAM_BREAK, type="number", min=0, max=120, value=0),
         Ids.TEAM_BREAK, "break"),
        ("Skills (comma separated, e.g. interpreter: Romanian, warrant)",
         dcc.Input(id=Ids.TEAM_SKILLS, type="text"), Ids.TEAM_SKILLS, "skills"),
        ("Partner agencies (comma separated)", dcc.Input(id=Ids.TEAM_PARTNERS, type="text"),
         Ids.TEAM_PARTNERS, "partners"),
        ("Start point: postcode, or choose on the map", start, Ids.TEAM_START, "start"),
        ("Start point name", dcc.Input(id=Ids.TEAM_LABEL, type="text"), Ids.TEAM_LABEL, "label"),
    ]  # fmt: skip


def team_form() -> html.Details:
    """Adding a team (commanders and admins): errors next to each field."""
    return html.Details(
        [
            html.Summary("Add a team"),
            *[_field(label, control, id_, error) for label, control, id_, error in team_fields()],
            html.Button("Add team", id=Ids.ADD_TEAM, className="button"),
            html.Div(id=Ids.TEAM_MESSAGE, role="status"),
        ],
        id=Ids.TEAM_FORM,
        className="team-form",
    )


def replan_controls() -> list[Any]:
    """Re-plan the rest of the team-day from now: shown for review, then accepted or not."""
    return [
        html.H2("Re-plan the rest of the day"),
        html.Button("Re-plan from now", id=Ids.REPLAN, className="button secondary"),
        html.Div(id=Ids.REPLAN_SUMMARY, **{"aria-live": "polite"}),
        html.Button("Accept re-plan", id=Ids.REPLAN_ACCEPT, className="button", disabled=True),
        html.Button("Reject", id=Ids.REPLAN_REJECT, className="button secondary",
                    disabled=True),
        dcc.Store(id=Ids.REPLAN_PROPOSAL),
    ]


def plan_controls() -> html.Div:
    """Assign, unassign, optimise and the suggested allocation."""
    over = choices(
        "Capacity",
        dcc.Checklist(
            id=Ids.OVER_CAPACITY,
            options=[{"label": "Allow over capacity", "value": "over"}],
            value=[],
            className="checklist",
        ),
    )
    return html.Div(
        [
            _field(
                "Reason (kept in the history)", dcc.Input(id=Ids.REASON, type="text"), Ids.REASON
            ),
            _field("Safety note for the team", dcc.Input(id=Ids.SAFETY, type="text"), Ids.SAFETY),
            over,
            html.Button("Assign selected", id=Ids.ASSIGN, className="button"),
            html.Button("Unassign selected", id=Ids.UNASSIGN, className="button secondary"),
            html.Button("Optimise route", id=Ids.OPTIMISE, className="button secondary"),
            *replan_controls(),
            html.H2("Suggested allocation"),
            html.Button("Suggest", id=Ids.SUGGEST, className="button secondary"),
            html.Div(id=Ids.SUGGESTION_SUMMARY, className="muted"),
            html.Button("Accept suggestion", id=Ids.ACCEPT, className="button", disabled=True),
            team_form(),
        ]
    )


def sidebar(editable: bool) -> html.Aside:
    """Team and day, the area filters, and the controls for those who may change the plan."""
    svc = services()
    with svc.db.read() as session:
        days = week_days(session)
        teams: list[dict[str, Any]] = [
            {"label": team_label(t), "value": t.id} for t in list_teams(session)
        ]
    today = default_day(days)
    day_options = [{"label": d.strftime("%a %d %b"), "value": d.isoformat()} for d in days]
    controls: list[Any] = [
        html.H2("Team and day"),
        _field(
            "Team",
            dcc.Dropdown(
                id=Ids.TEAM,
                options=teams,
                clearable=False,
                value=teams[0]["value"] if teams else None,
                **SESSION,
            ),
            Ids.TEAM,
        ),
        _field(
            "Day",
            dcc.Dropdown(
                id=Ids.DAY,
                options=day_options,
                clearable=False,
                value=today.isoformat() if today else None,
                **SESSION,
            ),
            Ids.DAY,
        ),
        html.Div(id=Ids.CAPACITY, className="capacity"),
        html.H2("Area"),
        *area_filters(svc.boundaries),
        html.Div(plan_controls(), hidden=not editable),
    ]
    if not editable:
        controls.append(html.P("You may view the plan; commanders change it.", className="muted"))
    return html.Aside(controls, className="sidebar")


def candidates_grid() -> dag.AgGrid:
    """The candidates: sortable, filterable (filters kept for the session: see
    :func:`dashboard.pages.planning.callbacks.keep_grid_filters`), multi-select."""
    return dag.AgGrid(
        id=Ids.GRID,
        columnDefs=GRID_COLUMNS,
        rowData=[],
        getRowId="params.data.row_id",
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "floatingFilter": True},
        dashGridOptions={
            # "selectAll: filtered": the header box never ticks rows a filter hides.
            "rowSelection": {"mode": "multiRow", "enableClickSelection": True,
                             "checkboxes": True, "headerCheckbox": True, "selectAll": "filtered"},
            "animateRows": False,
        },
        selectedRows=[],
        filterModel={},
        className="ag-theme-alpine candidates",
        style={"height": "360px"},
    )


def layout() -> html.Div:
    """The page, built per request from the current operation, teams and boundaries."""
    svc = services()
    editable = current_principal().role in (ADMIN, COMMANDER)
    empty = pd.DataFrame(columns=["id", "lon", "lat", "status"])
    figure = planning_figure(svc.boundaries, svc.config.tiles, empty, None, editable)
    return html.Div(
        [
            html.Div(id=Ids.MESSAGE, role="status", className="toast", **LIVE),
            html.Div(
                [
                    sidebar(editable),
                    html.Section(
                        [
                            dcc.Graph(
                                id=Ids.MAP,
                                figure=figure,
                                className="map",
                                config={"displaylogo": False, "scrollZoom": True},
                            ),
                            candidates_grid(),
                        ],
                        className="centre",
                    ),
                    html.Aside(
                        [
                            html.H2("Route"),
                            html.Div(id=Ids.ROUTE_INFO),
                            html.Div(id=Ids.STOPS),
                            html.Div(id=Ids.RUNSHEETS, className="runsheets"),
                            status_form(STATUS_FORM, editable, SELECT_HINT),
                        ],
                        className="panel planning-panel",
                    ),
                ],
                className="ops-grid planning-grid",
            ),
            dcc.Store(id=Ids.REFRESH, data=0),
            dcc.Store(id=Ids.REVISION, data=-1),
            dcc.Store(id=Ids.GRID_FILTERS, storage_type="session"),
            dcc.Store(id=Ids.SUGGESTION),
            dcc.Interval(id=Ids.POLL, interval=POLL_MS),
        ],
        className="planning",
    )
