"""The field API: a team's own stops and its queued actions; commanders' timers and alerts.

A team account reaches only ``/api/field/stops`` and ``/api/field/actions``, and both work
from the team its account is linked to (never a team id in the request), so one team cannot
ask for another's plan. Actions are applied one transaction each, in the order sent: an
earlier one is kept even when a later one is refused.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy.exc import IntegrityError

from dashboard.access import ADMIN, COMMANDER, OPERATIONAL, TEAM, current_principal, require
from dashboard.api.errors import domain_errors, json_error
from dashboard.context import services
from layers.core.errors import NotFound
from layers.field import actions, links, stops, timers
from layers.field.requests import parse_action

logger = logging.getLogger(__name__)

field_api = Blueprint("field_api", __name__)

MAX_ACTIONS = 100
REMIND_MINUTES = 10
"""How long before a visit's deadline the phone reminds the team to check out."""


def _grace() -> int:
    return max(0, min(240, services().config.field_grace_minutes))


@field_api.get("/api/field/stops")
@require(TEAM)
def get_stops() -> Any:
    """The signed-in team's stops for today's shift, with what the timers need."""
    svc, principal = services(), current_principal()
    now = svc.clock()

    def read() -> Response:
        with svc.db.read() as session:
            team = links.team_of(session, principal.username)
            return jsonify({
                "team": team.call_sign,
                "now": now.isoformat(),
                "grace_minutes": _grace(),
                "remind_minutes": REMIND_MINUTES,
                "stops": [s.as_dict() for s in stops.shift_stops(session, team, now)],
            })

    return domain_errors(read)


def _apply_one(body: Any) -> dict[str, Any]:
    """Apply one action in its own transaction; a duplicate racing in gets the stored answer."""
    svc, principal = services(), current_principal()
    now = svc.clock()
    try:
        req = parse_action(body, now)
    except ValueError as exc:
        key = body.get("key") if isinstance(body, dict) else None
        return {"key": str(key)[:64] if key else None, "state": "invalid", "message": str(exc)}
    try:
        with svc.db.write() as session:
            team = links.team_of(session, principal.username)
            return actions.apply_action(session, team, principal.username, req, now).as_dict()
    except NotFound as exc:  # not (or no longer) on this team's plan today: say so, go on
        return {"key": req.key, "state": "refused", "message": f"Not saved: {exc}."}
    except IntegrityError:
        with svc.db.read() as session:
            answer = actions.stored_answer(session, req.key)
        if answer is None:
            raise
        return answer.as_dict()


@field_api.post("/api/field/actions")
@require(TEAM)
def post_actions() -> Any:
    """Apply queued actions in order; each answer says applied, refused (why) or invalid."""
    body = request.get_json(silent=True)
    items = body.get("actions") if isinstance(body, dict) else None
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_ACTIONS:
        return json_error(400, f"send {{'actions': [...]}} with 1 to {MAX_ACTIONS} actions")

    def run() -> Response:
        return jsonify({"results": [_apply_one(item) for item in items]})

    return domain_errors(run)


@field_api.get("/api/field/board")
@require(*OPERATIONAL)
def get_board() -> Any:
    """Each team's state and every open overdue alert (raising any that are now due)."""
    svc = services()
    with svc.db.write(bump=False) as session:
        return jsonify(timers.field_board(session, svc.clock(), _grace()))


@field_api.post("/api/field/alerts/<int:alert_id>/ack")
@require(ADMIN, COMMANDER)
def post_ack(alert_id: int) -> Any:
    """Acknowledge an overdue alert with a note."""
    svc, principal = services(), current_principal()
    body = request.get_json(silent=True)
    note = body.get("note") if isinstance(body, dict) else None
    if not isinstance(note, str):
        return json_error(400, "send {'note': '...'}")

    def write() -> Response:
        with svc.db.write() as session:
            alert = timers.acknowledge(session, alert_id, principal.username, note, svc.clock())
            return jsonify({"id": alert.id, "acknowledged_by": alert.acknowledged_by})

    return domain_errors(write)


@field_api.post("/api/field/links")
@require(ADMIN)
def post_link() -> Any:
    """Link a team account to a team by call sign."""
    principal = current_principal()
    body = request.get_json(silent=True) or {}
    username, call_sign = body.get("username"), body.get("call_sign")
    if not isinstance(username, str) or not isinstance(call_sign, str):
        return json_error(400, "send {'username': ..., 'call_sign': ...}")

    def write() -> Response:
        with services().db.write() as session:
            links.link_user(session, username, call_sign, principal.username)
            return jsonify({"username": username, "call_sign": call_sign})

    return domain_errors(write)
