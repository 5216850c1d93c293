"""Re-planning the rest of a team's day on the planning page: propose, review, accept or reject.

The proposal (:func:`layers.planning.replan_day.propose_replan`) is kept in a ``dcc.Store``
with the versions it was based on; accepting applies exactly what the commander reviewed, or
says a colleague changed the day meanwhile (the 409 of the API). Rejecting changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from dash import Dash, Input, Output, State, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.access import ADMIN, COMMANDER, current_principal, require
from dashboard.components.feedback import Feedback, failure, run_change
from dashboard.context import services
from dashboard.pages.planning.ids import Ids
from layers.core.errors import Conflict, NotFound
from layers.planning.replan_day import accept_replan, propose_replan

logger = logging.getLogger(__name__)

CHANGERS = (ADMIN, COMMANDER)


def _shown(proposal: dict[str, Any] | None, summary: Any) -> dict[str, Any]:
    """The proposal store, its review, and both buttons (live only while there is one)."""
    closed = proposal is None
    return {"proposal": proposal, "summary": summary, "accept_off": closed, "reject_off": closed}


def _clock(value: Any) -> str:
    return str(value)[11:16] if value else "--:--"


def replan_review(proposal: dict[str, Any]) -> list[Any]:
    """The proposed change, stop by stop: planned times before and after, what drops out."""
    before = {b["location_id"]: b for b in proposal["before"]}
    items = []
    for n, stop in enumerate(proposal["stops"], start=1):
        was = before.get(stop["location_id"], {})
        kept = " (done or under way)" if stop["fixed"] else ""
        items.append(html.Li(
            f"Stop {n}: location {stop['location_id']} {_clock(stop['eta'])}-"
            f"{_clock(stop['etd'])}, was {_clock(was.get('eta'))}-{_clock(was.get('etd'))}{kept}",
            className="replan-stop"))
    notes = [html.P(f"Postponed, off this day: location {loc}") for loc in proposal["postponed"]]
    notes += [html.P(f"No longer fits: location {u['location_id']} ({u['reason']}: "
                     f"{u['detail']})", className="warning") for u in proposal["unplanned"]]
    return [html.P(f"Proposed from {_clock(proposal['now'])}: review, then accept or reject."),
            html.Ol(items), *notes]


@require(*CHANGERS)
def propose(clicks: int, team_id: int | None, day: str | None) -> dict[str, Any]:
    """Work out the re-plan from now and show it (nothing is saved)."""
    if team_id is None or not day:
        return _shown(None, "Choose a team and a day first.")
    svc = services()
    try:
        with svc.db.read() as session:
            proposal = propose_replan(session, int(team_id), dt.date.fromisoformat(day),
                                      svc.clock(), svc.travel)
    except (Conflict, NotFound, ValueError) as exc:
        return _shown(None, failure(exc).toast())
    return _shown(proposal, replan_review(proposal))


@require(*CHANGERS)
def accept(clicks: int, proposal: dict[str, Any] | None, refresh: int) -> dict[str, Any]:
    """Apply the reviewed re-plan, unless the team-day changed since it was proposed."""
    if not proposal:
        raise PreventUpdate
    user = current_principal().username

    def work(session: Any) -> str:
        based_on = {int(k): int(v) for k, v in proposal["based_on"].items()}
        done = accept_replan(session, int(proposal["team_id"]),
                             dt.date.fromisoformat(proposal["day"]), based_on,
                             proposal["stops"], user)
        return f"Re-plan accepted: {done['accepted']} stops re-timed."

    done: Feedback = run_change(services().db, work)
    refreshed = (refresh or 0) + 1 if done.changed else no_update
    return {"message": done.toast(), "refresh": refreshed, **_shown(None, "")}


@require(*CHANGERS)
def reject(clicks: int) -> dict[str, Any]:
    """Drop the proposal: the plan stays as it was."""
    return _shown(None, "Re-plan rejected: the plan is unchanged.")


PROPOSAL = {"proposal": Output(Ids.REPLAN_PROPOSAL, "data", allow_duplicate=True),
            "summary": Output(Ids.REPLAN_SUMMARY, "children", allow_duplicate=True),
            "accept_off": Output(Ids.REPLAN_ACCEPT, "disabled", allow_duplicate=True),
            "reject_off": Output(Ids.REPLAN_REJECT, "disabled", allow_duplicate=True)}
SPECS: list[tuple[dict[str, Any], Any]] = [
    ({"output": PROPOSAL, "inputs": {"clicks": Input(Ids.REPLAN, "n_clicks")},
      "state": {"team_id": State(Ids.TEAM, "value"), "day": State(Ids.DAY, "value")}}, propose),
    ({"output": {**PROPOSAL, "message": Output(Ids.MESSAGE, "children", allow_duplicate=True),
                 "refresh": Output(Ids.REFRESH, "data", allow_duplicate=True)},
      "inputs": {"clicks": Input(Ids.REPLAN_ACCEPT, "n_clicks")},
      "state": {"proposal": State(Ids.REPLAN_PROPOSAL, "data"),
                "refresh": State(Ids.REFRESH, "data")}}, accept),
    ({"output": PROPOSAL, "inputs": {"clicks": Input(Ids.REPLAN_REJECT, "n_clicks")}}, reject),
]  # fmt: skip


def register_replan_callbacks(app: Dash) -> None:
    """Register the re-plan callbacks on ``app``."""
    for spec, callback in SPECS:
        app.callback(**spec, prevent_initial_call=True)(callback)
