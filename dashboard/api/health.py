"""Health for a load balancer: liveness (``/healthz``) and readiness (``/readyz``).

Liveness answers "is this worker process alive?" and touches nothing else, so a database
outage does not make the balancer kill healthy workers (restarting them would not bring the
database back). Readiness answers "should this worker get traffic?": the database is reachable,
its schema is at the newest migration, and the district boundaries are loaded. Both are
reachable without signing in and say no more than ``ok`` or what is wrong in a word; the
detail goes to the server log.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, jsonify
from sqlalchemy import text

from dashboard.context import services
from layers.services import Services

logger = logging.getLogger(__name__)

health_blueprint = Blueprint("health", __name__)

EXPECTED_DISTRICTS = 14


@health_blueprint.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Liveness: the process answers. No database, no files: cheap enough to poll every second."""
    return jsonify({"status": "ok"}), 200


def _database(svc: Services) -> str:
    """``ok``, ``migrations pending`` or ``unavailable``."""
    try:
        with svc.db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        pending = svc.db.pending_migrations()
    except Exception as exc:  # noqa: BLE001 - readiness must report, not crash
        logger.warning("readiness: database unavailable: %s", exc)
        return "unavailable"
    if pending:
        logger.warning("readiness: migrations pending: %s", ", ".join(pending))
        return "migrations pending"
    return "ok"


def _districts(svc: Services) -> int:
    """How many district boundaries are loaded (0 when they cannot be)."""
    try:
        return len(svc.boundaries)
    except Exception as exc:  # noqa: BLE001
        logger.warning("readiness: boundaries unavailable: %s", exc)
        return 0


@health_blueprint.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Readiness: 200 when the database is reachable and migrated and the boundaries loaded;
    503 (with what is wrong) otherwise, so the balancer sends traffic elsewhere."""
    svc = services()
    body: dict[str, Any] = {"database": _database(svc), "districts": _districts(svc)}
    ready = body["database"] == "ok" and body["districts"] == EXPECTED_DISTRICTS
    body = {"status": "ok" if ready else "degraded", **body}
    return jsonify(body), 200 if ready else 503
