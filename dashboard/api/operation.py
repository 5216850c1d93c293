"""The operation's end for administrators: its state, and closing it (``/api/operation``).

Closing is irreversible (the operation becomes read-only and its records fall due for erasure),
so the request must say ``"confirm": "close"``. The records pack is written on the server into
``OPSMAP_RECORDS_DIR``, where the force's records system collects it; the answer names it.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, jsonify, request

from dashboard.access import ADMIN, current_principal, require
from dashboard.api.errors import domain_errors, json_error
from dashboard.context import services
from layers.core.closure import OperationState, state
from layers.operation.closing import close_operation

logger = logging.getLogger(__name__)

operation_api = Blueprint("operation_api", __name__)

MAX_RETENTION_DAYS = 36_500


def state_dict(row: OperationState | None) -> dict[str, Any]:
    """The state as JSON: ``open`` / ``closed`` / ``erased`` with its dates and pack."""
    if row is None or row.closed_at is None:
        return {"state": "open"}
    return {
        "state": "erased" if row.erased_at else "closed",
        "closed_at": row.closed_at.isoformat(),
        "closed_by": row.closed_by,
        "erase_after": row.erase_after.isoformat() if row.erase_after else None,
        "erasure_mode": row.erasure_mode,
        "records_pack": row.records_pack,
        "records_pack_sha256": row.records_pack_sha256,
        "erased_at": row.erased_at.isoformat() if row.erased_at else None,
    }


@operation_api.get("/api/operation")
@require(ADMIN)
def get_operation() -> Response:
    """Whether the operation is open, closed or erased."""
    with services().db.read() as session:
        return jsonify(state_dict(state(session)))


@operation_api.post("/api/operation/close")
@require(ADMIN)
def post_close() -> Response | tuple[Response, int]:
    """Close the operation: JSON ``confirm: "close"``, optional ``retention_days`` and ``mode``."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or body.get("confirm") != "close":
        return json_error(400, 'closing cannot be undone: send {"confirm": "close"}')
    svc = services()
    days = body.get("retention_days", svc.config.retention_days)
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_RETENTION_DAYS:
        return json_error(400, f"retention_days must be a whole number 0-{MAX_RETENTION_DAYS}")
    mode = body.get("mode", svc.config.retention_mode)
    out_dir = svc.config.records_dir or svc.config.instance_dir / "records"
    username = current_principal().username

    def close() -> Response:
        report = close_operation(svc, out_dir, username, days, str(mode))
        with svc.db.read() as session:
            return jsonify({**state_dict(state(session)), "files": report.pack.files})

    return domain_errors(close)
