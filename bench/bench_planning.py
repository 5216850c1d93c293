"""Planning benchmarks: priorities and the live progress board.

Prints:
- priority of 2,000 premises against 600 tip-offs and 5,000 adverts;
- the progress board over a week with 100,000 status changes, on SQLite and (when reachable)
  PostgreSQL (target: under 200 ms).
Run: ``python bench/bench_planning.py`` (PostgreSQL from OPSMAP_TEST_PG, default this machine's).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bench.databases import scratch_postgres  # noqa: E402
from bench.timing import best_of  # noqa: E402
from layers.core.db import Database  # noqa: E402
from layers.core.models import HistoryEntry, Location  # noqa: E402
from layers.planning.board import left_to_do, progress_board  # noqa: E402
from layers.planning.models import Assignment, Team  # noqa: E402
from layers.planning.priority import score_candidates  # noqa: E402

SEED = 20261130
LOCATIONS = 2_000
TEAMS = 20
DAYS = [dt.date(2026, 11, 30) + dt.timedelta(days=i) for i in range(7)]
CHANGES = 100_000
BOARD_LOCATIONS = 20_000
DIVISIONS = np.array(["West", "South", "East"], dtype=object)
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def bench_priority() -> None:
    """Priority of 2,000 premises against tip-offs and adverts (the week's plan itself is
    ``bench/bench_week_plan.py``: the routing engine on shifts, windows and skills)."""
    rng = np.random.default_rng(SEED)
    frame = pd.DataFrame(
        {
            "id": np.arange(1, LOCATIONS + 1),
            "easting": rng.uniform(330_000, 390_000, LOCATIONS),
            "northing": rng.uniform(405_000, 475_000, LOCATIONS),
            "risk": rng.choice(["high", "medium", "low"], LOCATIONS),
        }
    )
    tipoffs = pd.DataFrame(
        {
            "easting": rng.uniform(330_000, 390_000, 600),
            "northing": rng.uniform(405_000, 475_000, 600),
            "grade_intel": rng.choice(list("ABCDE"), 600),
            "linked_premises_id": np.where(
                rng.random(600) < 0.3, rng.integers(1, LOCATIONS + 1, 600), np.nan
            ),
        }
    )
    adverts = pd.DataFrame(
        {
            "easting": rng.uniform(330_000, 390_000, 5_000),
            "northing": rng.uniform(405_000, 475_000, 5_000),
        }
    )
    start = time.perf_counter()
    score_candidates(frame, tipoffs, adverts)
    t_priority = time.perf_counter() - start
    print(
        f"priority of {LOCATIONS:,} premises (600 tip-offs, 5,000 adverts): "
        f"{t_priority * 1000:.0f} ms"
    )


def seed_board(db: Database, rng: np.random.Generator) -> None:
    """20,000 locations, 20 teams, 2,000 assignments and 100,000 history entries (a busy week)."""
    now = dt.datetime.now(dt.UTC)
    statuses = np.array(["planned", "in_progress", "visited", "actioned", "no_further_action"])
    kinds = np.where(np.arange(BOARD_LOCATIONS) < 2_000, "premises", "adverts")
    codes = np.array([f"E0700{110 + i}" for i in range(14)])
    district = rng.integers(0, 14, BOARD_LOCATIONS)
    status = np.where(
        np.arange(BOARD_LOCATIONS) < LOCATIONS, rng.choice(statuses, BOARD_LOCATIONS), "unplanned"
    )
    outcome = np.where(
        status == "actioned",
        "actioned",
        np.where(
            status == "no_further_action",
            rng.choice(["no_trace", "no_access"], BOARD_LOCATIONS),
            None,
        ),
    )
    detail = [
        json.dumps({"safeguarded": int(rng.integers(0, 3)), "arrests": int(rng.integers(0, 2))})
        if o == "actioned"
        else None
        for o in outcome
    ]
    rows = [
        {
            "id": i + 1,
            "kind": str(kinds[i]),
            "lon": -2.6,
            "lat": 53.8,
            "easting": 350_000.0,
            "northing": 430_000.0,
            "district_code": str(codes[district[i]]),
            "division": str(DIVISIONS[district[i] % 3]),
            "status": str(status[i]),
            "outcome": outcome[i],
            "outcome_detail": detail[i],
            "version": 6,
            "source": "bench",
            "created_by": "bench",
            "created_at": now,
            "is_demo": False,
        }
        for i in range(BOARD_LOCATIONS)
    ]
    with db.write() as s:
        s.execute(insert(Location.__table__), rows)
        s.execute(
            insert(Team.__table__),
            [
                {
                    "id": t + 1,
                    "call_sign": f"Team {t + 1}",
                    "division": str(DIVISIONS[t % 3]),
                    "members": 4,
                    "partners": "[]",
                    "daily_capacity": 15,
                    "shift_start": "08:00",
                    "shift_end": "16:00",
                    "start_lon": -2.6,
                    "start_lat": 53.8,
                    "start_easting": 350_000.0,
                    "start_northing": 430_000.0,
                    "start_label": "",
                    "version": 1,
                    "created_by": "bench",
                    "created_at": now,
                }
                for t in range(TEAMS)
            ],
        )
        s.execute(
            insert(Assignment.__table__),
            [
                {
                    "location_id": i + 1,
                    "team_id": i % TEAMS + 1,
                    "day": DAYS[(i // TEAMS) % 7],
                    "position": i // (TEAMS * 7),
                    "version": 1,
                    "created_by": "bench",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(LOCATIONS)
            ],
        )
        loc = rng.integers(1, LOCATIONS + 1, CHANGES)
        s.execute(
            insert(HistoryEntry.__table__),
            [
                {
                    "location_id": int(loc[i]),
                    "at": now,
                    "username": "bench",
                    "action": "status",
                    "from_status": "planned",
                    "to_status": "in_progress",
                    "from_version": 1,
                    "to_version": 2,
                    "note": None,
                    "detail": None,
                }
                for i in range(CHANGES)
            ],
        )


def bench_board(name: str, url: str) -> None:
    """Time the board (and "what is left") over the seeded week."""
    db = Database(url)
    db.upgrade()
    seed_board(db, np.random.default_rng(SEED))

    def board() -> None:
        with db.read() as s:
            progress_board(s)

    def left() -> None:
        with db.read() as s:
            left_to_do(s, DAYS[2])

    t_board, t_left = best_of(board, 5), best_of(left, 5)
    print(
        f"progress board on {name} ({BOARD_LOCATIONS:,} locations, {LOCATIONS:,} on the plan, "
        f"{CHANGES:,} status changes): {t_board * 1000:.0f} ms (target < 200 ms): "
        f"{'OK' if t_board < 0.2 else 'MISSED'}; what is left today: {t_left * 1000:.0f} ms"
    )
    db.dispose()


def main() -> int:
    """Run the benchmarks."""
    bench_priority()
    with tempfile.TemporaryDirectory() as tmp:
        bench_board("SQLite", f"sqlite:///{tmp}/bench.sqlite3")
    scratch = ExitStack()
    try:
        url = scratch.enter_context(
            scratch_postgres(os.environ.get("OPSMAP_TEST_PG", DEFAULT_PG), "opsmap_bench")
        )
    except Exception as exc:  # noqa: BLE001 - any failure means "no server here"
        print(f"PostgreSQL not reachable, skipped: {exc}")
        return 0
    with scratch:
        bench_board("PostgreSQL", url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
