"""Callbacks of the progress board: one refresh (polled) and the "what is left" list."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from dash import Dash, Input, Output, State, html
from dash.exceptions import PreventUpdate

from dashboard.access import OPERATIONAL, require
from dashboard.context import services
from dashboard.pages.board.ids import Ids
from dashboard.pages.planning.figures import planning_figure
from layers.core.status import OUTCOMES, RESULT_FIELDS, STATUS_LABELS
from layers.planning.board import COUNT_COLUMNS, OUTCOME_COLUMNS, left_to_do, progress_board
from layers.planning.candidates import candidate_frame

logger = logging.getLogger(__name__)

LABELS: dict[str, str] = {
    "day": "Day",
    "call_sign": "Team",
    "division": "Division",
    "district_code": "District",
    "unplanned": "Unplanned",
    "planned": "Planned",
    "in_progress": "In progress",
    "done": "Done",
    "total": "Total",
    **OUTCOMES,
    "postponed": "Postponed",
}


def columns(keys: list[str]) -> list[dict[str, Any]]:
    """Grid columns: the keys, then counts and outcomes that the rows carry."""
    wanted = [*keys, *COUNT_COLUMNS, *OUTCOME_COLUMNS]
    return [{"field": k, "headerName": LABELS.get(k, k)} for k in wanted]


def totals_strip(totals: dict[str, int], results: dict[str, int]) -> list[html.Div]:
    """The headline counts: done against planned, outcomes, and result figures."""
    on_plan = totals.get("planned", 0) + totals.get("in_progress", 0) + totals.get("done", 0)
    cards = [
        html.Div(
            [html.Strong(f"{totals.get('done', 0)} / {on_plan}"), html.Span(" visits done")],
            className="count",
        ),
        html.Div(
            [html.Strong(str(totals.get("in_progress", 0))), html.Span(" in progress")],
            className="count",
        ),
        html.Div(
            [html.Strong(str(totals.get("unplanned", 0))), html.Span(" premises unplanned")],
            className="count",
        ),
        html.Div(
            " · ".join(f"{OUTCOMES[k]}: {totals.get(k, 0)}" for k in OUTCOMES), className="count"
        ),
        html.Div(
            " · ".join(f"{label}: {results.get(k, 0)}" for k, label in RESULT_FIELDS.items()),
            className="count",
        ),
    ]
    return cards


def register_callbacks(app: Dash) -> None:
    """Register the board's callbacks on ``app``."""

    @app.callback(
        Output(Ids.TOTALS, "children"),
        Output(Ids.BY_DAY, "rowData"),
        Output(Ids.BY_DAY, "columnDefs"),
        Output(Ids.BY_TEAM, "rowData"),
        Output(Ids.BY_TEAM, "columnDefs"),
        Output(Ids.BY_DISTRICT, "rowData"),
        Output(Ids.BY_DISTRICT, "columnDefs"),
        Output(Ids.BY_DIVISION, "rowData"),
        Output(Ids.BY_DIVISION, "columnDefs"),
        Output(Ids.MAP, "figure"),
        Output(Ids.UPDATED, "children"),
        Output(Ids.REVISION, "data"),
        Input(Ids.POLL, "n_intervals"),
        State(Ids.REVISION, "data"),
    )
    @require(*OPERATIONAL)
    def refresh(_n: Any, shown_revision: int) -> tuple:
        """Redraw the board when the data moved on since the last redraw."""
        svc = services()
        revision = svc.db.revision()
        if revision == shown_revision:
            raise PreventUpdate
        with svc.db.read() as session:
            board = progress_board(session)
            frame = candidate_frame(session)
        figure = planning_figure(
            svc.boundaries, svc.config.tiles, frame, None, False, uirevision="board"
        )
        return (
            totals_strip(board.totals, board.results),
            board.by_day,
            columns(["day"]),
            board.by_team,
            columns(["call_sign", "division"]),
            board.by_district,
            columns(["district_code", "division"]),
            board.by_division,
            columns(["division"]),
            figure,
            f"Data as of {dt.datetime.now(dt.UTC):%H:%M:%S} UTC",
            revision,
        )

    @app.callback(
        Output(Ids.LEFT, "rowData"),
        Output(Ids.LEFT_TITLE, "children"),
        Output(Ids.DAY, "disabled"),
        Input(Ids.LEFT_SCOPE, "value"),
        Input(Ids.DAY, "value"),
        Input(Ids.POLL, "n_intervals"),
    )
    @require(*OPERATIONAL)
    def left(scope: str, day_value: str | None, _n: Any) -> tuple:
        """What is left today (the chosen day) or for the whole week."""
        day = dt.date.fromisoformat(day_value) if scope == "today" and day_value else None
        with services().db.read() as session:
            frame = left_to_do(session, day)
        rows = []
        if not frame.empty:
            frame = frame.assign(
                day=frame["day"].map(lambda d: d.isoformat()),
                status_label=frame["status"].map(STATUS_LABELS),
                address=frame["address"].fillna(""),
            )
            rows = frame[
                ["day", "call_sign", "stop", "ref", "address", "district_code", "status_label"]
            ].to_dict("records")
        title = (
            f"{len(rows)} visits left on {day:%A %d %B}"
            if day
            else f"{len(rows)} visits left this week"
        )
        return rows, title, scope != "today"
