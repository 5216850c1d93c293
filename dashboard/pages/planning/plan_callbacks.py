"""Callbacks that change the plan: assign, unassign, optimise, reorder, suggest and accept.

Commanders and admins only (``require``). Every change runs in one write transaction through
:func:`dashboard.components.feedback.run_change`, which words its outcome like every other page;
only rows the commander can see (not hidden by a filter) take part in a bulk change.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.access import ADMIN, COMMANDER, current_principal, require
from dashboard.components.feedback import Feedback, run_change
from dashboard.context import services
from dashboard.pages.planning.ids import MOVE_DOWN, MOVE_UP, Ids
from layers.planning.assignments import move
from layers.planning.bulk import (
    assign_many,
    selection_requests,
    unassign_many,
    visible_selection,
)
from layers.planning.candidates import candidate_frame
from layers.planning.plan_time import accept_plan, suggest_plan
from layers.planning.replan_day import optimise_day
from layers.planning.teams import list_teams
from layers.planning.week import days_ahead, week_days

logger = logging.getLogger(__name__)

CHANGERS = (ADMIN, COMMANDER)
SELECTION = {
    "selected": State(Ids.GRID, "selectedRows"),
    "shown": State(Ids.GRID, "rowData"),
    "visible": State(Ids.GRID, "virtualRowData"),
}
"""The grid's selection as a bulk change reads it (see :func:`visible_selection`)."""


def _answer(done: Feedback, refresh: int | None) -> dict[str, Any]:
    return {"message": done.toast(), "refresh": (refresh or 0) + 1 if done.changed else no_update}


def _refused(text: str) -> dict[str, Any]:
    return {"message": Feedback(text, ok=False, changed=False).toast(), "refresh": no_update}


def suggestion_review(
    rows: list[dict[str, Any]], teams: dict[int, str], refs: dict[int, Any]
) -> html.Details:
    """The suggestion by team and day: references in visiting order with their arrival times."""
    by_team_day: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        key = (teams.get(int(r["team_id"]), "?"), str(r["day"]))
        by_team_day.setdefault(key, []).append(r)
    items = []
    for (team, day), placed in sorted(by_team_day.items()):
        placed.sort(key=lambda r: r["position"])
        names = ", ".join(
            f"{refs.get(r['location_id']) or r['location_id']}"
            + (f" at {str(r['eta'])[11:16]}" if r.get("eta") else "") for r in placed)
        when = dt.date.fromisoformat(day)
        items.append(html.Li(f"{team} · {when:%a %d %b}: {len(placed)} ({names})"))
    return html.Details([html.Summary("Review by team and day"), html.Ul(items)], open=True)


def suggestion_summary(
    rows: list[dict[str, Any]],
    unallocated: dict[int, str],
    teams: dict[int, str],
    refs: dict[int, Any],
) -> list[Any]:
    """How many were placed, the review, and why the others were not."""
    groups: dict[str, list[int]] = {}
    for loc, why in unallocated.items():
        groups.setdefault(why, []).append(loc)
    return [
        html.P(f"{sum(r.get('assignment_id') is None for r in rows)} locations placed, "
               f"{len(rows)} stops timed, {len(unallocated)} not placed."),
        suggestion_review(rows, teams, refs),
        *[html.P(f"Not placed: {len(ids)} ({why})") for why, ids in groups.items()],
    ]


@require(*CHANGERS)
def assign_selected(
    clicks: int,
    selected: list | None,
    shown: list | None,
    visible: list | None,
    team_id: int | None,
    day: str | None,
    reason: str | None,
    safety: str | None,
    over: list | None,
    refresh: int,
) -> dict[str, Any]:
    """Assign every selected, visible location to the team-day, most urgent first."""
    rows = visible_selection(selected, shown, visible)
    if not rows or team_id is None or not day:
        return {**_refused("Select locations, a team and a day first."), "over": no_update}
    requests = selection_requests(rows, int(team_id), dt.date.fromisoformat(day))
    user = current_principal().username

    def work(session: Any) -> str:
        report = assign_many(
            session, requests, user, reason=reason, safety_note=safety, over_capacity=bool(over)
        )
        return report.summary()

    return {**_answer(run_change(services().db, work), refresh), "over": []}


@require(*CHANGERS)
def unassign_selected(
    clicks: int,
    selected: list | None,
    shown: list | None,
    visible: list | None,
    reason: str | None,
    refresh: int,
) -> dict[str, Any]:
    """Take the selected, visible planned locations off the plan, row by row."""
    rows = [r for r in visible_selection(selected, shown, visible) if r.get("assignment_id")]
    if not rows:
        return _refused("Select planned locations first.")
    user = current_principal().username
    done = run_change(
        services().db, lambda s: unassign_many(s, rows, user, reason).summary("Unassigned")
    )
    return _answer(done, refresh)


@require(*CHANGERS)
def optimise(clicks: int, team_id: int | None, day: str | None, refresh: int) -> dict[str, Any]:
    """Re-order and re-time the team-day with the routing engine (or say there is nothing)."""
    if team_id is None or not day:
        return _refused("Choose a team and a day first.")
    user = current_principal().username
    svc = services()

    def work(session: Any) -> str:
        done = optimise_day(session, int(team_id), dt.date.fromisoformat(day), svc.clock(),
                            svc.travel, user)
        left = f"; {len(done['unplanned'])} no longer fit" if done["unplanned"] else ""
        return f"Route optimised: {done['accepted']} stops timed{left}."

    return _answer(run_change(services().db, work), refresh)


@require(*CHANGERS)
def move_stop(up: list, down: list, rows: list | None, refresh: int) -> dict[str, Any]:
    """Move one stop a place earlier or later (with its version: a stale list is refused)."""
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not ctx.triggered[0].get("value"):
        raise PreventUpdate  # the list was redrawn, nobody clicked
    row = next((r for r in rows or [] if r.get("assignment_id") == trigger["index"]), None)
    if row is None:
        raise PreventUpdate
    position = max(int(row["stop"]) - 1 + (-1 if trigger["type"] == MOVE_UP else 1), 0)
    user = current_principal().username

    def work(session: Any) -> str:
        move(session, int(row["assignment_id"]), int(row["assignment_version"]), user,
             position=position, reason="reordered")  # fmt: skip
        return f"{row.get('ref') or row['id']} is now stop {position + 1}."

    return _answer(run_change(services().db, work), refresh)


@require(*CHANGERS)
def suggest(clicks: int) -> dict[str, Any]:
    """Suggest an allocation of unplanned high-priority locations (nothing is saved yet)."""
    with services().db.read() as session:
        frame = candidate_frame(session)
        days = days_ahead(week_days(session), services().clock().date())
        suggestion = suggest_plan(session, days, services().travel, frame=frame)
        teams = {t.id: t.call_sign for t in list_teams(session)}
    refs: dict[int, str] = {
        int(i): r for i, r in zip(frame["id"], frame["ref"], strict=True) if isinstance(r, str)
    }
    rows = [{**r, "ref": refs.get(int(str(r["location_id"])), "")} for r in suggestion.as_records()]
    summary = suggestion_summary(rows, suggestion.unallocated, teams, refs)
    return {"rows": rows, "summary": summary, "disabled": not rows}


@require(*CHANGERS)
def accept(clicks: int, rows: list | None, refresh: int) -> dict[str, Any]:
    """Apply the reviewed suggestion; locations a colleague changed meanwhile are skipped."""
    if not rows:
        raise PreventUpdate
    user = current_principal().username
    done = run_change(services().db, lambda s: accept_plan(s, rows, user).summary("Accepted"))
    return {**_answer(done, refresh), "disabled": True}


ANSWER = {
    "message": Output(Ids.MESSAGE, "children", allow_duplicate=True),
    "refresh": Output(Ids.REFRESH, "data", allow_duplicate=True),
}
REFRESH = {"refresh": State(Ids.REFRESH, "data")}
TEAM_DAY = {"team_id": State(Ids.TEAM, "value"), "day": State(Ids.DAY, "value")}
SPECS: list[tuple[dict[str, Any], Any]] = [
    (
        {
            "output": {**ANSWER, "over": Output(Ids.OVER_CAPACITY, "value")},
            "inputs": {"clicks": Input(Ids.ASSIGN, "n_clicks")},
            "state": {**SELECTION, **TEAM_DAY, **REFRESH,
                      "reason": State(Ids.REASON, "value"), "safety": State(Ids.SAFETY, "value"),
                      "over": State(Ids.OVER_CAPACITY, "value")},
        },
        assign_selected,
    ),
    (
        {"output": ANSWER, "inputs": {"clicks": Input(Ids.UNASSIGN, "n_clicks")},
         "state": {**SELECTION, **REFRESH, "reason": State(Ids.REASON, "value")}},
        unassign_selected,
    ),
    (
        {"output": ANSWER, "inputs": {"clicks": Input(Ids.OPTIMISE, "n_clicks")},
         "state": {**TEAM_DAY, **REFRESH}},
        optimise,
    ),
    (
        {"output": ANSWER,
         "inputs": {"up": Input({"type": MOVE_UP, "index": ALL}, "n_clicks"),
                    "down": Input({"type": MOVE_DOWN, "index": ALL}, "n_clicks")},
         "state": {"rows": State(Ids.GRID, "rowData"), **REFRESH}},
        move_stop,
    ),
    (
        {"output": {"rows": Output(Ids.SUGGESTION, "data"),
                    "summary": Output(Ids.SUGGESTION_SUMMARY, "children"),
                    "disabled": Output(Ids.ACCEPT, "disabled")},
         "inputs": {"clicks": Input(Ids.SUGGEST, "n_clicks")}},
        suggest,
    ),
    (
        {"output": {**ANSWER, "disabled": Output(Ids.ACCEPT, "disabled", allow_duplicate=True)},
         "inputs": {"clicks": Input(Ids.ACCEPT, "n_clicks")},
         "state": {"rows": State(Ids.SUGGESTION, "data"), **REFRESH}},
        accept,
    ),
]  # fmt: skip
"""Each callback with its outputs and inputs (all fire on a click only)."""


def register_plan_callbacks(app: Dash) -> None:
    """Register the plan-changing callbacks on ``app``."""
    for spec, callback in SPECS:
        app.callback(**spec, prevent_initial_call=True)(callback)
