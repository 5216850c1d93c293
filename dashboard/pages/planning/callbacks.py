"""Callbacks of the planning page: glue between the controls and :mod:`layers.planning`.

Each callback reads its inputs, calls the store inside one write (or read) transaction, and
returns components. Every one is authorised on the server with ``require``: analysts may view,
commanders and admins change. A stale change shows the colleague's change, never overwrites it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from dash import ALL, Dash, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.access import ADMIN, COMMANDER, OPERATIONAL, current_principal, require
from dashboard.context import services
from dashboard.pages.planning.figures import grid_rows, planning_figure, route_traces, stop_list
from dashboard.pages.planning.ids import MOVE_DOWN, MOVE_UP, RESULT_INPUT, Ids
from layers.core.locations import NotFound, VersionConflict
from layers.core.operations import current_operation, operation_days
from layers.core.status import (
    OUTCOME_STATUS,
    PLANNED,
    STATUS_LABELS,
    STATUSES,
    UNPLANNED,
    TransitionError,
    next_statuses,
)
from layers.planning import store
from layers.planning.candidates import candidate_frame, planned_loads, suggest_for
from layers.planning.capacity import over_allocation
from layers.planning.models import Team
from layers.planning.routing import ROAD_FACTOR

logger = logging.getLogger(__name__)

CHANGERS = (ADMIN, COMMANDER)


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def team_day_stops(frame: pd.DataFrame, team_id: int | None, day: dt.date | None) -> pd.DataFrame:
    """The rows of ``frame`` planned for the team-day, in stop order."""
    if team_id is None or day is None or frame.empty:
        return frame.iloc[0:0]
    mask = (frame["team_id"] == team_id) & (frame["day"] == day)
    return frame[mask.fillna(False)].sort_values(["position", "id"])


def route_length_m(start: tuple[float, float], stops: pd.DataFrame) -> float:
    """Straight-line length of the closed route through ``stops`` in order (BNG metres)."""
    if stops.empty:
        return 0.0
    pts = np.vstack([start, stops[["easting", "northing"]].to_numpy(dtype="float64"), start])
    return float(np.hypot(*np.diff(pts, axis=0).T).sum())


def _message(text: str, ok: bool = True) -> html.Div:
    return html.Div(text, className="toast-ok" if ok else "toast-error")


def _change(work: Callable[[Any], str]) -> tuple[html.Div, bool]:
    """Run ``work(session)`` in one write; the message to show and whether it changed anything."""
    try:
        with services().db.write() as session:
            return _message(work(session)), True
    except VersionConflict as exc:
        return _message(exc.message(), ok=False), True
    except store.PlanConflict as exc:
        return _message(exc.message(), ok=False), True
    except (store.PlanError, TransitionError, NotFound, ValueError) as exc:
        return _message(f"Not saved: {exc}", ok=False), False


def _selected(rows: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [r for r in rows or [] if isinstance(r, dict) and "id" in r]


def current_rows(
    selected: list[dict[str, Any]] | None, shown: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """The selected rows as the grid shows them now (the versions the commander is looking at).

    The grid's ``selectedRows`` keeps the row data of the moment of selection; after a refresh
    the shown ``rowData`` is newer, and it is what a change must be based on.
    """
    by_id = {r["id"]: r for r in shown or [] if isinstance(r, dict) and "id" in r}
    return [by_id.get(r["id"], r) for r in _selected(selected)]


def register_callbacks(app: Dash) -> None:
    """Register the planning page's callbacks on ``app``."""

    @app.callback(
        Output(Ids.GRID, "rowData"),
        Output(Ids.MAP, "figure"),
        Output(Ids.STOPS, "children"),
        Output(Ids.ROUTE_INFO, "children"),
        Output(Ids.RUNSHEETS, "children"),
        Output(Ids.CAPACITY, "children"),
        Output(Ids.REVISION, "data"),
        Input(Ids.TEAM, "value"),
        Input(Ids.DAY, "value"),
        Input(Ids.REFRESH, "data"),
        Input(Ids.POLL, "n_intervals"),
        State(Ids.REVISION, "data"),
    )
    @require(*OPERATIONAL)
    def refresh(
        team_id: int | None, day_value: str | None, _r: Any, _n: Any, shown_revision: int
    ) -> tuple:
        """Redraw from the store; a poll with no new data since the last redraw sends nothing."""
        svc = services()
        revision = svc.db.revision()
        if ctx.triggered_id == Ids.POLL and revision == shown_revision:
            raise PreventUpdate
        day = _day(day_value)
        editable = current_principal().role in CHANGERS
        with svc.db.read() as session:
            frame = candidate_frame(session)
            team = session.get(Team, team_id) if team_id is not None else None
            loads = planned_loads(session)
        stops = team_day_stops(frame, team_id, day)
        route = []
        info: list[Any] = [html.P("Choose a team and a day.", className="muted")]
        links: list[Any] = []
        capacity: list[Any] = []
        if team is not None and day is not None:
            start = (team.start_easting, team.start_northing)
            length = route_length_m(start, stops)
            route = route_traces((team.start_lon, team.start_lat), stops, team.call_sign)
            info = [
                html.P(
                    f"{team.call_sign} · {day:%a %d %b} · {len(stops)} "
                    f"{'stop' if len(stops) == 1 else 'stops'} · "
                    f"{length / 1000:.1f} km straight line, about "
                    f"{length * ROAD_FACTOR / 1000:.1f} km by road · from "
                    f"{team.start_label or 'start point'}"
                )
            ]
            base = f"/runsheets/{team.id}/{day.isoformat()}"
            links = [
                html.Span("Run sheet: "),
                html.A("print", href=f"{base}.html", target="_blank"),
                " · ",
                html.A("PDF", href=f"{base}.pdf"),
                " · ",
                html.A("CSV", href=f"{base}.csv"),
            ]
            n = loads.get((team.id, day), 0)
            warnings = over_allocation(
                {(team.id, day): n}, {team.id: team.daily_capacity}, {team.id: team.call_sign}
            )
            capacity = [
                html.P(f"{n} of {team.daily_capacity} visits planned on this day."),
                *[html.P(w.message(), className="warning") for w in warnings],
            ]
        figure = planning_figure(svc.boundaries, svc.config.tiles, frame, route, editable)
        return (
            grid_rows(frame),
            figure,
            stop_list(stops, MOVE_UP, MOVE_DOWN, editable),
            info,
            links,
            capacity,
            revision,
        )

    @app.callback(
        Output(Ids.GRID, "selectedRows"),
        Input(Ids.MAP, "selectedData"),
        prevent_initial_call=True,
    )
    @require(*OPERATIONAL)
    def select_on_map(selected: dict | None) -> Any:
        """Lasso/box selection or a click (shift-click adds) selects the same rows in the grid."""
        points = (selected or {}).get("points") or []
        ids = sorted({int(p["customdata"]) for p in points if isinstance(p.get("customdata"), int)})
        return {"ids": [str(i) for i in ids]}

    @app.callback(
        Output(Ids.MESSAGE, "children"),
        Output(Ids.REFRESH, "data"),
        Input(Ids.ASSIGN, "n_clicks"),
        State(Ids.GRID, "selectedRows"),
        State(Ids.GRID, "rowData"),
        State(Ids.TEAM, "value"),
        State(Ids.DAY, "value"),
        State(Ids.REASON, "value"),
        State(Ids.SAFETY, "value"),
        State(Ids.REFRESH, "data"),
        prevent_initial_call=True,
    )
    @require(*CHANGERS)
    def assign_selected(
        _n: int,
        rows: list | None,
        shown: list | None,
        team_id: int | None,
        day_value: str | None,
        reason: str | None,
        safety: str | None,
        refresh: int,
    ) -> tuple:
        """Assign every selected unplanned location to the team-day, in priority order."""
        rows = current_rows(rows, shown)
        day = _day(day_value)
        if not rows or team_id is None or day is None:
            return _message("Select locations, a team and a day first.", ok=False), no_update
        user = current_principal().username

        def work(session: Any) -> str:
            warnings: list[str] = []
            done, skipped = 0, []
            for r in sorted(rows, key=lambda r: -float(r.get("priority") or 0)):
                if r.get("assignment_id"):
                    skipped.append(f"{r.get('ref') or r['id']} is already planned.")
                    continue
                if r.get("status") not in (UNPLANNED, PLANNED):
                    label = STATUS_LABELS.get(r.get("status"), r.get("status"))
                    skipped.append(f"{r.get('ref') or r['id']} is {label}: not planned.")
                    continue
                result = store.assign(
                    session,
                    int(r["id"]),
                    int(r["version"]),
                    int(team_id),
                    day,
                    user,
                    safety_note=safety,
                    reason=reason,
                )
                done += 1
                warnings = result.warnings
            return " ".join([f"Assigned {done}.", *skipped, *warnings])

        message, changed = _change(work)
        return message, refresh + 1 if changed else no_update

    @app.callback(
        Output(Ids.MESSAGE, "children", allow_duplicate=True),
        Output(Ids.REFRESH, "data", allow_duplicate=True),
        Input(Ids.UNASSIGN, "n_clicks"),
        State(Ids.GRID, "selectedRows"),
        State(Ids.GRID, "rowData"),
        State(Ids.REASON, "value"),
        State(Ids.REFRESH, "data"),
        prevent_initial_call=True,
    )
    @require(*CHANGERS)
    def unassign_selected(
        _n: int, rows: list | None, shown: list | None, reason: str | None, refresh: int
    ) -> tuple:
        """Take the selected locations off the plan."""
        rows = [r for r in current_rows(rows, shown) if r.get("assignment_id")]
        if not rows:
            return _message("Select planned locations first.", ok=False), no_update
        user = current_principal().username

        def work(session: Any) -> str:
            for r in rows:
                store.unassign(
                    session, int(r["assignment_id"]), int(r["assignment_version"]), user, reason
                )
            return f"Unassigned {len(rows)}."

        message, changed = _change(work)
        return message, refresh + 1 if changed else no_update

    @app.callback(
        Output(Ids.MESSAGE, "children", allow_duplicate=True),
        Output(Ids.REFRESH, "data", allow_duplicate=True),
        Input(Ids.OPTIMISE, "n_clicks"),
        State(Ids.TEAM, "value"),
        State(Ids.DAY, "value"),
        State(Ids.REFRESH, "data"),
        prevent_initial_call=True,
    )
    @require(*CHANGERS)
    def optimise(_n: int, team_id: int | None, day_value: str | None, refresh: int) -> tuple:
        """Reorder the team-day along the shortest route found."""
        day = _day(day_value)
        if team_id is None or day is None:
            raise PreventUpdate
        user = current_principal().username

        def work(session: Any) -> str:
            route = store.optimise_route(session, int(team_id), day, user)
            return f"Route optimised: {route.length_m / 1000:.1f} km straight line."

        message, changed = _change(work)
        return message, refresh + 1 if changed else no_update

    @app.callback(
        Output(Ids.MESSAGE, "children", allow_duplicate=True),
        Output(Ids.REFRESH, "data", allow_duplicate=True),
        Input({"type": MOVE_UP, "index": ALL}, "n_clicks"),
        Input({"type": MOVE_DOWN, "index": ALL}, "n_clicks"),
        State(Ids.GRID, "rowData"),
        State(Ids.REFRESH, "data"),
        prevent_initial_call=True,
    )
    @require(*CHANGERS)
    def move_stop(_up: list, _down: list, rows: list | None, refresh: int) -> tuple:
        """Move one stop a place earlier or later (with its version: a stale list is refused)."""
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not ctx.triggered[0].get("value"):
            raise PreventUpdate  # the list was redrawn, nobody clicked
        assignment_id = int(trigger["index"])
        row = next((r for r in rows or [] if r.get("assignment_id") == assignment_id), None)
        if row is None:
            raise PreventUpdate
        step = -1 if trigger["type"] == MOVE_UP else 1
        new_position = max(int(row["stop"]) - 1 + step, 0)
        user = current_principal().username

        def work(session: Any) -> str:
            store.move(
                session,
                assignment_id,
                int(row["assignment_version"]),
                user,
                position=new_position,
                reason="reordered",
            )
            return f"{row.get('ref') or row['id']} is now stop {new_position + 1}."

        message, changed = _change(work)
        return message, refresh + 1 if changed else no_update

    @app.callback(
        Output(Ids.SUGGESTION, "data"),
        Output(Ids.SUGGESTION_SUMMARY, "children"),
        Output(Ids.ACCEPT, "disabled"),
        Input(Ids.SUGGEST, "n_clicks"),
        prevent_initial_call=True,
    )
    @require(*CHANGERS)
    def suggest(_n: int) -> tuple:
        """Suggest an allocation of unplanned high-priority locations (nothing is saved yet)."""
        svc = services()
        with svc.db.read() as session:
            days = operation_days(current_operation(session))
            frame = candidate_frame(session)
            suggestion = suggest_for(session, days, frame=frame)
            teams = {t.id: t.call_sign for t in store.list_teams(session)}
        rows = suggestion.as_records()
        summary = [
            html.P(f"{len(rows)} locations placed, {len(suggestion.unallocated)} not placed."),
            suggestion_review(rows, teams, _refs(frame)),
            *[
                html.P(f"Not placed: {len(ids)} ({why})")
                for why, ids in _group(suggestion.unallocated).items()
            ],
        ]
        return rows, summary, not rows

    @app.callback(
        Output(Ids.MESSAGE, "children", allow_duplicate=True),
        Output(Ids.REFRESH, "data", allow_duplicate=True),
        Output(Ids.ACCEPT, "disabled", allow_duplicate=True),
        Input(Ids.ACCEPT, "n_clicks"),
        State(Ids.SUGGESTION, "data"),
        State(Ids.REFRESH, "data"),
        prevent_initial_call=True,
    )
    @require(*CHANGERS)
    def accept(_n: int, rows: list | None, refresh: int) -> tuple:
        """Apply the reviewed suggestion; locations a colleague changed meanwhile are skipped."""
        if not rows:
            raise PreventUpdate
        user = current_principal().username

        def work(session: Any) -> str:
            report = store.accept_suggestion(session, rows, user)
            text = f"Accepted {len(report.assigned)}."
            if report.skipped:
                text += f" Skipped {len(report.skipped)} changed by colleagues meanwhile."
            return " ".join([text, *report.warnings])

        message, changed = _change(work)
        return message, refresh + 1 if changed else no_update, True

    @app.callback(
        Output(Ids.STATUS_TARGET, "children"),
        Output(Ids.NEXT_STATUS, "options"),
        Output(Ids.NEXT_STATUS, "value"),
        Input(Ids.GRID, "selectedRows"),
        Input(Ids.GRID, "rowData"),
        State(Ids.NEXT_STATUS, "value"),
    )
    @require(*OPERATIONAL)
    def status_target(rows: list | None, shown: list | None, chosen: str | None) -> tuple:
        """The status form follows the single selected location (as it is shown now)."""
        rows = current_rows(rows, shown)
        if len(rows) != 1:
            return "Select one location in the table.", [], None
        r = rows[0]
        options = [{"label": STATUS_LABELS[s], "value": s} for s in next_statuses(r["status"])]
        values = [o["value"] for o in options]
        forward = [v for v in values if STATUSES.index(v) > STATUSES.index(r["status"])]
        default = forward[0] if forward else (values[0] if values else None)
        keep = chosen if chosen in values else default
        return (
            f"{r.get('ref') or r['id']} · {STATUS_LABELS.get(r['status'], r['status'])}",
            options,
            keep,
        )

    @app.callback(
        Output(Ids.MESSAGE, "children", allow_duplicate=True),
        Output(Ids.REFRESH, "data", allow_duplicate=True),
        Input(Ids.SAVE_STATUS, "n_clicks"),
        State(Ids.GRID, "selectedRows"),
        State(Ids.GRID, "rowData"),
        State(Ids.NEXT_STATUS, "value"),
        State(Ids.OUTCOME, "value"),
        State({"type": RESULT_INPUT, "index": ALL}, "value"),
        State({"type": RESULT_INPUT, "index": ALL}, "id"),
        State(Ids.NOTE, "value"),
        State(Ids.REFRESH, "data"),
        prevent_initial_call=True,
    )
    @require(*CHANGERS)
    def save_status(
        _n: int,
        rows: list | None,
        shown: list | None,
        status: str | None,
        outcome: str | None,
        values: list,
        ids: list,
        note: str | None,
        refresh: int,
    ) -> tuple:
        """Change the selected location's status (with the version it was shown at)."""
        rows = current_rows(rows, shown)
        if len(rows) != 1 or not status:
            return _message("Select one location and a status.", ok=False), no_update
        if outcome and OUTCOME_STATUS.get(outcome) != status:
            status = OUTCOME_STATUS.get(outcome, status)
        results = {i["index"]: int(v) for i, v in zip(ids, values, strict=True) if v}
        row = rows[0]
        user = current_principal().username

        def work(session: Any) -> str:
            loc = store.set_status(
                session,
                int(row["id"]),
                status,
                int(row["version"]),
                user,
                note,
                outcome,
                results,
            )
            return f"{row.get('ref') or row['id']} is now {STATUS_LABELS[loc.status]}."

        message, changed = _change(work)
        return message, refresh + 1 if changed else no_update

    @app.callback(
        Output(Ids.MESSAGE, "children", allow_duplicate=True),
        Output(Ids.TEAM, "options"),
        Input(Ids.ADD_TEAM, "n_clicks"),
        State(Ids.TEAM_CALL_SIGN, "value"),
        State(Ids.TEAM_DIVISION, "value"),
        State(Ids.TEAM_MEMBERS, "value"),
        State(Ids.TEAM_CAPACITY, "value"),
        State(Ids.TEAM_SHIFT, "value"),
        State(Ids.TEAM_PARTNERS, "value"),
        State(Ids.TEAM_START, "value"),
        State(Ids.TEAM_LABEL, "value"),
        prevent_initial_call=True,
    )
    @require(*CHANGERS)
    def add_team(
        _n: int,
        call_sign: str | None,
        division: str | None,
        members: int | None,
        capacity: int | None,
        shift: str | None,
        partners: str | None,
        start: str | None,
        label: str | None,
    ) -> tuple:
        """Add a team from the form."""
        try:
            lon, lat = (float(v) for v in (start or "").split(","))
            shift_start, shift_end = (shift or "08:00-16:00").split("-")
        except ValueError:
            return _message("Start point is 'lon, lat'; shift is HH:MM-HH:MM.", ok=False), no_update
        spec = store.TeamSpec(
            call_sign=call_sign or "",
            division=division or "",
            start_lon=lon,
            start_lat=lat,
            start_label=label or "",
            members=int(members or 2),
            partners=tuple(p.strip() for p in (partners or "").split(",") if p.strip()),
            daily_capacity=int(capacity or 6),
            shift_start=shift_start.strip(),
            shift_end=shift_end.strip(),
        )
        user = current_principal().username
        message, _changed = _change(
            lambda s: f"Team {store.create_team(s, spec, user).call_sign} added."
        )
        with services().db.read() as session:
            options = [
                {"label": f"{t.call_sign} ({t.division}, {t.daily_capacity}/day)", "value": t.id}
                for t in store.list_teams(session)
            ]
        return message, options


def suggestion_review(
    rows: list[dict[str, Any]], teams: dict[int, str], refs: dict[int, Any]
) -> html.Details:
    """The suggestion by team and day, with the references in visiting order, to review."""
    by_team_day: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        key = (teams.get(int(r["team_id"]), "?"), str(r["day"]))
        by_team_day.setdefault(key, []).append(r)
    items = []
    for (team, day), placed in sorted(by_team_day.items()):
        placed.sort(key=lambda r: r["position"])
        names = ", ".join(str(refs.get(r["location_id"]) or r["location_id"]) for r in placed)
        when = dt.date.fromisoformat(day)
        items.append(html.Li(f"{team} · {when:%a %d %b}: {len(placed)} ({names})"))
    return html.Details([html.Summary("Review by team and day"), html.Ul(items)], open=True)


def _refs(frame: pd.DataFrame) -> dict[int, str]:
    return {int(i): r for i, r in zip(frame["id"], frame["ref"], strict=True) if isinstance(r, str)}


def _group(unallocated: dict[int, str]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for loc, why in unallocated.items():
        groups.setdefault(why, []).append(loc)
    return groups
