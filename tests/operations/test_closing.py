"""Ending the operation: read-only after closing, the records pack, erasure after retention."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import stat
import zipfile

import pytest
from sqlalchemy import func, select

from bench.dash_client import DashPage
from dashboard.pages.operations.ids import STATUS_FORM
from layers.accounts import (
    LoginAttempt,
    UserSession,
    authenticate,
    create_session,
)
from layers.accounts.sessions import hash_token
from layers.audit import processing_log
from layers.audit.processing_log import ProcessingLog
from layers.core.closure import OperationClosed, state
from layers.core.models import HistoryEntry, Location, utcnow
from layers.core.status import PLANNED
from layers.operation.closing import close_operation, erase_due
from layers.operation.maintenance import prune
from layers.operation.statistics import LOCATIONS, kept, summarise
from layers.planning.assignments import assign
from layers.planning.models import Assignment
from layers.planning.status_changes import set_status
from tests.conftest import boundaries_path
from tests.foundation.test_cli import run_cli
from tests.operations.conftest import MONDAY, seed_week

MARKING = "OFFICIAL-SENSITIVE"


def _close(svc, tmp_path, days=30, mode="statistics"):
    return close_operation(svc, tmp_path / "records", "ops-admin", days, mode)


def _unplanned(svc):
    with svc.db.read() as session:
        return session.execute(
            select(Location.id, Location.version)
            .where(Location.kind == "premises", Location.status == "unplanned")
            .limit(1)
        ).one()


def _log(svc):
    with svc.db.read() as session:
        return list(session.scalars(select(ProcessingLog).order_by(ProcessingLog.id)))


def test_ops020_closed_operation_is_read_only_but_can_sign_in_and_log(services, tmp_path):
    week = seed_week(services)
    loc_id, version = _unplanned(services)
    report = _close(services, tmp_path)
    with pytest.raises(OperationClosed, match="read-only"), services.db.write() as session:
        set_status(session, loc_id, PLANNED, version, "ops-commander")
    with pytest.raises(OperationClosed), services.db.write() as session:
        assign(session, loc_id, version, week["team_id"], MONDAY, "ops-commander")
    # A write that claims to change no map data may still touch only sign-in and the log.
    with pytest.raises(OperationClosed), services.db.write(bump=False) as session:
        session.add(HistoryEntry(location_id=loc_id, username="x", action="status",
                                 from_version=1, to_version=2))
    with services.db.read() as session:
        assert session.get(Location, loc_id).version == version
    with services.db.write(bump=False) as session:
        identity = authenticate(session, "ops-commander", "correct horse battery")
        assert identity is not None
        create_session(session, identity.user_id)
        processing_log.record(session, "ops-commander", processing_log.CONSULTATION, "read")
    with services.db.read() as session:
        row = state(session)
    assert row.closed_by == "ops-admin" and row.erasure_mode == "statistics"
    assert row.erase_after - row.closed_at == dt.timedelta(days=30)
    assert row.records_pack == str(report.pack.path)
    actions = [(e.action, e.detail.split(":")[0]) for e in _log(services)[-3:]]
    assert actions == [("alteration", "operation closed"),
                       ("disclosure", "records pack for the force's records system"),
                       ("consultation", "read")]
    with pytest.raises(OperationClosed):
        _close(services, tmp_path)


def test_ops021_records_pack_holds_everything_marked(services, tmp_path):
    seed_week(services)
    with services.db.read() as session:
        per_kind = dict(session.execute(
            select(Location.kind, func.count()).group_by(Location.kind)).all())
        history = session.scalar(select(func.count()).select_from(HistoryEntry))
        plans = session.scalar(select(func.count()).select_from(Assignment))
    pack = _close(services, tmp_path).pack
    assert stat.S_IMODE(pack.path.stat().st_mode) == 0o600
    assert pack.path.name.startswith(MARKING)
    with zipfile.ZipFile(pack.path) as archive:
        names = archive.namelist()
        assert archive.comment.decode() == MARKING
        assert all(n.startswith(f"{MARKING}-") for n in names)
        index = archive.read(f"{MARKING}-index.html").decode()
        premises = archive.read(f"{MARKING}-layer-premises.csv").decode()
        log_csv = archive.read(f"{MARKING}-processing-log.csv").decode().splitlines()
        users = archive.read(f"{MARKING}-table-users.csv").decode()
        teams = archive.read(f"{MARKING}-table-planning_teams.csv").decode()
    for kind, count in per_kind.items():
        assert pack.files[f"layer-{kind}.csv"] == count
    lines = list(csv.reader(io.StringIO(premises)))
    assert lines[0] == [MARKING] and lines[-1] == [MARKING]
    assert len(lines) - 3 == per_kind["premises"]  # marking, header, rows, marking
    assert pack.files["history.csv"] == history
    assert pack.files["table-planning_assignments.csv"] == plans == 4
    assert index.count(MARKING) >= 2 and "ops-admin" in index
    assert log_csv[0] == MARKING and log_csv[-1] == MARKING
    assert "password_hash" not in users and "ops-commander" in users
    assert "ALPHA 1" in teams


@pytest.mark.parametrize("mode", ["statistics", "delete"])
def test_ops022_erasure_after_the_retention_period_is_logged(services, tmp_path, mode):
    seed_week(services)
    with services.db.read() as session:
        figures = summarise(session)
        locations = session.scalar(select(func.count()).select_from(Location))
        premises = session.scalar(select(func.count()).where(Location.kind == "premises"))
    closed = _close(services, tmp_path, days=10, mode=mode)
    assert erase_due(services.db, "cron", closed.erase_after - dt.timedelta(seconds=1)) is None
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Location)) == locations
    log_before = _log(services)
    report = erase_due(services.db, "cron", closed.erase_after + dt.timedelta(seconds=1))
    assert report is not None and report.erased["locations"] == locations
    with services.db.read() as session:
        for model in (Location, HistoryEntry, Assignment):
            assert session.scalar(select(func.count()).select_from(model)) == 0
        remaining = kept(session)
        row = state(session)
    assert row.erased_by == "cron" and row.erased_at is not None
    log_after = _log(services)
    assert [e.id for e in log_after[:-1]] == [e.id for e in log_before], "the log is retained"
    erasure = log_after[-1]
    assert (erasure.action, erasure.username, erasure.record_count) == ("erasure", "cron",
                                                                         locations)
    assert f"locations {locations}" in erasure.detail and mode in erasure.detail
    if mode == "statistics":
        assert remaining == figures
        counted = [v for k, v in remaining.items() if k[0] == "premises" and k[4] == LOCATIONS]
        assert sum(counted) == premises
        assert sum(v for k, v in remaining.items() if k[4] == LOCATIONS) == locations
    else:
        assert remaining == {}
    assert erase_due(services.db, "cron", closed.erase_after + dt.timedelta(days=1)) is None


def test_ops023_prune_sessions_and_old_sign_in_attempts(services):
    seed_week(services)
    now = utcnow()
    with services.db.write(bump=False) as session:
        user_id = authenticate(session, "ops-commander", "correct horse battery").user_id
        create_session(session, user_id)
        old = create_session(session, user_id)
        session.add(LoginAttempt(at=now - dt.timedelta(days=200), username="x", success=False))
    with services.db.write(bump=False) as session:
        session.get(UserSession, hash_token(old)).last_seen_at = now - dt.timedelta(hours=2)
    report = prune(services.db, services.config, "cron", now)
    assert (report.sessions, report.login_attempts, report.erasure) == (1, 1, None)
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(UserSession)) == 1
        assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 1
    entry = _log(services)[-1]
    assert entry.action == "erasure" and entry.record_count == 2
    assert prune(services.db, services.config, "cron", now).sessions == 0
    assert _log(services)[-1].id == entry.id, "a run that deletes nothing logs nothing"


def test_ops024_api_close_is_admin_only_and_refuses_writes_with_423(client_as, app, tmp_path):
    svc = app.extensions["opsmap"]
    seed_week(svc)
    loc_id, version = _unplanned(svc)
    commander, admin = client_as("commander"), client_as("admin")
    assert commander.post("/api/operation/close", json={"confirm": "close"}).status_code == 403
    assert admin.post("/api/operation/close", json={}).status_code == 400
    bad = admin.post("/api/operation/close", json={"confirm": "close", "retention_days": -1})
    assert bad.status_code == 400
    done = admin.post("/api/operation/close", json={"confirm": "close", "retention_days": 7})
    assert done.status_code == 200, done.json
    assert done.json["state"] == "closed" and done.json["erasure_mode"] == "statistics"
    assert done.json["records_pack"].endswith(".zip")
    refused = commander.patch(f"/api/locations/{loc_id}",
                              json={"status": "planned", "version": version})
    assert refused.status_code == 423
    assert "closed" in refused.json["error"] and "read-only" in refused.json["error"]
    assert admin.post("/api/operation/close", json={"confirm": "close"}).status_code == 423
    assert commander.get("/api/summary").status_code == 200
    layout = json.dumps(commander.get("/_dash-layout").json)
    assert "OpsMap is read-only" in layout
    assert admin.get("/api/operation").json["state"] == "closed"


def test_ops025_close_and_prune_from_the_command_line(tmp_path, cache_dir):
    env = dict(os.environ, OPSMAP_INSTANCE=str(tmp_path / "instance"),
               OPSMAP_CACHE_DIR=str(cache_dir), OPSMAP_BOUNDARIES=str(boundaries_path()),
               OPSMAP_RECORDS_DIR=str(tmp_path / "records"), OPSMAP_RETENTION_DAYS="0")
    env.pop("DATABASE_URL", None)
    assert run_cli("db", "upgrade", env=env).returncode == 0
    assert run_cli("seed-demo", env=env).returncode == 0
    assert run_cli("users", "bootstrap", env=env).returncode == 0
    unconfirmed = run_cli("operation", "close", "--by", "admin", env=env)
    assert unconfirmed.returncode == 1 and "--confirm" in unconfirmed.stderr
    not_admin = run_cli("operation", "close", "--by", "nobody", "--confirm", env=env)
    assert not_admin.returncode == 1 and "not an active admin" in not_admin.stderr
    closed = run_cli("operation", "close", "--by", "admin", "--confirm", env=env)
    assert closed.returncode == 0, closed.stderr
    assert "read-only" in closed.stdout and str(tmp_path / "records") in closed.stdout
    refused = run_cli("seed-demo", env=env)
    assert refused.returncode == 1 and "read-only" in refused.stderr
    assert "Traceback" not in refused.stderr
    pruned = run_cli("maintenance", "prune", "--by", "cron", env=env)
    assert pruned.returncode == 0, pruned.stderr
    assert "retention period over" in pruned.stdout
    status = run_cli("operation", "status", env=env)
    assert "operation: erased" in status.stdout and "by cron" in status.stdout


def test_ops026_the_map_page_says_in_words_that_a_change_was_refused(client_as, app, tmp_path):
    svc = app.extensions["opsmap"]
    seed_week(svc)
    loc_id, version = _unplanned(svc)
    commander = client_as("commander")
    page = DashPage(commander.get("/_dash-dependencies").json)
    _close(svc, tmp_path)
    subject = {"id": loc_id, "version": version, "label": "premises", "status": "unplanned"}
    page.set(f"{STATUS_FORM.subject}.data", subject)
    page.set(f"{STATUS_FORM.status}.value", PLANNED)
    trigger = page.set(f"{STATUS_FORM.save}.n_clicks", 1)
    answer = commander.post("/_dash-update-component", json=page.body(page.callback(trigger),
                            trigger), headers={"Origin": "http://localhost"})
    assert answer.status_code == 200, answer.data[:300]
    message = json.dumps(answer.json["response"][STATUS_FORM.message])
    assert "closed by ops-admin" in message and "OpsMap is read-only" in message
    with svc.db.read() as session:
        assert session.get(Location, loc_id).version == version
