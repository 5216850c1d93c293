"""The planning-in-time API: visit terms, suggested plans, a day's ETAs, re-planning a day.

Authorised like the rest of planning: commanders and admins change, every operational role
reads. Input is read strictly at the boundary (400 with what to send); rules refuse with 422,
stale versions answer 409 (:mod:`dashboard.api.errors`).

- ``PATCH /api/locations/<id>/visit``: ``window_from``/``window_until`` ("HH:MM", both null:
  any time), ``duration_minutes``, ``skills``, ``latest_day``, ``on_day``;
- ``POST /api/plan/suggest``: ``{"days": [...], "accept": bool, "threshold": n}``;
- ``GET /api/plan?day=YYYY-MM-DD``: per team its shift and ordered stops with ``eta``/``etd``;
- ``POST /api/plan/replan``: ``{"team_id", "day", "now"?, "lon"?, "lat"?}`` proposes;
- ``POST /api/plan/replan/accept``: the proposal's ``team_id``, ``day``, ``based_on`` and
  ``stops`` apply it, or 409 when the team-day changed since.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy.orm import Session

from dashboard.access import ADMIN, COMMANDER, OPERATIONAL, current_principal, require
from dashboard.api import fields
from dashboard.api.errors import Answer, domain_errors
from dashboard.api.planning import write_change
from dashboard.context import services
from layers.audit import processing_log
from layers.planning.day_view import day_plan
from layers.planning.plan_time import accept_plan, suggest_plan
from layers.planning.priority import HIGH_PRIORITY
from layers.planning.replan_day import accept_replan, propose_replan
from layers.planning.teams import in_great_britain
from layers.planning.visit_rules import set_visit, visit_changes

logger = logging.getLogger(__name__)

plan_time_api = Blueprint("plan_time_api", __name__)

CHANGERS = (ADMIN, COMMANDER)
MAX_BASED_ON = 200
"""The most visits one team-day's re-plan names (a day holds a few dozen at most)."""


@plan_time_api.patch("/api/locations/<int(max=2147483647):location_id>/visit")
@require(*CHANGERS)
def patch_visit(location_id: int) -> Answer:
    """Set a location's visit window, duration, skills, latest or must-visit day."""
    user = current_principal().username

    def change(session: Session) -> dict[str, Any]:
        terms = set_visit(session, location_id, visit_changes(fields.json_object()), user)
        return {"location_id": location_id, **terms.as_dict()}

    return write_change(change)


def _days(body: dict[str, Any]) -> list[dt.date]:
    raw = body.get("days")
    if not isinstance(raw, list) or not raw or len(raw) > 31:
        raise ValueError("days must be a list of dates as YYYY-MM-DD, such as [\"2026-11-30\"]")
    return [fields.required_day({"days[]": d}, "days[]") for d in raw]


def _threshold(body: dict[str, Any]) -> float:
    value = body.get("threshold", HIGH_PRIORITY)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise ValueError("threshold must be a priority from 0 to 100")
    return float(value)


@plan_time_api.post("/api/plan/suggest")
@require(*CHANGERS)
def post_suggest() -> Answer:
    """Plan ``days`` with the routing engine; with ``accept`` apply it at once."""
    user = current_principal().username
    svc = services()

    def change(session: Session) -> dict[str, Any]:
        body = fields.json_object()
        accept = fields.flag(body, "accept")
        plan = suggest_plan(session, _days(body), svc.travel, _threshold(body))
        answer = {**plan.as_dict(), "accepted": accept}
        if accept:
            report = accept_plan(session, plan.as_records(), user)
            answer |= {"done": report.done, "skipped": report.skipped,
                       "warnings": report.warnings}
        return answer

    return write_change(change)


@plan_time_api.get("/api/plan")
@require(*OPERATIONAL)
def get_plan() -> Answer:
    """A day's plan: per team its shift and its stops in order with their times."""
    principal = current_principal()
    svc = services()

    def read() -> dict[str, Any]:
        day = fields.required_day({"day": request.args.get("day")})
        with svc.db.read() as session:
            return day_plan(session, day, svc.travel, svc.clock())

    body = domain_errors(read)
    if not isinstance(body, dict):
        return body
    with svc.db.write(bump=False) as session:
        processing_log.record(session, principal.username, processing_log.CONSULTATION,
                              f"API read of the plan for {body['day']}")
    return jsonify(body)


def _now(body: dict[str, Any]) -> dt.datetime:
    """The request's ``now`` (ISO with an offset), else the server's clock."""
    raw = body.get("now")
    if raw is None:
        return services().clock()
    try:
        when = dt.datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise ValueError("now must be a time as ISO 8601 with its offset, e.g. "
                         "2026-11-30T13:30:00+00:00")
    return when


def _position(body: dict[str, Any]) -> tuple[float, float] | None:
    if body.get("lon") is None and body.get("lat") is None:
        return None
    point = (fields.number(body, "lon"), fields.number(body, "lat"))
    if not in_great_britain(*point):
        raise ValueError("lon/lat must be a place in Great Britain")
    return point


@plan_time_api.post("/api/plan/replan")
@require(*CHANGERS)
def post_replan() -> Answer:
    """Propose the re-planned rest of a team's day (nothing is saved)."""
    svc = services()

    def read() -> Response:
        body = fields.json_object()
        team_id, day = fields.whole(body, "team_id"), fields.required_day(body)
        with svc.db.read() as session:
            return jsonify(propose_replan(session, team_id, day, _now(body), svc.travel,
                                          _position(body)))

    return domain_errors(read)


def _based_on(body: dict[str, Any]) -> dict[int, int]:
    raw = body.get("based_on")
    if not isinstance(raw, dict) or len(raw) > MAX_BASED_ON:
        raise ValueError("based_on (the proposal's assignment versions) is required")
    return {fields.whole_value(k, "based_on id"): fields.whole_value(v, "based_on version")
            for k, v in raw.items()}


def _stops(body: dict[str, Any]) -> list[dict[str, Any]]:
    raw = body.get("stops")
    if not isinstance(raw, list) or len(raw) > MAX_BASED_ON:
        raise ValueError("stops (the proposal's stops) is required")
    stops = []
    for stop in raw:
        if not isinstance(stop, dict):
            raise ValueError("each stop is an object with location_id, eta and etd")
        stops.append({"location_id": fields.whole(stop, "location_id"),
                      "eta": fields.required_text(stop, "eta", 40),
                      "etd": fields.required_text(stop, "etd", 40)})
    return stops


@plan_time_api.post("/api/plan/replan/accept")
@require(*CHANGERS)
def post_replan_accept() -> Answer:
    """Apply a reviewed re-plan; 409 when the team-day changed since it was proposed."""
    user = current_principal().username

    def change(session: Session) -> dict[str, Any]:
        body = fields.json_object()
        return accept_replan(session, fields.whole(body, "team_id"), fields.required_day(body),
                             _based_on(body), _stops(body), user)

    return write_change(change)
