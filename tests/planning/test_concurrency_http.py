"""Two real app processes (gunicorn, 2 workers) on real SQLite and real PostgreSQL.

- Two commanders plan the same location from the same version at the same moment: exactly one
  wins, the other gets 409 naming the change, and the history holds one entry for it.
- 8 writers x 200 status updates on different locations: none lost, every answer 200, and
  "database is locked" never reaches a user.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.server import GunicornServer
from bench.server import call as server_call
from layers.accounts import create_token, create_user
from layers.core.models import HistoryEntry, Location
from layers.services import Services
from tests.conftest import fresh_services

from .conftest import MONDAY, add_premises, add_team

pytestmark = pytest.mark.slow

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


def call(
    base: str, token: str, method: str, path: str, body: dict | None = None
) -> tuple[int, dict]:
    """One JSON request; returns (status, parsed body)."""
    return server_call(base, token, method, path, body, timeout_s=60)


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path, cache_dir: Path) -> Iterator[Server]:
    """Seed a database, then serve ``app:create_app()`` with gunicorn -w 2 on it."""
    svc = fresh_services(request.param, request, tmp_path, cache_dir)
    premises = add_premises(svc, "preston", RACES + WRITERS, spread_m=5000)
    teams = [add_team(svc, "Alpha 1", capacity=50), add_team(svc, "Bravo 2", capacity=50)]
    tokens = []
    with svc.db.write() as session:
        for name in ("commander-a", "commander-b"):
            create_user(session, name, "commander", secrets.token_urlsafe(16))
            tokens.append(create_token(session, "concurrency test", name)[1])
    gunicorn = GunicornServer(svc.config, tmp_path / "gunicorn.log", workers=2)
    try:
        gunicorn.start(timeout_s=90)
        yield Server(gunicorn.base, svc, tokens, premises, teams)
    finally:
        gunicorn.stop()
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
