"""The planning API for scripts: teams, assignments, status changes and the progress board.

Same authorisation as the UI (commanders and admins change; analysts may read), same store
functions, same version rules: a change based on a stale version answers ``409 Conflict`` with
what the colleague changed, and nothing is overwritten.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, jsonify, request, send_file
from sqlalchemy.orm import Session

from dashboard.access import (
    ADMIN,
    COMMANDER,
    OPERATIONAL,
    current_principal,
    require,
    same_origin_only,
)
from dashboard.api import fields
from dashboard.api.errors import Answer, domain_errors, json_error
from dashboard.context import services
from layers.audit import processing_log
from layers.audit.history import history_csv, history_rows
from layers.planning.assignments import assign, move, unassign
from layers.planning.board import left_to_do, progress_board
from layers.planning.districts import district_names
from layers.planning.runsheet import (
    RunSheet,
    build_runsheet,
    record_disclosure,
    runsheet_csv,
    runsheet_filename,
    runsheet_html,
    runsheet_pdf,
)
from layers.planning.status_changes import set_status
from layers.planning.team_time import read_base, read_time_fields, update_team
from layers.planning.teams import StartPoint, TeamSpec, create_team, list_teams, team_dict

planning_api = Blueprint("planning_api", __name__)

CHANGERS = (ADMIN, COMMANDER)


def write_change(change: Callable[[Session], Any], status: int = 200) -> Answer:
    """Run a change in one write transaction; its failures become their HTTP answers.

    Malformed input (``fields``) and every domain error go through the one map of
    :func:`dashboard.api.errors.domain_errors`: 400, 404, 409 or 422, never a 500.
    """

    def write() -> tuple[Response, int]:
        with services().db.write() as session:
            return jsonify(change(session)), status

    return domain_errors(write)


@planning_api.get("/api/teams")
@require(*OPERATIONAL)
def get_teams() -> Response:
    """Every team."""
    with services().db.read() as session:
        return jsonify({"teams": [team_dict(t) for t in list_teams(session)]})


@planning_api.post("/api/teams")
@require(*CHANGERS)
def post_team() -> Answer:
    """Add a team: ``call_sign``, ``division``, its base (``base_postcode``, or ``base_lon`` and
    ``base_lat``; ``start_lon``/``start_lat`` are the older names), and optionally
    ``shift_start``/``shift_end`` ("HH:MM"), ``break_minutes``, ``members``, ``skills``,
    ``partners`` and ``daily_capacity`` (a cap on visits a day)."""
    user = current_principal().username

    def change(session: Session) -> dict[str, Any]:
        body = fields.json_object()
        base = read_base(body, services().postcodes)
        if base is None:
            base = StartPoint(fields.number(body, "start_lon"), fields.number(body, "start_lat"))
        spec = TeamSpec(
            call_sign=fields.required_text(body, "call_sign", 200),
            division=fields.required_text(body, "division", 20),
            start_lon=base.lon,
            start_lat=base.lat,
            start_label=fields.text(body, "start_label", 200) or base.label,
            partners=fields.text_list(body, "partners"),
        )
        spec = dataclasses.replace(spec, **read_time_fields(body))
        return team_dict(create_team(session, spec, user))

    return write_change(change, 201)


@planning_api.patch("/api/teams/<int(max=2147483647):team_id>")
@require(*CHANGERS)
def patch_team(team_id: int) -> Answer:
    """Change a team's shift, break, base, members, skills or cap (``version`` optional: a
    stale one answers 409)."""
    user = current_principal().username

    def change(session: Session) -> dict[str, Any]:
        body = fields.json_object()
        return team_dict(update_team(session, team_id, body, services().postcodes, user))

    return write_change(change)


@planning_api.post("/api/assignments")
@require(*CHANGERS)
def post_assignment() -> Answer:
    """Plan a location: ``location_id``, ``version`` (the location's), ``team_id``, ``day``.

    A full team-day refuses one more (422) unless ``over_capacity`` is ``true``.
    """
    user = current_principal().username

    def change(session: Session) -> dict[str, Any]:
        body = fields.json_object()
        return assign(
            session,
            fields.whole(body, "location_id"),
            fields.whole(body, "version"),
            fields.whole(body, "team_id"),
            fields.required_day(body),
            user,
            fields.optional_whole(body, "position"),
            fields.text(body, "safety_note"),
            fields.text(body, "reason"),
            over_capacity=fields.flag(body, "over_capacity"),
        ).as_dict()

    return write_change(change, 201)


@planning_api.patch("/api/assignments/<int(max=2147483647):assignment_id>")
@require(*CHANGERS)
def patch_assignment(assignment_id: int) -> Answer:
    """Move or reorder: ``version`` (the assignment's) and ``team_id``, ``day``, ``position``."""
    user = current_principal().username

    def change(session: Session) -> dict[str, Any]:
        body = fields.json_object()
        return move(
            session,
            assignment_id,
            fields.whole(body, "version"),
            user,
            fields.optional_whole(body, "team_id", 1),
            fields.day(body),
            fields.optional_whole(body, "position"),
            fields.text(body, "safety_note"),
            fields.text(body, "reason"),
            over_capacity=fields.flag(body, "over_capacity"),
        ).as_dict()

    return write_change(change)


@planning_api.delete("/api/assignments/<int(max=2147483647):assignment_id>")
@require(*CHANGERS)
def delete_assignment(assignment_id: int) -> Answer:
    """Unassign: ``version`` in the JSON body or the query string."""
    user = current_principal().username

    def change(session: Session) -> dict[str, Any]:
        body = fields.json_object(empty_ok=True)
        raw = body.get("version", request.args.get("version"))
        version = fields.whole_value(raw, "version") if raw is not None else None
        if version is None:
            raise ValueError("version (a whole number) is required")
        reason = fields.text(body, "reason")
        return {
            "id": assignment_id,
            "location_version": unassign(session, assignment_id, version, user, reason),
        }

    return write_change(change)


@planning_api.post("/api/locations/<int(max=2147483647):location_id>/status")
@require(*CHANGERS)
def post_status(location_id: int) -> Answer:
    """Move along the lifecycle: ``status``, ``version``; ``outcome``, ``results``, ``note``.

    ``status`` may be left out when ``outcome`` is given; an outcome for a planned or in-progress
    visit records the steps in between (one-step close).
    """
    user = current_principal().username

    def change(session: Session) -> dict[str, Any]:
        request_ = status_request(fields.json_object())
        loc = set_status(session, location_id, username=user, **request_)
        return {"id": loc.id, "status": loc.status, "outcome": loc.outcome, "version": loc.version}

    return write_change(change)


def status_request(body: dict[str, Any]) -> dict[str, Any]:
    """A status change's fields, strictly typed (shared by both status routes)."""
    status, outcome = fields.text(body, "status", 40), fields.text(body, "outcome", 40)
    if status is None and outcome is None:
        raise ValueError("status (text) or outcome (text) is required")
    return {
        "status": status,
        "expected_version": fields.whole(body, "version"),
        "note": fields.text(body, "note"),
        "outcome": outcome,
        "results": fields.results(body),
    }


@planning_api.get("/api/board")
@require(*OPERATIONAL)
def get_board() -> Answer:
    """The progress board; ``?left=today|week`` (and ``day=YYYY-MM-DD``) adds what is left."""
    principal = current_principal()
    svc = services()
    with svc.db.read() as session:
        body = progress_board(session).as_dict()
        left = request.args.get("left")
        if left in ("today", "week"):
            try:
                day = dt.date.fromisoformat(request.args.get("day") or dt.date.today().isoformat())
            except ValueError:
                return json_error(400, "day must be a date as YYYY-MM-DD")
            frame = left_to_do(session, day if left == "today" else None)
            keep = ["day", "call_sign", "stop", "id", "ref", "district_code", "status", "version"]
            rows = frame[keep].to_dict("records") if not frame.empty else []
            body["left"] = [
                {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items()}
                for r in rows
            ]
    with svc.db.write(bump=False) as session:
        processing_log.record(
            session, principal.username, processing_log.CONSULTATION, "API read of progress board"
        )
    return jsonify(body)


RUNSHEET_TYPES = {"html": "text/html", "pdf": "application/pdf", "csv": "text/csv"}


@planning_api.get("/runsheets/<int(max=2147483647):team_id>/<day>.<fmt>")
@require(*OPERATIONAL)
@same_origin_only
def get_runsheet(team_id: int, day: str, fmt: str) -> Answer:
    """A team-day's run sheet as ``html`` (printable page), ``pdf`` or ``csv``.

    The download's name goes through Werkzeug's header quoting (``send_file``) and is built from
    a reduced call sign, so nothing a call sign holds can add to the header.
    """
    if fmt not in RUNSHEET_TYPES:
        return json_error(404, "run sheets come as html, pdf or csv")
    principal = current_principal()
    svc = services()

    def build() -> RunSheet:
        when = fields.required_day({"day": day})
        with svc.db.read() as session:
            names = district_names(svc.boundaries)
            return build_runsheet(session, team_id, when, svc.config.marking, svc.travel, names)

    sheet = domain_errors(build)
    if not isinstance(sheet, RunSheet):
        return sheet
    with svc.db.write(bump=False) as session:
        record_disclosure(session, sheet, principal.username, fmt)
    if fmt == "html":
        return Response(runsheet_html(sheet), mimetype=RUNSHEET_TYPES[fmt])
    body = runsheet_pdf(sheet) if fmt == "pdf" else runsheet_csv(sheet).encode("utf-8-sig")
    return send_file(
        io.BytesIO(body),
        mimetype=RUNSHEET_TYPES[fmt],
        as_attachment=True,
        download_name=runsheet_filename(sheet, fmt),
        etag=False,
        last_modified=None,
    )


@planning_api.get("/api/history.csv")
@require(*OPERATIONAL)
@same_origin_only
def get_history_csv() -> Answer:
    """The plan and status history as CSV (``?location=ID`` for one location)."""
    raw = request.args.get("location")
    try:
        location_id = fields.whole_value(raw, "location") if raw else None
    except ValueError as exc:
        return json_error(400, str(exc))
    principal = current_principal()
    svc = services()
    with svc.db.read() as session:
        rows = history_rows(session, location_id)
    with svc.db.write(bump=False) as session:
        processing_log.record(
            session,
            principal.username,
            processing_log.DISCLOSURE,
            "history export as CSV" + (f" for location {location_id}" if location_id else ""),
            records=sorted({r["location_id"] for r in rows}),
        )
    return Response(
        history_csv(rows, svc.config.marking).encode("utf-8-sig"),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="opsmap-history.csv"'},
    )
