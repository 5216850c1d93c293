"""Public updates over HTTP, for commanders and admins: draft, approve, reject, export.

The same store functions as the page and the CLI. A refusal by role or by the second-person
rule is ``403``; exporting an update that is not approved is ``409``; a refused rule ``422``;
malformed input ``400``. The export (a zip of posts, cards and alt text) is logged as a
disclosure to the public.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, jsonify, request

from dashboard.access import ADMIN, COMMANDER, current_principal, require
from dashboard.api.errors import Answer, domain_errors, json_error
from dashboard.context import services
from layers.public import store
from layers.public.figures import Period

logger = logging.getLogger(__name__)

public_api = Blueprint("public_api", __name__)

PUBLISHERS = (ADMIN, COMMANDER)


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValueError("send a JSON object")
    return body


def _answer(call: Callable[[], Answer]) -> Answer:
    """Run ``call``; the public-update refusals get their own status, the rest the usual map."""

    def guarded() -> Answer:
        try:
            return call()
        except store.NotPermitted as exc:
            return json_error(403, str(exc))
        except store.NotApproved as exc:
            return json_error(409, str(exc))

    return domain_errors(guarded)


@public_api.get("/api/public/updates")
@require(*PUBLISHERS)
def list_updates() -> Response:
    """The latest updates, newest first."""
    rows = store.list_updates(services().db)
    return jsonify({"updates": [store.as_dict(r) for r in rows]})


@public_api.post("/api/public/updates")
@require(*PUBLISHERS)
def draft() -> Answer:
    """Draft an update: ``{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "scope": "force"}``."""

    def run() -> Answer:
        body = _body()
        svc = services()
        period = Period.parse(body.get("from"), body.get("to"))
        row = store.draft_update(svc.db, period, str(body.get("scope") or "force"),
                                 current_principal(), svc.config.public_k)
        return jsonify(store.as_dict(row)), 201

    return _answer(run)


@public_api.get("/api/public/updates/<int:update_id>")
@require(*PUBLISHERS)
def show(update_id: int) -> Answer:
    """One update: figures, texts, checks and decision."""
    return _answer(lambda: jsonify(store.as_dict(store.get_update(services().db, update_id))))


def _decide(update_id: int, approve: bool) -> Answer:
    def run() -> Answer:
        body = request.get_json(silent=True) or {}
        if not isinstance(body, dict):
            raise ValueError("send a JSON object")
        note = body.get("note")
        if note is not None and not isinstance(note, str):
            raise ValueError("note must be text")
        row = store.decide(services().db, update_id, current_principal(), approve, note)
        return jsonify(store.as_dict(row))

    return _answer(run)


@public_api.post("/api/public/updates/<int:update_id>/approve")
@require(*PUBLISHERS)
def approve(update_id: int) -> Answer:
    """Approve a draft (a second commander or admin); ``{"note": "..."}`` optional."""
    return _decide(update_id, True)


@public_api.post("/api/public/updates/<int:update_id>/reject")
@require(*PUBLISHERS)
def reject(update_id: int) -> Answer:
    """Reject a draft (a second commander or admin) with ``{"note": "why"}``."""
    return _decide(update_id, False)


@public_api.get("/api/public/updates/<int:update_id>/export")
@require(*PUBLISHERS)
def export(update_id: int) -> Answer:
    """The approved update's files as a zip; ``409`` unless it is approved."""

    def run() -> Answer:
        svc = services()
        bundle = store.export_update(svc.db, update_id, current_principal().username,
                                     svc.boundaries)
        response = Response(bundle.zip_bytes(), mimetype="application/zip")
        response.headers["Content-Disposition"] = f'attachment; filename="{bundle.stem}.zip"'
        return response

    return _answer(run)
