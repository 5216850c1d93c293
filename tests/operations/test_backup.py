"""Backup and restore of the demo week on SQLite and PostgreSQL, compared row for row."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from layers.audit.processing_log import COLLECTION, DISCLOSURE, ProcessingLog
from layers.backup import BackupError, backup, restore
from layers.core.models import Location
from layers.core.status import PLANNED
from layers.operation.integrity import half_applied
from layers.planning.status_changes import set_status
from layers.services import Services
from tests.conftest import boundaries_path, make_config
from tests.foundation.test_cli import run_cli
from tests.operations.conftest import COMPARED, seed_week, table_rows


def _log(svc) -> list[ProcessingLog]:
    with svc.db.read() as session:
        return list(session.scalars(select(ProcessingLog).order_by(ProcessingLog.id)))


def test_ops010_round_trip_of_the_demo_week(services, other_services, tmp_path):
    seed_week(services)
    before = {name: table_rows(services, name) for name in COMPARED}
    assert all(before[name] for name in COMPARED), "every compared table has rows"
    out = tmp_path / "opsmap.backup"
    report = backup(services.db, out, "ops-admin")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert report.locations == len(before["locations"])
    logged = _log(services)[-1]
    assert (logged.username, logged.action) == ("ops-admin", DISCLOSURE)
    assert report.sha256 in logged.detail and logged.record_count == report.locations

    restored = restore(other_services.db, out, "ops-admin")
    assert restored.locations == report.locations and not restored.migrated
    after = {name: table_rows(other_services, name) for name in COMPARED}
    for name in COMPARED[:-1]:
        assert after[name] == before[name], name
    *log_rows, restore_row = after["processing_log"]
    assert log_rows == before["processing_log"]
    last = _log(other_services)[-1]
    assert (last.id, last.action, last.username) == (restore_row[0], COLLECTION, "ops-admin")
    assert "restored from backup" in last.detail
    assert other_services.db.pending_migrations() == []


def test_ops011_restore_refuses_a_database_holding_data(services, tmp_path):
    seed_week(services)
    out = tmp_path / "b.backup"
    backup(services.db, out, "ops-admin")
    with pytest.raises(BackupError, match="already holds data"):
        restore(services.db, out, "ops-admin")


def test_ops012_backup_never_overwrites(services, tmp_path):
    out = tmp_path / "taken"
    out.write_text("an earlier backup")
    with pytest.raises(BackupError, match="already exists"):
        backup(services.db, out, "ops-admin")
    assert out.read_text() == "an earlier backup"


def test_ops013_restore_refuses_an_unknown_schema(sqlite_services, tmp_path):
    out = tmp_path / "future.backup"
    backup(sqlite_services.db, out, "ops-admin")
    with sqlite3.connect(out) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future' "
                     "WHERE rowid = (SELECT min(rowid) FROM alembic_version)")
    conn.close()
    empty = Services(make_config(tmp_path / "empty", sqlite_services.config.cache_dir))
    with pytest.raises(BackupError, match="newer than this OpsMap knows"):
        restore(empty.db, out, "ops-admin")
    assert not Path(empty.config.instance_dir / "opsmap.sqlite3").exists() or not _tables(empty)


def _tables(svc) -> list[str]:
    return inspect(svc.db.engine).get_table_names()


def test_ops014_backup_while_commanders_write_is_consistent(services, other_services, tmp_path):
    seed_week(services)
    with services.db.read() as session:
        targets = session.execute(
            select(Location.id, Location.version)
            .where(Location.kind == "premises", Location.status == "unplanned")
            .order_by(Location.id.desc())
            .limit(60)
        ).all()
    stop = threading.Event()
    done: list[int] = []

    def writer(rows) -> None:
        for loc_id, version in rows:
            if stop.is_set():
                return
            with services.db.write() as session:
                set_status(session, loc_id, PLANNED, version, "writer")
            done.append(loc_id)

    threads = [threading.Thread(target=writer, args=(targets[i::3],)) for i in range(3)]
    for thread in threads:
        thread.start()
    out = tmp_path / "busy.backup"
    try:
        backup(services.db, out, "ops-admin")
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    restore(other_services.db, out, "ops-admin")
    with other_services.db.read() as session:
        assert half_applied(session, ["writer", "ops-commander"]) == []
        planned = session.scalars(
            select(Location.id).where(Location.id.in_([t[0] for t in targets]),
                                      Location.status == PLANNED)
        ).all()
    assert set(planned) <= set(done)


def test_ops015_backup_and_restore_from_the_command_line(tmp_path, cache_dir):
    def env_for(name: str) -> dict[str, str]:
        env = dict(os.environ, OPSMAP_INSTANCE=str(tmp_path / name),
                   OPSMAP_CACHE_DIR=str(cache_dir), OPSMAP_BOUNDARIES=str(boundaries_path()))
        env.pop("DATABASE_URL", None)
        return env

    live, spare = env_for("live"), env_for("spare")
    assert run_cli("db", "upgrade", env=live).returncode == 0
    assert run_cli("seed-demo", env=live).returncode == 0
    out = tmp_path / "cli.backup"
    made = run_cli("backup", "--out", str(out), "--by", "duty-admin", env=live)
    assert made.returncode == 0, made.stderr
    assert "sha256" in made.stdout and "as securely as the database" in made.stdout
    again = run_cli("restore", str(out), env=live)
    assert again.returncode == 1 and "already holds data" in again.stderr
    assert "Traceback" not in again.stderr
    done = run_cli("restore", str(out), "--by", "duty-admin", env=spare)
    assert done.returncode == 0, done.stderr
    assert "restored" in done.stdout and "Restart the app" in done.stdout
