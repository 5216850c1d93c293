"""Load: 50 people at once on gunicorn (4 workers), on SQLite and on PostgreSQL.

Runs the locust scenario in ``bench/locust_opsmap.py`` headless for ``--minutes`` (default 5)
against 127.0.0.1 only: 30 map viewers, 10 commanders, 5 analysts importing, 5 briefing
screens. Prints p50/p95/p99 per request type and the error counts, then checks in the database
that every write a client saw acknowledged is stored exactly once and none is half-applied.
Targets: p95 < 500 ms for callbacks and API calls, no 5xx answer, no lost or doubled write.
Exits non-zero when a target is missed.

Run: ``python bench/bench_load.py [--minutes 5] [--db sqlite|postgresql|both]``; PostgreSQL is
the server in ``OPSMAP_BENCH_PG`` (default ``OPSMAP_TEST_PG``, else this machine's), where a
throwaway database is created and dropped.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import scratch_postgres  # noqa: E402
from bench.server import GunicornServer  # noqa: E402
from config import Config  # noqa: E402
from layers.accounts import create_token, create_user  # noqa: E402
from layers.core.demo import monday_of, seed_demo  # noqa: E402
from layers.core.models import ImportBatch, Location  # noqa: E402
from layers.operation.integrity import acknowledged, half_applied  # noqa: E402
from layers.planning.teams import TeamSpec, create_team  # noqa: E402
from layers.services import Services  # noqa: E402

USERS = {"viewers": 30, "commanders": 10, "analysts": 5, "briefing": 5}
ROLE = {"viewers": "analyst", "commanders": "commander", "analysts": "analyst",
        "briefing": "briefing"}
MIN_PER_COMMANDER = 5
P95_TARGET_MS = 500
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _config(tmp: Path, url: str | None) -> Config:
    env = dict(os.environ)
    env.setdefault("OPSMAP_BOUNDARIES",
                   str(ROOT.parent / "shared" / "geodata" / "lancashire_districts.geojson"))
    env.setdefault("OPSMAP_CACHE_DIR", str(ROOT / "instance" / "cache"))
    env.update(OPSMAP_INSTANCE=str(tmp), OPSMAP_SECRET_KEY=secrets.token_urlsafe(32),
               OPSMAP_PHONE_KEY=secrets.token_urlsafe(32),
               DATABASE_URL=url or f"sqlite:///{tmp / 'load.sqlite3'}")
    return Config.from_env(env)


@contextmanager
def database(kind: str, tmp: Path) -> Iterator[Config]:
    """A configuration on a fresh database of ``kind`` (a PostgreSQL one is dropped after)."""
    if kind == "sqlite":
        yield _config(tmp, None)
        return
    server = os.environ.get("OPSMAP_BENCH_PG") or os.environ.get("OPSMAP_TEST_PG") or DEFAULT_PG
    with scratch_postgres(server, "opsmap_load") as url:
        yield _config(tmp, url)


def prepare(svc: Services) -> dict[str, Any]:
    """The demo week, one account per simulated person, a team and premises per commander."""
    week = monday_of(dt.date.today())
    plan: dict[str, Any] = {key: [] for key in USERS}
    with svc.db.write() as session:
        seed_demo(session, svc.postcodes, svc.districts, week, svc.config.phone_key)
        for key, count in USERS.items():
            for i in range(count):
                name, password = f"load-{key}-{i}", secrets.token_urlsafe(12)
                create_user(session, name, ROLE[key], password)
                seat: dict[str, Any] = {"username": name, "password": password}
                if key in ("commanders", "analysts"):
                    seat = {"username": name, "token": create_token(session, "load", name)[1]}
                plan[key].append(seat)
    with svc.db.read() as session:
        free = session.scalars(select(Location.id).where(
            Location.kind == "premises", Location.status == "unplanned", Location.version == 1
        ).order_by(Location.id)).all()
    share = len(free) // USERS["commanders"]  # each commander works on premises of their own
    if share < MIN_PER_COMMANDER:
        raise SystemExit(f"only {len(free)} unplanned premises for the commanders")
    with svc.db.write() as session:
        for i, seat in enumerate(plan["commanders"]):
            team = create_team(session, TeamSpec(
                f"LOAD {i}", "South", -2.7035, 53.7590, daily_capacity=50), seat["username"])
            seat.update(team_id=team.id, day=week.isoformat(),
                        locations=list(free[i * share:(i + 1) * share]))
    return plan


def run_locust(base: str, plan: dict[str, Any], minutes: float, out: Path) -> None:
    """Locust headless for ``minutes`` against ``base`` (loopback), writing into ``out``."""
    (out / "plan.json").write_text(json.dumps(plan))
    env = {**os.environ, "OPSMAP_BENCH_PLAN": str(out / "plan.json"),
           "OPSMAP_BENCH_ACKS": str(out / "acks.jsonl"),
           "OPSMAP_BENCH_CODES": str(out / "codes.json")}
    users = sum(USERS.values())
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locust_opsmap.py"),
         "--headless", "-u", str(users), "-r", "10", "-t", f"{int(minutes * 60)}s",
         "--host", base, "--csv", str(out / "locust"), "--only-summary", "--stop-timeout",
         "60", "--exit-code-on-error", "0", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, check=True, timeout=minutes * 60 + 600,
    )


def report(out: Path) -> list[str]:
    """Print the figures per request type; return the targets missed."""
    codes: dict[str, dict[str, int]] = json.loads((out / "codes.json").read_text())
    missed = []
    print(f"{'request':<34}{'count':>7}{'p50':>7}{'p95':>7}{'p99':>7}{'fail':>6}{'5xx':>5}")
    with (out / "locust_stats.csv").open() as fh:
        for row in csv.DictReader(fh):
            name = row["Name"]
            if name == "Aggregated":
                continue
            server_errors = sum(n for c, n in codes.get(name, {}).items() if int(c) >= 500)
            p95 = float(row["95%"])
            print(f"{name:<34}{row['Request Count']:>7}{row['50%']:>7}{row['95%']:>7}"
                  f"{row['99%']:>7}{row['Failure Count']:>6}{server_errors:>5}")
            timed = name.startswith(("callback", "POST /api", "PATCH /api", "DELETE /api"))
            if timed and p95 >= P95_TARGET_MS:
                missed.append(f"{name}: p95 {p95:.0f} ms >= {P95_TARGET_MS} ms")
            if server_errors:
                missed.append(f"{name}: {server_errors} answers of 5xx")
    print("times in ms; 'fail' counts every answer that was not the expected success")
    return missed


def service_times(log: Path) -> None:
    """Time spent inside the workers per request type (no queueing), from the access log."""
    spent: dict[str, list[float]] = {}
    for line in log.read_text().splitlines():
        method, path, rest = line.split(" ", 2)
        label, _, tail = rest.rpartition('" ')
        path = re.sub(r"/\d+(?=/|$)", "/[id]", path)
        kind = label.strip('"') if label.strip('"') not in ("", "-") else f"{method} {path}"
        spent.setdefault(kind[:34], []).append(int(tail.split()[-1]) / 1000)
    print(f"{'inside the workers':<34}{'count':>7}{'p50':>7}{'p95':>7}{'total s':>9}")
    for kind, times in sorted(spent.items(), key=lambda kv: -sum(kv[1])):
        times.sort()
        p50, p95 = times[len(times) // 2], times[int(len(times) * 0.95)]
        print(f"{kind:<34}{len(times):>7}{p50:>7.0f}{p95:>7.0f}{sum(times) / 1000:>9.1f}")


def check_writes(svc: Services, out: Path) -> list[str]:
    """Every acknowledged write stored exactly once, nothing half-applied."""
    acks = [json.loads(line) for line in (out / "acks.jsonl").read_text().splitlines() if line]
    changes = [(a["loc"], a["version"]) for a in acks if a["kind"] in ("status", "plan")]
    files = Counter(a["file"] for a in acks if a["kind"] == "import")
    commanders = {a["user"] for a in acks if a["kind"] != "import"}
    with svc.db.read() as session:
        lost, doubled, extra = acknowledged(session, changes, commanders)
        broken = half_applied(session, commanders)
        batches = Counter(session.scalars(
            select(ImportBatch.file_name).where(ImportBatch.file_name.like("bench-%"))))
        rows = dict(session.execute(
            select(ImportBatch.file_name, func.count(Location.id))
            .join(Location, Location.import_id == ImportBatch.id)
            .where(ImportBatch.file_name.like("bench-%")).group_by(ImportBatch.file_name)).all())
    lost_files = [f for f in files if batches[f] == 0]
    doubled_files = [f for f in files if batches[f] > 1 or rows.get(f) != 5]
    print(f"acknowledged: {len(changes)} status/plan changes, {len(files)} imports; "
          f"lost {len(lost) + len(lost_files)}, doubled {len(doubled) + len(doubled_files)}, "
          f"half-applied {len(broken)}; stored without an answer seen: {extra} changes, "
          f"{sum(batches.values()) - len(files)} imports")
    problems = [f"lost change {k}" for k in lost] + [f"doubled change {k}" for k in doubled]
    problems += [f"lost import {f}" for f in lost_files]
    problems += [f"doubled or partial import {f}" for f in doubled_files] + broken
    return problems


def bench(kind: str, minutes: float) -> list[str]:
    """One full run on one database; returns the targets missed."""
    with tempfile.TemporaryDirectory() as tmp_name, database(kind, Path(tmp_name)) as config:
        tmp = Path(tmp_name)
        svc = Services(config)
        svc.db.upgrade()
        plan = prepare(svc)
        server = GunicornServer(config, tmp / "gunicorn.log", workers=4,
                                access_log=tmp / "access.log")
        server.start()
        try:
            print(f"\n--- {kind}: 50 users for {minutes:g} min on gunicorn -w 4 at {server.base}")
            run_locust(server.base, plan, minutes, tmp)
        finally:
            server.stop()
        missed = report(tmp) + check_writes(svc, tmp)
        service_times(tmp / "access.log")
        svc.db.dispose()
    print(f"{kind}: " + ("all targets met" if not missed else "MISSED: " + "; ".join(missed)))
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="run time per database")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    if not 0 < args.minutes <= 60:
        parser.error("--minutes must be more than 0 and at most 60")
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    missed = [m for kind in kinds for m in bench(kind, args.minutes)]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
