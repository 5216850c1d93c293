"""Fixtures for the public-update tests: a small hand-made week full of hostile record text.

Every free-text field a record has (address, postcode, reference, notes, tip-off summary,
history notes, officer names, even extra keys in the stored outcome detail and a made-up
division) holds something that must never reach a public output, so the tests can search
every output for it. The counts are small enough to check by hand (see ``EXPECTED``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import insert, update

from layers import accounts
from layers.core.models import HistoryEntry, Location, Operation
from layers.services import Services

WEEK_START = dt.date(2026, 11, 23)
WEEK_END = dt.date(2026, 11, 29)
TUESDAY = dt.date(2026, 11, 24)
PRESTON, BLACKPOOL, BURNLEY, RIBBLE_VALLEY = "E07000123", "E06000009", "E07000117", "E07000124"
HOSTILE_STREET = "Acacia Avenue"
HOSTILE_POSTCODE = "PR1 2RH"
HOSTILE_REF = "REF-ACACIA-17"
HOSTILE_OFFICER = "pc.hostile.name"
HOSTILE: tuple[str, ...] = (
    HOSTILE_STREET, HOSTILE_POSTCODE, "PR1", HOSTILE_REF, "ACACIA", "HOSTILE", HOSTILE_OFFICER,
    "Flat 2", "07700 900123",
)
"""Text from the records that must appear in no output (case-insensitive)."""

EXPECTED_WEEK = {"visits": 13, "premises": 12, "safeguarded": 9, "nrm_referrals": 2,
                 "arrests": 9, "warrants": 1, "closure_orders": 1}
"""The week 23-29 November counted by hand from :func:`small_week`'s rows."""
EXPECTED_TUESDAY = {"visits": 8, "premises": 8, "safeguarded": 6, "nrm_referrals": 0,
                    "arrests": 9, "warrants": 0, "closure_orders": 0}


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


@dataclass
class SmallWeek:
    """The store and the ids of its premises by label."""

    services: Services
    ids: dict[str, int]


def _premises(label: str, code: str, division: str) -> dict[str, object]:
    return {
        "kind": "premises", "lon": -2.7, "lat": 53.76, "easting": 354000.0,
        "northing": 429500.0, "district_code": code, "division": division,
        "status": "unplanned", "version": 1, "ref": f"{HOSTILE_REF}-{label}",
        "address": f"Flat 2, 17 {HOSTILE_STREET}, Preston {HOSTILE_POSTCODE}",
        "postcode": HOSTILE_POSTCODE, "premises_type": "nail bar", "risk": "high",
        "notes": f"HOSTILE note: meet at 17 {HOSTILE_STREET} {HOSTILE_POSTCODE}, 07700 900123",
        "source": f"HOSTILE source {HOSTILE_STREET}", "created_by": HOSTILE_OFFICER,
        "is_demo": False,
    }


def _steps(status: str, at: dt.datetime, outcome: str | None = None,
           results: dict[str, int] | None = None, with_detail: bool = True) -> tuple:
    detail = {"outcome": outcome, "results": results or {}} if outcome and with_detail else None
    return (status, at, detail)


def _visits() -> list[tuple[str, str, str, list[tuple], str | None, dict | None]]:
    """(label, district, division stored on the record, steps, final outcome, stored results)."""
    tue, wed, thu = TUESDAY, TUESDAY + dt.timedelta(1), TUESDAY + dt.timedelta(2)
    preston = [
        (f"P{i}", PRESTON, "Acacia Avenue" if i == 1 else "South",
         [_steps("visited", _at(tue, 9 + i)),
          _steps("actioned", _at(tue, 10 + i), "actioned", {"safeguarded": 1, "arrests": 1})],
         "actioned",
         {"safeguarded": 1, "arrests": 1, "note": f"{HOSTILE_STREET} {HOSTILE_POSTCODE}"})
        for i in range(1, 7)
    ]
    return [
        *preston,
        ("B1", BLACKPOOL, "West", [_steps("visited", _at(wed, 10)), _steps(
            "actioned", _at(wed, 11), "actioned", {"safeguarded": 2, "nrm_referrals": 2})],
         "actioned", {"safeguarded": 2, "nrm_referrals": 2}),
        ("B2", BLACKPOOL, "West", [_steps("visited", _at(wed, 12)), _steps(
            "no_further_action", _at(wed, 13), "no_access")], "no_access", None),
        ("B3", BLACKPOOL, "West", [_steps("visited", _at(WEEK_END, 23, 30))], None, None),
        ("U1", BURNLEY, "East", [
            _steps("visited", _at(tue, 9)), _steps("planned", _at(tue, 10), "postponed"),
            _steps("visited", _at(thu, 9)),
            _steps("actioned", _at(thu, 10), "actioned", {"warrants": 1, "closure_orders": 1})],
         "actioned", {"warrants": 1, "closure_orders": 1}),
        ("R1", RIBBLE_VALLEY, "East", [
            _steps("visited", _at(thu, 11)),
            _steps("actioned", _at(thu, 12), "actioned", {"safeguarded": 1}, with_detail=False)],
         "actioned", {"safeguarded": 1, "note": f"HOSTILE {HOSTILE_STREET}"}),
        ("O1", "outside", "outside", [_steps("visited", _at(tue, 15)), _steps(
            "actioned", _at(tue, 16), "actioned", {"arrests": 3})], "actioned", {"arrests": 3}),
        ("N1", PRESTON, "South", [_steps("visited", _at(WEEK_END + dt.timedelta(1), 10))],
         None, None),
        ("E1", PRESTON, "South", [_steps("visited", _at(WEEK_START - dt.timedelta(1), 23, 59))],
         None, None),
    ]


@pytest.fixture
def small_week(services: Services) -> SmallWeek:
    """The hand-made week in the ``services`` store (SQLite and PostgreSQL)."""
    plan = _visits()
    with services.db.write() as session:
        session.add(Operation(name=f"Operation {HOSTILE_STREET}", start_date=WEEK_START,
                              end_date=WEEK_END))
        session.execute(insert(Location), [_premises(*p[:3]) for p in plan])
        session.flush()
        rows = session.query(Location.id, Location.ref).order_by(Location.id).all()
        ids = {ref.rsplit("-", 1)[-1]: i for i, ref in rows}
        session.execute(insert(Location), [{
            **_premises("T1", PRESTON, "South"), "kind": "tipoffs", "address": None,
            "summary": f"HOSTILE tip: girls at {HOSTILE_STREET} {HOSTILE_POSTCODE}",
            "observed_at": _at(TUESDAY, 20),
        }])
        history = []
        for label, _code, _division, steps, outcome, stored in plan:
            previous = "unplanned"
            for n, (status, at, detail) in enumerate(steps, start=1):
                history.append({
                    "location_id": ids[label], "at": at, "username": HOSTILE_OFFICER,
                    "action": "status", "from_status": previous, "to_status": status,
                    "from_version": n, "to_version": n + 1,
                    "note": f"HOSTILE history note {HOSTILE_STREET} {HOSTILE_POSTCODE}",
                    "detail": json.dumps(detail) if detail else None,
                })
                previous = status
            session.execute(update(Location).where(Location.id == ids[label]).values(
                status=steps[-1][0], outcome=outcome, version=len(steps) + 1,
                outcome_detail=json.dumps(stored) if stored else None))
        session.execute(insert(HistoryEntry), history)
    return SmallWeek(services, ids)


@pytest.fixture
def people(services: Services) -> Callable[[str, str], None]:
    """Create an account (for the CLI-style role check)."""

    def _make(name: str, role: str) -> None:
        with services.db.write(bump=False) as session:
            accounts.create_user(session, name, role, "correct horse battery staple")

    return _make
