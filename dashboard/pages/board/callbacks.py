"""Callbacks of the progress board: one refresh (polled) and the "what is left" list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from dash import Dash, Input, Output, State, html
from dash.exceptions import PreventUpdate

from dashboard.access import OPERATIONAL, require
from dashboard.components.network_alerts import alert_strip
from dashboard.context import services
from dashboard.pages.board.ids import Ids
from dashboard.pages.planning.figures import planning_figure
from layers.core.clock import today_local
from layers.core.status import OUTCOMES, RESULT_FIELDS, STATUS_LABELS
from layers.planning.board import COUNT_COLUMNS, OUTCOME_COLUMNS, left_to_do, progress_board
from layers.planning.candidates import candidate_frame
from layers.planning.day_view import late_teams
from layers.planning.districts import district_names, name_districts, with_district_names

LABELS: dict[str, str] = {
    "day": "Day",
    "call_sign": "Team",
    "division": "Division",
    "district": "District",
    "unplanned": "Unplanned",
    "planned": "Planned",
    "in_progress": "In progress",
    "done": "Done",
    "total": "Total",
    **OUTCOMES,
    "postponed": "Postponed",
}
LEFT_FIELDS = ["day", "call_sign", "stop", "ref", "address", "district", "status_label"]


def columns(keys: list[str]) -> list[dict[str, Any]]:
    """Grid columns: the keys, then counts and outcomes that the rows carry."""
    wanted = [*keys, *COUNT_COLUMNS, *OUTCOME_COLUMNS]
    return [{"field": k, "headerName": LABELS.get(k, k)} for k in wanted]


def _card(strong: str, text: str) -> html.Div:
    return html.Div([html.Strong(strong), html.Span(text)], className="count")


def totals_strip(totals: dict[str, int], results: dict[str, int]) -> list[html.Div]:
    """The headline counts: done against planned, outcomes, and result figures."""
    on_plan = totals.get("planned", 0) + totals.get("in_progress", 0) + totals.get("done", 0)
    return [
        _card(f"{totals.get('done', 0)} / {on_plan}", " visits done"),
        _card(str(totals.get("in_progress", 0)), " in progress"),
        _card(str(totals.get("unplanned", 0)), " premises unplanned"),
        html.Div(
            " · ".join(f"{OUTCOMES[k]}: {totals.get(k, 0)}" for k in OUTCOMES), className="count"
        ),
        html.Div(
            " · ".join(f"{label}: {results.get(k, 0)}" for k, label in RESULT_FIELDS.items()),
            className="count",
        ),
    ]


def left_rows(frame: pd.DataFrame, names: dict[str, str]) -> list[dict[str, Any]]:
    """What is left, as grid rows (districts by name)."""
    if frame.empty:
        return []
    shown = frame.assign(
        day=frame["day"].map(lambda d: d.isoformat()),
        status_label=frame["status"].map(STATUS_LABELS),
        address=frame["address"].fillna(""),
        district=name_districts(frame["district_code"], names),
    )
    return shown[LEFT_FIELDS].to_dict("records")


GRIDS: dict[str, Ids] = {
    "day": Ids.BY_DAY,
    "team": Ids.BY_TEAM,
    "district": Ids.BY_DISTRICT,
    "division": Ids.BY_DIVISION,
}
KEYS: dict[str, list[str]] = {
    "day": ["day"],
    "team": ["call_sign", "division"],
    "district": ["district", "division"],
    "division": ["division"],
}
"""Each progress table's grouping columns (then the counts and outcomes)."""


@require(*OPERATIONAL)
def refresh(poll: Any, shown: int) -> dict[str, Any]:
    """Redraw the board when the data moved on since the last redraw."""
    svc = services()
    revision = svc.db.revision()
    if revision == shown:
        raise PreventUpdate
    with svc.db.read() as session:
        board = progress_board(session)
        frame = candidate_frame(session)
        alerts = alert_strip(session)  # "new in town" networks (layers.networks)
    rows = {
        "day": board.by_day,
        "team": board.by_team,
        "district": with_district_names(board.by_district, district_names(svc.boundaries)),
        "division": board.by_division,
    }
    return {
        "totals": [*totals_strip(board.totals, board.results), *([alerts] if alerts else [])],
        "rows": rows,
        "columns": {k: columns(v) for k, v in KEYS.items()},
        "figure": planning_figure(svc.boundaries, svc.config.tiles, frame, None, False, "board"),
        "updated": f"Data as of {dt.datetime.now(dt.UTC):%H:%M:%S} UTC",
        "revision": revision,
    }


@require(*OPERATIONAL)
def left(scope: str, day: str | None, poll: Any) -> dict[str, Any]:
    """What is left today (the chosen day) or for the whole week."""
    when = dt.date.fromisoformat(day) if scope == "today" and day else None
    svc = services()
    with svc.db.read() as session:
        rows = left_rows(left_to_do(session, when), district_names(svc.boundaries))
    title = f"{len(rows)} visits left " + (f"on {when:%A %d %B}" if when else "this week")
    return {"rows": rows, "title": title, "disabled": scope != "today"}


@require(*OPERATIONAL)
def late(poll: Any) -> list[Any]:
    """Teams running late against their plan today (checked on every poll: lateness grows
    with the clock, not only with the data)."""
    svc = services()
    now = svc.clock()
    with svc.db.read() as session:
        found = late_teams(session, today_local(now), now)
    return [html.P(t.message(), className="warning") for t in found]


SPECS: list[tuple[dict[str, Any], Any]] = [
    ({"output": Output(Ids.LATE, "children"), "inputs": {"poll": Input(Ids.POLL, "n_intervals")}},
     late),
    (
        {
            "output": {
                "totals": Output(Ids.TOTALS, "children"),
                "rows": {k: Output(i, "rowData") for k, i in GRIDS.items()},
                "columns": {k: Output(i, "columnDefs") for k, i in GRIDS.items()},
                "figure": Output(Ids.MAP, "figure"),
                "updated": Output(Ids.UPDATED, "children"),
                "revision": Output(Ids.REVISION, "data"),
            },
            "inputs": {"poll": Input(Ids.POLL, "n_intervals")},
            "state": {"shown": State(Ids.REVISION, "data")},
        },
        refresh,
    ),
    (
        {
            "output": {
                "rows": Output(Ids.LEFT, "rowData"),
                "title": Output(Ids.LEFT_TITLE, "children"),
                "disabled": Output(Ids.DAY, "disabled"),
            },
            "inputs": {
                "scope": Input(Ids.LEFT_SCOPE, "value"),
                "day": Input(Ids.DAY, "value"),
                "poll": Input(Ids.POLL, "n_intervals"),
            },
        },
        left,
    ),
]
"""Each callback with its outputs and inputs (Dash's dict grouping: callbacks take keywords)."""


def register_callbacks(app: Dash) -> None:
    """Register the board's callbacks on ``app``."""
    for spec, callback in SPECS:
        app.callback(**spec)(callback)
