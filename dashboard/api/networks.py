"""The networks API: list, detail, analysts' decisions, rebuild on demand, job progress.

Analysts, commanders and admins read networks in full; the briefing role gets only the
redacted summary (:func:`layers.networks.views.redacted_summary`), never an advert, a phone, a
word of text or a photo hash. Reading networks is a consultation and deciding an alteration
of personal data, both recorded in the processing log.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from dashboard.access import ADMIN, ANALYST, EVERYONE, OPERATIONAL, current_principal, require
from dashboard.api.errors import domain_errors, json_error
from dashboard.context import services
from layers.audit import processing_log
from layers.jobs import queue
from layers.networks.rebuild import submit_rebuild
from layers.networks.review import decide, history
from layers.networks.views import (
    label,
    network_detail,
    network_list,
    redacted_network,
    redacted_summary,
)

networks_api = Blueprint("networks_api", __name__)

DECIDERS = (ADMIN, ANALYST)


def _consulted(what: str, records: list[int] | None = None) -> None:
    with services().db.write(bump=False) as session:
        processing_log.record(
            session, current_principal().username, processing_log.CONSULTATION, what,
            records=records,
        )


@networks_api.get("/api/networks")
@require(*EVERYONE)
def get_networks() -> Response:
    """Every network (briefing role: the redacted summary)."""
    with services().db.read() as session:
        if current_principal().redacted:
            return jsonify(redacted_summary(session))
        networks = network_list(session)
    _consulted(f"networks list ({len(networks)})")
    return jsonify({"networks": networks})


@networks_api.get("/api/networks/<int:network_id>")
@require(*EVERYONE)
def get_network(network_id: int) -> Response | tuple[Response, int]:
    """One network (briefing role: its number, size, districts and moves only)."""

    def read() -> Response:
        with services().db.read() as session:
            if current_principal().redacted:
                return jsonify(redacted_network(session, network_id))
            detail = network_detail(session, network_id)
            detail["decisions"] = history(session, network_id)
        _consulted(f"network {label(network_id)}")
        return jsonify(detail)

    return domain_errors(read)


def _ints(body: dict[str, Any], name: str) -> list[int] | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise ValueError(f"{name} must be a list of advert ids")
    if len(value) > 100_000:
        raise ValueError(f"{name} names too many adverts")
    return value


@networks_api.post("/api/networks/<int:network_id>/decisions")
@require(*DECIDERS)
def post_decision(network_id: int) -> Response | tuple[Response, int]:
    """Confirm, split, merge or dismiss: ``{"action", "note"?, "adverts"?, "other"?}``."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return json_error(400, "send a JSON object")

    def write() -> Response:
        other = body.get("other")
        if other is not None and (isinstance(other, bool) or not isinstance(other, int)):
            raise ValueError("other must be a network number")
        note = body.get("note")
        if note is not None and (not isinstance(note, str) or len(note) > 2000):
            raise ValueError("note must be text of at most 2,000 characters")
        with services().db.write() as session:
            decided = decide(
                session,
                network_id,
                str(body.get("action", "")),
                current_principal().username,
                note,
                _ints(body, "adverts"),
                other,
            )
        return jsonify({"decision": decided.decision_id, "job": decided.job_id})

    return domain_errors(write)


@networks_api.post("/api/networks/rebuild")
@require(*DECIDERS)
def post_rebuild() -> tuple[Response, int]:
    """Queue a rebuild; answers at once with the job to follow."""
    with services().db.write(bump=False) as session:
        job_id = submit_rebuild(session, current_principal().username)
    return jsonify({"job": job_id}), 202


@networks_api.get("/api/jobs/<int:job_id>")
@require(*OPERATIONAL)
def get_job(job_id: int) -> Response | tuple[Response, int]:
    """A background job's state and progress."""
    return domain_errors(lambda: jsonify(queue.get(services().db, job_id).as_dict()))
