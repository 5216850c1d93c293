"""The planning API for scripts: teams, assignments, status changes and the progress board.

Same authorisation as the UI (commanders and admins change; analysts may read), same store
functions, same version rules: a change based on a stale version answers ``409 Conflict`` with
what the colleague changed, and nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from flask import Blueprint, Response, jsonify, request

from dashboard.access import (
    ADMIN,
    COMMANDER,
    OPERATIONAL,
    current_principal,
    require,
    same_origin_only,
)
from dashboard.api.errors import domain_errors, json_error
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
from layers.planning.teams import TeamSpec, create_team, list_teams, team_dict

logger = logging.getLogger(__name__)

planning_api = Blueprint("planning_api", __name__)

CHANGERS = (ADMIN, COMMANDER)


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValueError("send a JSON object")
    return body


def _int(body: dict[str, Any], name: str, required: bool = True) -> int | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number")
    return value


def _day(body: dict[str, Any], required: bool = True) -> dt.date | None:
    value = body.get("day")
    if value is None and not required:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError("day must be a date as YYYY-MM-DD") from exc


def _run(change: Any) -> Response | tuple[Response, int]:
    """Run a store change in one write transaction and map its failures to HTTP answers."""
    def write() -> Response:
        with services().db.write() as session:
            return jsonify(change(session))

    return domain_errors(write)


@planning_api.get("/api/teams")
@require(*OPERATIONAL)
def get_teams() -> Response:
    """Every team."""
    with services().db.read() as session:
        return jsonify({"teams": [team_dict(t) for t in list_teams(session)]})


@planning_api.post("/api/teams")
@require(*CHANGERS)
def post_team() -> Response | tuple[Response, int]:
    """Add a team: ``call_sign``, ``division``, ``start_lon``, ``start_lat`` and the rest."""
    try:
        body = _body()
        spec = TeamSpec(
            call_sign=str(body.get("call_sign", "")),
            division=str(body.get("division", "")),
            start_lon=float(body["start_lon"]),
            start_lat=float(body["start_lat"]),
            start_label=str(body.get("start_label", "")),
            members=int(body.get("members", 2)),
            partners=tuple(str(p) for p in body.get("partners", [])),
            daily_capacity=int(body.get("daily_capacity", 6)),
            shift_start=str(body.get("shift_start", "08:00")),
            shift_end=str(body.get("shift_end", "16:00")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        return json_error(400, f"invalid team: {exc}")
    user = current_principal().username
    answer = _run(lambda s: team_dict(create_team(s, spec, user)))
    if isinstance(answer, Response):
        return answer, 201
    return answer


@planning_api.post("/api/assignments")
@require(*CHANGERS)
def post_assignment() -> Response | tuple[Response, int]:
    """Plan a location: ``location_id``, ``version`` (the location's), ``team_id``, ``day``."""
    try:
        body = _body()
        location_id, version, team_id = (
            _int(body, "location_id"),
            _int(body, "version"),
            _int(body, "team_id"),
        )
        day = _day(body)
        position = _int(body, "position", required=False)
    except ValueError as exc:
        return json_error(400, str(exc))
    user = current_principal().username
    answer = _run(
        lambda s: assign(
            s,
            location_id,
            version,
            team_id,
            day,
            user,
            position,
            body.get("safety_note"),
            body.get("reason"),
        ).as_dict()
    )
    if isinstance(answer, Response):
        return answer, 201
    return answer


@planning_api.patch("/api/assignments/<int:assignment_id>")
@require(*CHANGERS)
def patch_assignment(assignment_id: int) -> Response | tuple[Response, int]:
    """Move or reorder: ``version`` (the assignment's) and ``team_id``, ``day``, ``position``."""
    try:
        body = _body()
        version = _int(body, "version")
        team_id = _int(body, "team_id", required=False)
        position = _int(body, "position", required=False)
        day = _day(body, required=False)
    except ValueError as exc:
        return json_error(400, str(exc))
    user = current_principal().username
    return _run(
        lambda s: move(
            s,
            assignment_id,
            version,
            user,
            team_id,
            day,
            position,
            body.get("safety_note"),
            body.get("reason"),
        ).as_dict()
    )


@planning_api.delete("/api/assignments/<int:assignment_id>")
@require(*CHANGERS)
def delete_assignment(assignment_id: int) -> Response | tuple[Response, int]:
    """Unassign: ``version`` in the JSON body or the query string."""
    body = request.get_json(silent=True) or {}
    raw = body.get("version", request.args.get("version"))
    try:
        version = int(raw)
    except (TypeError, ValueError):
        return json_error(400, "version (whole number) is required")
    user = current_principal().username
    return _run(
        lambda s: {
            "id": assignment_id,
            "location_version": unassign(s, assignment_id, version, user, body.get("reason")),
        }
    )


@planning_api.post("/api/locations/<int:location_id>/status")
@require(*CHANGERS)
def post_status(location_id: int) -> Response | tuple[Response, int]:
    """Move along the lifecycle: ``status``, ``version``; ``outcome``, ``results``, ``note``."""
    try:
        body = _body()
        version = _int(body, "version")
        status = body.get("status")
        if not isinstance(status, str):
            raise ValueError("status (text) is required")
        results = body.get("results") or {}
        if not isinstance(results, dict):
            raise ValueError("results must be an object of whole numbers")
    except ValueError as exc:
        return json_error(400, str(exc))
    user = current_principal().username

    def change(session: Any) -> dict[str, Any]:
        loc = set_status(
            session,
            location_id,
            status,
            version,
            user,
            body.get("note"),
            body.get("outcome"),
            results,
        )
        return {"id": loc.id, "status": loc.status, "outcome": loc.outcome, "version": loc.version}

    return _run(change)


@planning_api.get("/api/board")
@require(*OPERATIONAL)
def get_board() -> Response | tuple[Response, int]:
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


@planning_api.get("/runsheets/<int:team_id>/<day>.<fmt>")
@require(*OPERATIONAL)
def get_runsheet(team_id: int, day: str, fmt: str) -> Response | tuple[Response, int]:
    """A team-day's run sheet as ``html`` (printable page), ``pdf`` or ``csv``."""
    if fmt not in ("html", "pdf", "csv"):
        return json_error(404, "run sheets come as html, pdf or csv")
    try:
        when = dt.date.fromisoformat(day)
    except ValueError:
        return json_error(400, "day must be a date as YYYY-MM-DD")
    principal = current_principal()
    svc = services()

    def build() -> RunSheet:
        with svc.db.read() as session:
            return build_runsheet(
                session, team_id, when, svc.config.marking, district_names(svc.boundaries)
            )

    sheet = domain_errors(build)
    if not isinstance(sheet, RunSheet):
        return sheet
    with svc.db.write(bump=False) as session:
        record_disclosure(session, sheet, principal.username, fmt)
    name = runsheet_filename(sheet, fmt)
    if fmt == "html":
        return Response(runsheet_html(sheet), mimetype="text/html")
    if fmt == "pdf":
        body, mimetype = runsheet_pdf(sheet), "application/pdf"
    else:
        body, mimetype = runsheet_csv(sheet).encode("utf-8-sig"), "text/csv"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@planning_api.get("/api/history.csv")
@require(*OPERATIONAL)
@same_origin_only
def get_history_csv() -> Response | tuple[Response, int]:
    """The plan and status history as CSV (``?location=ID`` for one location)."""
    raw = request.args.get("location")
    try:
        location_id = int(raw) if raw else None
    except ValueError:
        return json_error(400, "location must be a whole number")
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
