"""Crashes under real gunicorn (4 workers) on SQLite and PostgreSQL, and a PostgreSQL restart.

Writers change statuses through the real ``PATCH /api/locations/<id>`` with a token while a
worker is killed with SIGKILL, then the whole server is. The master replaces the worker by
itself; the server is started again as its supervisor (systemd) would. Afterwards every write a
client saw acknowledged is in the database, and no change is half-applied: each status change
has its history entry and its processing-log row.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select

from app import create_app
from bench.server import GunicornServer, call, free_port
from layers.accounts import create_token, create_user
from layers.core.models import HistoryEntry, Location
from layers.operation.integrity import acknowledged as stored_once
from layers.operation.integrity import half_applied
from layers.services import Services
from tests.conftest import fresh_services, make_config
from tests.planning.conftest import add_premises

pytestmark = pytest.mark.slow

WRITERS = 6
PHASE_S = 4.0
CYCLE = {"unplanned": "planned", "planned": "in_progress", "in_progress": "planned"}
USER = "crash-commander"
PG_BIN = Path("/usr/lib/postgresql")


@dataclass
class Writers:
    """Threads that keep changing their own locations' status until told to stop."""

    base: str
    token: str
    locations: list[int]
    acknowledged: list[tuple[int, int, str]] = field(default_factory=list)
    unanswered: int = 0
    server_errors: list[tuple[int, dict]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def _run(self, loc: int) -> None:
        status, version = "unplanned", 1
        while not self.stop.is_set():
            target = CYCLE[status]
            code, body = call(self.base, self.token, "PATCH", f"/api/locations/{loc}",
                              {"status": target, "version": version}, timeout_s=20)
            if code == 200:
                self.acknowledged.append((loc, body["version"], body["status"]))
                status, version = body["status"], body["version"]
            elif code == 409:  # an unanswered earlier attempt did commit: carry on from it
                status, version = body["current_status"], body["current_version"]
            else:
                if code >= 500:
                    self.server_errors.append((code, body))
                self.unanswered += 1
                time.sleep(0.2)

    def start(self) -> None:
        self.threads = [threading.Thread(target=self._run, args=(loc,)) for loc in self.locations]
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded(request: pytest.FixtureRequest, tmp_path: Path, cache_dir: Path) -> Iterator[tuple]:
    svc = fresh_services(request.param, request, tmp_path, cache_dir)
    locations = add_premises(svc, "preston", WRITERS, spread_m=4000)
    with svc.db.write() as session:
        create_user(session, USER, "commander", secrets.token_urlsafe(16))
        token = create_token(session, "crash test", USER)[1]
    yield svc, token, locations
    svc.db.dispose()


def _check_whole(svc: Services, acknowledged: list[tuple[int, int, str]]) -> None:
    with svc.db.read() as session:
        entries = {
            (e.location_id, e.to_version, e.to_status)
            for e in session.scalars(select(HistoryEntry).where(HistoryEntry.username == USER))
        }
        missing = [ack for ack in acknowledged if ack not in entries]
        assert not missing, f"acknowledged writes lost: {missing[:5]}"
        lost, doubled, _unanswered = stored_once(
            session, [(loc, version) for loc, version, _s in acknowledged], [USER]
        )
        assert (lost, doubled) == ([], [])
        assert half_applied(session, [USER]) == []
        for loc, version, _status in acknowledged:
            assert session.get(Location, loc).version >= version


def test_ops030_kill_9_a_worker_then_the_server_loses_no_acknowledged_write(seeded, tmp_path):
    svc, token, locations = seeded
    server = GunicornServer(svc.config, tmp_path / "gunicorn.log", workers=4)
    server.start()
    writers = Writers(server.base, token, locations)
    try:
        writers.start()
        time.sleep(PHASE_S)
        killed = server.kill_worker()
        time.sleep(PHASE_S)
        assert killed not in server.worker_pids()
        server.wait_ready(120)  # the master has started a new worker by itself
        acknowledged_before_crash = len(writers.acknowledged)
        server.kill_all()
        time.sleep(1.0)
        server.start()
        time.sleep(PHASE_S)
    finally:
        writers.finish()
        server.stop()
    assert acknowledged_before_crash > WRITERS
    assert len(writers.acknowledged) > acknowledged_before_crash, "writes resumed after restart"
    assert writers.server_errors == []
    _check_whole(svc, writers.acknowledged)


@dataclass
class PrivatePostgres:
    """A throwaway PostgreSQL cluster on its own port, so restarting it disturbs nobody."""

    folder: Path
    port: int = field(default_factory=free_port)

    def _pg(self, *args: str) -> None:
        version = sorted(p.name for p in PG_BIN.iterdir() if (p / "bin" / "pg_ctl").exists())[-1]
        tool = PG_BIN / version / "bin" / args[0]
        subprocess.run(["runuser", "-u", "postgres", "--", str(tool), *args[1:]], check=True,
                       capture_output=True, timeout=120)

    def start(self) -> str:
        shutil.chown(self.folder, "postgres", "postgres")
        self._pg("initdb", "-D", str(self.folder / "data"), "-A", "trust", "-U", "postgres")
        self._ctl("start")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, action: str) -> None:
        self._pg("pg_ctl", "-D", str(self.folder / "data"), "-w", "-m", "fast", "-l",
                 str(self.folder / "log"), "-o", f"-p {self.port} -k {self.folder} "
                 "-c listen_addresses=127.0.0.1", action)

    def restart(self) -> None:
        self._ctl("restart")

    def stop(self) -> None:
        self._ctl("stop")

    def start_again(self) -> None:
        self._ctl("start")


@pytest.fixture
def private_pg() -> Iterator[PrivatePostgres]:
    if not PG_BIN.exists() or shutil.which("runuser") is None:
        pytest.fail("the PostgreSQL server binaries (postgresql-15) are needed for this test")
    # Outside pytest's private temp folder, which the postgres user cannot enter.
    cluster = PrivatePostgres(Path(tempfile.mkdtemp(prefix="opsmap-pg-")))
    yield cluster
    with contextlib.suppress(subprocess.CalledProcessError):
        cluster.stop()
    shutil.rmtree(cluster.folder, ignore_errors=True)


def test_ops031_postgres_restart_the_next_request_succeeds(private_pg, tmp_path, cache_dir):
    url = private_pg.start()
    config = make_config(tmp_path, cache_dir, url)
    svc = Services(config)
    svc.db.upgrade()
    add_premises(svc, "preston", 3)
    with svc.db.write() as session:
        create_user(session, USER, "commander", secrets.token_urlsafe(16))
        token = create_token(session, "restart test", USER)[1]
    client = create_app(config).test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/summary", headers=headers).status_code == 200
    private_pg.restart()  # every pooled connection is now dead
    summary = client.get("/api/summary", headers=headers)
    assert summary.status_code == 200, summary.data[:300]
    changed = client.patch("/api/locations/1", json={"status": "planned", "version": 1},
                           headers=headers)
    assert changed.status_code == 200, changed.data[:300]
    # The server is down for a moment and comes back: the read waits for it instead of failing.
    private_pg.stop()
    threading.Timer(1.0, private_pg.start_again).start()
    assert client.get("/api/summary", headers=headers).status_code == 200
    svc.db.dispose()
