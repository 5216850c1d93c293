"""Fixtures for the briefing tests: a small hand-made week in a real SQLite store.

The store is written row by row (no geography needed), with sensitive content in every field
the briefing must never show (notes, tip-off summaries, phones, officer names, house numbers),
so the tests can search the output for it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import insert

from layers.core.db import Database
from layers.core.models import HistoryEntry, Location, Operation
from tests.conftest import boundaries_path
from tests.e2e.conftest import LiveApp, make_chrome, sign_in, start_live_app

WEEK_START = dt.date(2026, 11, 23)
BRIEF_DAY = dt.date(2026, 11, 26)
SECRET_NOTE = "SECRET NOTE minibus drop-off"
SECRET_TIP = "SECRET TIP women escorted"
SECRET_PHONE_LAST3 = "987"
SECRET_OFFICER = "pc.jane.doe"
SECRET_HOUSE = "221B"

DISTRICTS = pd.DataFrame(
    {
        "code": ["E07000123", "E06000009"],
        "name": ["Preston", "Blackpool"],
        "division": ["South", "West"],
    }
)


@dataclass
class SmallWeek:
    """The hand-made store and the ids in it."""

    db: Database
    premises: list[int]
    districts: pd.DataFrame


def run_briefing(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, day: dt.date, *extra: str
) -> tuple[int, Path]:
    """The real command (``python app.py briefing``, in process) on the database at ``url``:
    its exit code and the HTML path of the pack it was asked to write."""
    import app

    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("OPSMAP_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("OPSMAP_BOUNDARIES", str(boundaries_path()))
    out = tmp_path / "pack" / "brief.html"
    return app.main(["briefing", "--date", day.isoformat(), "--out", str(out), *extra]), out


def _utc(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


@pytest.fixture
def small_week(tmp_path: Path) -> Iterator[SmallWeek]:
    """Six premises, tip-offs and adverts over the week, a plan for the briefing day."""
    db = Database(f"sqlite:///{tmp_path / 'briefing.sqlite3'}")
    db.upgrade()
    base = {
        "source": "test",
        "created_by": SECRET_OFFICER,
        "is_demo": True,
        "version": 1,
        "status": "unplanned",
    }
    towns = [("Preston", "E07000123", "South", -2.70, 53.76, 354000, 429500),
             ("Blackpool", "E06000009", "West", -3.05, 53.82, 331000, 436000)]
    with db.write() as session:
        session.add(Operation(name="Operation Test", start_date=WEEK_START,
                              end_date=WEEK_START + dt.timedelta(days=6), is_demo=True))
        rows = []
        for i in range(6):
            town, code, division, lon, lat, e, n = towns[i % 2]
            rows.append({
                **base, "kind": "premises", "ref": f"P-{i}", "lon": lon + i * 0.001,
                "lat": lat, "easting": e + i * 70, "northing": n, "district_code": code,
                "division": division, "address": f"{SECRET_HOUSE} Church Street, {town} PR1 2RH",
                "postcode": "PR1 2RH", "premises_type": "nail bar",
                "risk": "high" if i < 4 else "low", "notes": f"{SECRET_NOTE} {i}",
            })
        session.execute(insert(Location.__table__), rows)
        ids = [r.id for r in session.query(Location.id).order_by(Location.id)]
        intel = []
        for j in range(40):
            town, code, division, lon, lat, e, n = towns[j % 2]
            kind = "tipoffs" if j % 4 == 0 else "adverts"
            intel.append({
                **base, "kind": kind, "ref": f"I-{j}", "lon": lon, "lat": lat,
                "easting": e + (j % 3) * 30, "northing": n + 20, "district_code": code,
                "division": division,
                "observed_at": _utc(WEEK_START + dt.timedelta(days=j % 4), 6 + j % 12),
                "channel": "101" if kind == "tipoffs" else None,
                "grade_intel": "B" if kind == "tipoffs" else None,
                "summary": f"{SECRET_TIP} {j}" if kind == "tipoffs" else None,
                "linked_premises_id": ids[0] if kind == "tipoffs" else None,
                "site": "site-a.example" if kind == "adverts" else None,
                "phone_hash": "f" * 64 if kind == "adverts" else None,
                "phone_last3": SECRET_PHONE_LAST3 if kind == "adverts" else None,
                "accuracy_m": 50.0 if kind == "adverts" else None,
            })
        session.execute(insert(Location.__table__), intel)
        # Yesterday: premises 0 visited and actioned with results, premises 1 no access.
        yesterday = BRIEF_DAY - dt.timedelta(days=1)
        history = []
        for pid, steps, outcome in (
            (ids[0], ["planned", "in_progress", "visited", "actioned"], "actioned"),
            (ids[1], ["planned", "in_progress", "visited", "no_further_action"], "no_access"),
        ):
            for v, step in enumerate(steps, start=1):
                detail = None
                if step in ("actioned", "no_further_action"):
                    results = {"safeguarded": 3, "arrests": 1} if outcome == "actioned" else {}
                    detail = json.dumps({"outcome": outcome, "results": results})
                history.append({
                    "location_id": pid, "at": _utc(yesterday, 9 + v), "username": SECRET_OFFICER,
                    "action": "status", "from_status": None, "to_status": step,
                    "from_version": v, "to_version": v + 1,
                    "note": f"{SECRET_NOTE} history", "detail": detail,
                })
            session.query(Location).filter(Location.id == pid).update(
                {"status": steps[-1], "outcome": outcome, "version": len(steps) + 1,
                 "outcome_detail": json.dumps({"safeguarded": 3, "arrests": 1})
                 if outcome == "actioned" else None}
            )
        # Today: premises 2 and 3 planned.
        for pid in ids[2:4]:
            history.append({
                "location_id": pid, "at": _utc(BRIEF_DAY - dt.timedelta(days=1), 17),
                "username": SECRET_OFFICER, "action": "status", "from_status": "unplanned",
                "to_status": "planned", "from_version": 1, "to_version": 2,
                "note": None, "detail": None,
            })
            session.query(Location).filter(Location.id == pid).update(
                {"status": "planned", "version": 2}
            )
        session.execute(insert(HistoryEntry), history)
    yield SmallWeek(db, ids, DISTRICTS)
    db.dispose()


# --- Browser fixtures ---------------------------------------------------------------------------

BRIEFING_SECONDS = 4
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-output" / "briefing"


@pytest.fixture(scope="session")
def briefing_live(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> Iterator[LiveApp]:
    """Like ``tests/e2e``'s live app, with a short rotation interval for the briefing screen."""
    with start_live_app(
        tmp_path_factory.mktemp("briefing-live"),
        cache_dir,
        roles=("admin", "briefing"),
        briefing_seconds=BRIEFING_SECONDS,
    ) as live:
        yield live


@pytest.fixture
def chrome():  # type: ignore[no-untyped-def]
    """Headless Chromium with a 1920x1080 viewport (the briefing room's screen)."""
    driver = make_chrome(1920, 1080)
    yield driver
    driver.quit()


def sign_in_briefing(driver, live: LiveApp, role: str = "briefing") -> None:  # type: ignore[no-untyped-def]
    """Sign in through the ``/login`` form as the user of ``role`` (the shared e2e helper)."""
    sign_in(driver, live, role)


# --- Hostile values ------------------------------------------------------------------------------

HOSTILE_TEAM = "<img src=x onerror=window.pwnedTeam=1>"
"""A call sign that runs script if it reaches HTML unescaped (Leaflet's layer control)."""
HOSTILE_STREET = "${document.title=window.pwnedAddress=typeof(window)} Street, Preston"
"""An address that runs script if it reaches a JS template literal (folium's tooltips)."""
HOSTILE_TICK = "`+(window.pwnedTick=document.title=typeof(window))+` Road, Blackpool"
"""An address that ends a template literal early and runs script if it reaches one."""
HOSTILE_TYPE = "<img src=x onerror=window.pwnedType=1>"
"""A premises type (imports keep unfamiliar values as text) that runs script as HTML."""
HOSTILE_FLAGS = ("pwnedTeam", "pwnedAddress", "pwnedTick", "pwnedType")


@pytest.fixture
def hostile_week(small_week: SmallWeek) -> SmallWeek:
    """The small week with hostile text where the pack shows it: a team's call sign (two visits
    today), the addresses and type of the outstanding high-risk premises."""
    from layers.planning.models import Assignment, Team

    with small_week.db.write() as session:
        team = Team(call_sign=HOSTILE_TEAM, division="South", start_lon=-2.7, start_lat=53.76,
                    start_easting=354000, start_northing=429000, created_by="x")
        session.add(team)
        session.flush()
        for pos, pid in enumerate(small_week.premises[2:4]):
            session.add(Assignment(location_id=pid, team_id=team.id, day=BRIEF_DAY,
                                   position=pos, created_by="x"))
        for pid, address in zip(small_week.premises[2:4], (HOSTILE_STREET, HOSTILE_TICK),
                                strict=True):
            session.query(Location).filter(Location.id == pid).update(
                {"address": address, "premises_type": HOSTILE_TYPE})
    return small_week


# --- A hand-counted week for the figures (both databases) -----------------------------------------

COUNTED_TEAMS = ("ALPHA 1", "BRAVO 2")


def write_counted_week(db: Database) -> list[int]:
    """Ten premises with a known story (the test module spells out every count by hand).

    Monday all ten are planned. Wednesday (the day before the briefing) ALPHA 1 visits P0
    (actioned: 2 safeguarded, 1 arrest), P1 (no access) and P2 (no trace, recorded only on the
    location), BRAVO 2 starts P3 and closes P4 with no outcome recorded anywhere. Thursday
    ALPHA 1 has P5 and P6, BRAVO 2 has P7; Friday BRAVO 2 has P8; P9 is planned but assigned
    to no day. Tuesday brings two tip-offs, Wednesday three adverts.
    """
    from layers.planning.models import Assignment, Team

    towns = [("E07000123", "South", -2.70, 53.76, 354000, 429500),
             ("E06000009", "West", -3.05, 53.82, 331000, 436000)]
    final = {0: ("actioned", "actioned", {"safeguarded": 2, "arrests": 1}),
             1: ("no_further_action", "no_access", None),
             2: ("no_further_action", "no_trace", None),
             3: ("in_progress", None, None), 4: ("no_further_action", None, None)}
    with db.write() as session:
        session.add(Operation(name="Operation Counted", start_date=WEEK_START,
                              end_date=WEEK_START + dt.timedelta(days=6)))
        rows = []
        for i in range(10):
            code, division, lon, lat, e, n = towns[i % 2]
            status, outcome, results = final.get(i, ("planned", None, None))
            rows.append({
                "kind": "premises", "ref": f"C-{i}", "source": "test", "created_by": "x",
                "is_demo": False, "version": 1, "lon": lon + i * 0.01, "lat": lat,
                "easting": e + i * 700, "northing": n, "district_code": code,
                "division": division, "address": f"{i} Mill Lane, Town", "postcode": "PR1 2RH",
                "premises_type": "nail bar", "risk": "high" if i in (0, 1, 5, 7) else "low",
                "status": status, "outcome": outcome,
                "outcome_detail": json.dumps(results) if results else None,
            })
        session.execute(insert(Location.__table__), rows)
        rows = []
        for j in range(5):
            code, division, lon, lat, e, n = towns[j % 2]
            kind, day = ("tipoffs", 1) if j < 2 else ("adverts", 2)
            rows.append({
                "kind": kind, "ref": f"I-{j}", "source": "test", "created_by": "x",
                "is_demo": False, "version": 1, "lon": lon, "lat": lat, "easting": e,
                "northing": n, "district_code": code, "division": division, "status": "unplanned",
                "observed_at": _utc(WEEK_START + dt.timedelta(days=day), 10 + j),
            })
        session.execute(insert(Location.__table__), rows)
        ids = [r.id for r in session.query(Location.id).filter(Location.kind == "premises")
               .order_by(Location.id)]
        session.execute(insert(HistoryEntry), _counted_history(ids))
        teams = [Team(call_sign=c, division="South", start_lon=-2.7, start_lat=53.76,
                      start_easting=354000, start_northing=429000, created_by="x")
                 for c in COUNTED_TEAMS]
        session.add_all(teams)
        session.flush()
        plan = {2: [(0, 0, 1, 2), (1, 3, 4)], 3: [(0, 5, 6), (1, 7)], 4: [(1, 8)]}
        for offset, per_team in plan.items():
            for team, *stops in per_team:
                for position, index in enumerate(stops):
                    session.add(Assignment(location_id=ids[index], team_id=teams[team].id,
                                           day=WEEK_START + dt.timedelta(days=offset),
                                           position=position, created_by="x"))
    return ids


def _counted_history(ids: list[int]) -> list[dict[str, object]]:
    monday, wednesday = WEEK_START, WEEK_START + dt.timedelta(days=2)
    entries: list[tuple[int, dt.datetime, str, str | None]] = [
        (ids[i], _utc(monday, 9), "planned", None) for i in range(10)
    ]
    actioned = json.dumps({"outcome": "actioned", "results": {"safeguarded": 2, "arrests": 1}})
    stories = {0: ["in_progress", "visited", "actioned"],
               1: ["in_progress", "visited", "no_further_action"],
               2: ["in_progress", "visited", "no_further_action"], 3: ["in_progress"],
               4: ["in_progress", "visited", "no_further_action"]}
    details = {0: actioned, 1: json.dumps({"outcome": "no_access", "results": {}})}
    for i, steps in stories.items():
        for hour, step in enumerate(steps, start=10):
            closing = step in ("actioned", "no_further_action")
            entries.append((ids[i], _utc(wednesday, hour + i), step,
                            details.get(i) if closing else None))
    return [{"location_id": loc, "at": at, "username": "x", "action": "status",
             "from_status": None, "to_status": to, "from_version": 1, "to_version": 2,
             "note": None, "detail": detail} for loc, at, to, detail in entries]
