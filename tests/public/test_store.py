"""Drafting, deciding and exporting on real SQLite and PostgreSQL, on a hand-counted week."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from layers.audit.processing_log import ProcessingLog
from layers.core.errors import NotFound, RuleError
from layers.core.locations import change_status
from layers.core.models import Location
from layers.public import store
from layers.public.figures import Period, count_period
from layers.public.store import NotApproved, NotPermitted, Person
from tests.public.conftest import (
    EXPECTED_TUESDAY,
    EXPECTED_WEEK,
    HOSTILE,
    PRESTON,
    TUESDAY,
    WEEK_END,
    WEEK_START,
    SmallWeek,
)

WEEK = Period(WEEK_START, WEEK_END)
LATER = dt.date(2026, 12, 3)
ALICE = Person("alice", "commander")
BOB = Person("bob", "admin")
ANN = Person("ann", "analyst")


def _log(small_week: SmallWeek) -> list[ProcessingLog]:
    with small_week.services.db.read() as session:
        return list(session.scalars(select(ProcessingLog).order_by(ProcessingLog.id)))


def _draft(small_week: SmallWeek, scope: str = "force", period: Period = WEEK,
           k: int = 5) -> store.PublicUpdate:
    return store.draft_update(small_week.services.db, period, scope, ALICE, k, today=LATER)


def test_pub040_counts_match_the_hand_count(small_week: SmallWeek) -> None:
    counts, ids = count_period(small_week.services.db, WEEK)
    assert {k: int(counts[k].sum()) for k in EXPECTED_WEEK} == EXPECTED_WEEK
    assert counts.at[PRESTON, "visits"] == 6
    assert counts.at["outside", "arrests"] == 3
    # N1 (the Monday after) and E1 (the Sunday before, 23:59) are outside the week.
    assert small_week.ids["N1"] not in ids and small_week.ids["E1"] not in ids
    assert small_week.ids["B3"] in ids  # Sunday 23:30 is still in the week
    tuesday, _ = count_period(small_week.services.db, Period(TUESDAY, TUESDAY))
    assert {k: int(tuesday[k].sum()) for k in EXPECTED_TUESDAY} == EXPECTED_TUESDAY


def test_pub041_force_and_division_figures_after_the_rules(small_week: SmallWeek) -> None:
    force = store.as_dict(_draft(small_week))
    assert force["figures"]["force"] == {
        "visits": "13", "premises": "12", "safeguarded": "9", "nrm_referrals": "fewer than 5",
        "arrests": "9", "warrants": "fewer than 5", "closure_orders": "fewer than 5",
    }
    division = store.as_dict(_draft(small_week, "division"))
    areas = division["figures"]["areas"]
    assert list(areas) == ["West", "South", "East"]
    assert areas["South"]["visits"] == "6" and areas["South"]["arrests"] == "6"
    assert areas["West"]["visits"] == "fewer than 5"
    assert areas["East"]["safeguarded"] == "fewer than 5"
    # 9 safeguarded with South's 6 shown would give West and East 3 by subtraction; likewise
    # 9 arrests beside South's 6 would reveal the 3 outside the force area.
    assert division["figures"]["force"] == {
        "visits": "13", "premises": "12", "nrm_referrals": "fewer than 5",
        "warrants": "fewer than 5", "closure_orders": "fewer than 5",
    }
    held = {c["rule"] for c in division["checks"] if c["outcome"] == "held back"}
    assert {"total:safeguarded", "total:arrests", "area:West", "map"} <= held
    district = store.as_dict(_draft(small_week, "district"))
    assert district["level"] == "division"
    assert any(c["rule"] == "districts" and "merged into divisions" in c["message"]
               for c in district["checks"])
    assert district["figures"]["map"]["level"] == "division"


def test_pub042_only_a_second_commander_or_admin_decides(small_week: SmallWeek) -> None:
    db = small_week.services.db
    with pytest.raises(NotPermitted, match="commanders and admins"):
        store.draft_update(db, WEEK, "force", ANN, 5, today=LATER)
    row = _draft(small_week)
    with pytest.raises(NotPermitted, match="second person"):
        store.decide(db, row.id, ALICE, True)
    with pytest.raises(NotPermitted, match="second person"):
        store.decide(db, row.id, Person("ALICE", "admin"), True)
    with pytest.raises(NotPermitted):
        store.decide(db, row.id, ANN, True)
    with pytest.raises(RuleError, match="needs a note"):
        store.decide(db, row.id, BOB, False, "   ")
    assert store.get_update(db, row.id).status == "draft"
    approved = store.decide(db, row.id, BOB, True, "figures checked against the board")
    assert (approved.status, approved.decided_by) == ("approved", "bob")
    with pytest.raises(RuleError, match="already approved by bob"):
        store.decide(db, row.id, Person("carol", "commander"), False, "too late")
    with pytest.raises(NotFound):
        store.decide(db, 999_999, BOB, True)


def test_pub043_nothing_exports_before_approval(small_week: SmallWeek, tmp_path: Path) -> None:
    db = small_week.services.db
    draft = _draft(small_week)
    rejected = _draft(small_week, "division")
    store.decide(db, rejected.id, BOB, False, "wait for Friday")
    for row in (draft, rejected):
        with pytest.raises(NotApproved, match="only an approved update"):
            store.export_update(db, row.id, "bob", small_week.services.boundaries)
    assert not [e for e in _log(small_week) if e.action == "disclosure"]
    assert store.get_update(db, draft.id).exports == 0


def test_pub044_every_step_is_logged(small_week: SmallWeek) -> None:
    db = small_week.services.db
    row = _draft(small_week, "division")
    store.decide(db, row.id, BOB, True, "ok to post")
    other = _draft(small_week)
    store.decide(db, other.id, BOB, False, "too early")
    store.export_update(db, row.id, "press.officer", small_week.services.boundaries)
    log = [e for e in _log(small_week) if f"public update #{row.id} " in e.detail]
    assert [(e.action, e.username) for e in log] == [
        ("consultation", "alice"), ("alteration", "bob"), ("disclosure", "press.officer")]
    drafted, approved, disclosed = log
    counted = sorted(small_week.ids[k] for k in
                     ("P1", "P2", "P3", "P4", "P5", "P6", "B1", "B2", "B3", "U1", "R1", "O1"))
    assert sorted(drafted.records) == counted
    assert approved.justification == "ok to post"
    assert "disclosed to the public" in disclosed.detail
    assert "force-wide: 13 visits made; 12 premises visited" in disclosed.detail
    assert "South: 6 visits made" in disclosed.detail
    assert disclosed.justification == "approved by bob: ok to post"
    rejected = [e for e in _log(small_week) if f"public update #{other.id} rejected" in e.detail]
    assert rejected and rejected[0].justification == "too early"
    steps = [(e.action, e.username, e.note) for e in store.events(db, row.id)]
    assert steps == [("drafted", "alice", None), ("approved", "bob", "ok to post"),
                     ("exported", "press.officer", None)]
    assert store.get_update(db, row.id).exports == 1


def test_pub045_hostile_record_text_reaches_no_output(small_week: SmallWeek,
                                                      tmp_path: Path) -> None:
    db = small_week.services.db
    outputs: list[str] = []
    for scope in ("force", "division", "district"):
        row = _draft(small_week, scope)
        store.decide(db, row.id, BOB, True)
        data = store.as_dict(store.get_update(db, row.id))
        outputs.append(json.dumps({k: data[k] for k in ("figures", "texts", "checks")}))
        bundle = store.export_update(db, row.id, "bob", small_week.services.boundaries)
        for path in bundle.write(tmp_path / scope):
            if path.suffix != ".png":
                outputs.append(path.read_text(encoding="utf-8"))
        outputs += [" ".join(image.drawn) for image in bundle.images.values()]
    everything = "\n".join(outputs).lower()
    for secret in HOSTILE:
        assert secret.lower() not in everything, secret
    assert "operation" not in everything  # the operation's name is record text too


def test_pub046_a_status_change_made_today_is_counted_with_its_results(
    small_week: SmallWeek,
) -> None:
    db = small_week.services.db
    pid = small_week.ids["N1"]
    with db.write() as session:
        version = session.get(Location, pid).version
        change_status(session, pid, "actioned", version, "pc.x", outcome="actioned",
                      results={"safeguarded": 5, "closure_orders": 2})
    today = dt.datetime.now(dt.UTC).date()
    counts, _ = count_period(db, Period(today - dt.timedelta(days=1), today))
    assert int(counts["safeguarded"].sum()) == 5
    assert int(counts["closure_orders"].sum()) == 2


def test_pub047_days_after_today_are_cut_and_said(small_week: SmallWeek) -> None:
    row = store.draft_update(small_week.services.db, WEEK, "force", ALICE, 5,
                             today=dt.date(2026, 11, 25))
    data = store.as_dict(row)
    assert data["period"] == {"from": "2026-11-23", "to": "2026-11-25",
                              "words": "from Monday 23 November to Wednesday 25 November 2026"}
    assert any(c["rule"] == "future" for c in data["checks"])
    with pytest.raises(ValueError, match="after today"):
        store.draft_update(small_week.services.db, WEEK, "force", ALICE, 5,
                           today=dt.date(2026, 11, 20))


def test_pub048_overlapping_approved_updates_are_warned_about(small_week: SmallWeek) -> None:
    db = small_week.services.db
    week = _draft(small_week)
    store.decide(db, week.id, BOB, True)
    same = store.as_dict(_draft(small_week))
    assert not [c for c in same["checks"] if c["rule"] == "overlap"]
    tuesday = store.as_dict(_draft(small_week, period=Period(TUESDAY, TUESDAY)))
    warnings = [c for c in tuesday["checks"] if c["rule"] == "overlap"]
    assert len(warnings) == 1 and warnings[0]["outcome"] == "warning"
    assert f"#{week.id}" in warnings[0]["message"]
