"""Liveness and readiness as a load balancer sees them, through the real app."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import text

from app import create_app
from tests.conftest import make_config


def test_ops001_liveness_touches_no_database(tmp_path, cache_dir):
    config = replace(
        make_config(tmp_path, cache_dir),
        database_url="postgresql+psycopg://nobody@127.0.0.1:1/none",  # nothing listens there
    )
    client = create_app(config).test_client()
    live = client.get("/healthz")
    assert live.status_code == 200 and live.json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json == {"status": "degraded", "database": "unavailable", "districts": 14}


def test_ops002_readiness_reports_pending_migrations(app):
    svc = app.extensions["opsmap"]
    with svc.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "degraded", "database": "migrations pending",
                             "districts": 14}


def test_ops003_health_routes_need_no_sign_in(app):
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json == {"status": "ok", "database": "ok", "districts": 14}
