"""Two real app processes (gunicorn, 2 workers) on real SQLite and real PostgreSQL.

- Two commanders plan the same location from the same version at the same moment: exactly one
  wins, the other gets 409 naming the change, and the history holds one entry for it.
- 8 writers x 200 status updates on different locations: none lost, every answer 200, and
  "database is locked" never reaches a user.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from layers.accounts import create_token, create_user
from layers.core.models import HistoryEntry, Location
from layers.services import Services
from tests.conftest import _reset_postgres, boundaries_path, make_config

from .conftest import MONDAY, add_premises, add_team

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
RACES = 12
WRITERS = 8
UPDATES = 200


@dataclass
class Server:
    """A running gunicorn with two workers, and what the tests need to talk to it."""

    base: str
    services: Services
    tokens: list[str]
    premises: list[int]
    teams: list[int]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def call(
    base: str, token: str, method: str, path: str, body: dict | None = None
) -> tuple[int, dict]:
    """One JSON request; returns (status, parsed body)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + path,
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        try:
            return exc.code, json.loads(raw)
        except ValueError:
            return exc.code, {"raw": raw.decode("utf-8", "replace")}


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path, cache_dir: Path) -> Iterator[Server]:
    """Seed a database, then serve ``app:create_app()`` with gunicorn -w 2 on it."""
    url = None
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_server_url")
        _reset_postgres(url)
    config = make_config(tmp_path, cache_dir, url)
    svc = Services(config)
    svc.db.upgrade()
    premises = add_premises(svc, "preston", RACES + WRITERS, spread_m=5000)
    teams = [add_team(svc, "Alpha 1", capacity=50), add_team(svc, "Bravo 2", capacity=50)]
    tokens = []
    with svc.db.write() as session:
        for name in ("commander-a", "commander-b"):
            create_user(session, name, "commander", secrets.token_urlsafe(16))
            tokens.append(create_token(session, "concurrency test", name)[1])
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": config.database_url,
        "OPSMAP_INSTANCE": str(config.instance_dir),
        "OPSMAP_CACHE_DIR": str(cache_dir),
        "OPSMAP_BOUNDARIES": str(boundaries_path()),
        "OPSMAP_SECRET_KEY": config.secret_key,
        "OPSMAP_PHONE_KEY": config.phone_key,
    }
    log = (tmp_path / "gunicorn.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "app:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5):
                break
        except urllib.error.HTTPError:
            break  # the app answers (perhaps degraded): good enough to start
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                log.close()
                proc.kill()
                pytest.fail("gunicorn did not start:\n" + (tmp_path / "gunicorn.log").read_text())
            time.sleep(0.3)
    try:
        yield Server(base, svc, tokens, premises, teams)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        svc.db.dispose()


def _history_count(svc: Services, location_id: int) -> int:
    with svc.db.read() as s:
        return int(s.scalar(select(func.count()).where(HistoryEntry.location_id == location_id)))


def test_cnc001_two_commanders_same_location_exactly_one_wins(server: Server) -> None:
    for loc in server.premises[:RACES]:
        barrier = threading.Barrier(2)
        answers: list[tuple[int, dict]] = [(0, {}), (0, {})]

        def commander(
            i: int,
            loc: int = loc,
            barrier: threading.Barrier = barrier,
            answers: list[tuple[int, dict]] = answers,
        ) -> None:
            body = {
                "location_id": loc,
                "version": 1,
                "team_id": server.teams[i],
                "day": MONDAY.isoformat(),
                "reason": f"commander {i}",
            }
            barrier.wait()
            answers[i] = call(server.base, server.tokens[i], "POST", "/api/assignments", body)

        threads = [threading.Thread(target=commander, args=(i,)) for i in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        codes = sorted(code for code, _ in answers)
        assert codes == [201, 409], answers
        loser = next(body for code, body in answers if code == 409)
        assert loser["current_version"] == 2
        assert "commander-" in loser["message"]
        assert _history_count(server.services, loc) == 1
        with server.services.db.read() as s:
            assert s.get(Location, loc).version == 2


def test_cnc002_eight_writers_lose_nothing(server: Server) -> None:
    mine = server.premises[RACES : RACES + WRITERS]
    token = server.tokens[0]
    for loc in mine:
        code, body = call(
            server.base,
            token,
            "POST",
            "/api/assignments",
            {
                "location_id": loc,
                "version": 1,
                "team_id": server.teams[0],
                "day": MONDAY.isoformat(),
            },
        )
        assert code == 201, body
    failures: list[tuple[int, int, dict]] = []

    def writer(loc: int) -> None:
        version = 2
        for i in range(UPDATES):
            status = "in_progress" if i % 2 == 0 else "planned"
            code, body = call(
                server.base,
                token,
                "POST",
                f"/api/locations/{loc}/status",
                {"status": status, "version": version, "note": f"update {i}"},
            )
            if code != 200:
                failures.append((loc, code, body))
                return
            version = body["version"]

    threads = [threading.Thread(target=writer, args=(loc,)) for loc in mine]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    assert not failures, failures[:3]
    assert not any("locked" in json.dumps(body) for _l, _c, body in failures)
    with server.services.db.read() as s:
        for loc in mine:
            assert s.get(Location, loc).version == 2 + UPDATES
    for loc in mine:
        assert _history_count(server.services, loc) == 1 + UPDATES
    print(f"{WRITERS * UPDATES} updates through 2 workers in {elapsed:.1f} s")
