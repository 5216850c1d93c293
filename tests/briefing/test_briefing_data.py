"""The briefing's figures on a small hand-made week: correct, and redacted at the source."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.pages.briefing.ids import PANELS, Ids
from dashboard.pages.briefing.rotation import is_paused, next_state
from layers.briefing.build import build_briefing
from layers.briefing.model import Briefing, BriefingOptions
from layers.briefing.plan import no_plan_message
from layers.planning.models import Assignment, Team
from tests.briefing.conftest import (
    BRIEF_DAY,
    SECRET_HOUSE,
    SECRET_NOTE,
    SECRET_OFFICER,
    SECRET_PHONE_LAST3,
    SECRET_TIP,
    SmallWeek,
)

SECRETS = (SECRET_NOTE, SECRET_TIP, SECRET_OFFICER, SECRET_HOUSE, "PR1 2RH")


def _everything(b: Briefing) -> str:
    text = [repr(b.yesterday), repr(b.week_results)]
    for frame in b.frames().values():
        text.append(frame.to_csv(index=False))
    return "\n".join(text)


def test_brf101_yesterday_results_and_outcomes(small_week: SmallWeek) -> None:
    b = build_briefing(small_week.db, BriefingOptions(day=BRIEF_DAY), small_week.districts)
    assert b.yesterday["summary"]["visits"] == 2
    assert b.yesterday["summary"]["closed"] == 2
    assert b.yesterday["outcomes"]["actioned"] == 1
    assert b.yesterday["outcomes"]["no_access"] == 1
    assert b.yesterday["results"]["safeguarded"] == 3
    assert b.yesterday["results"]["arrests"] == 1
    assert b.week_results["safeguarded"] == 3


def test_brf102_plan_without_assignments_is_empty_and_says_so(small_week: SmallWeek) -> None:
    # Issue 11: premises in status "planned" are not today's plan unless assigned to today
    # (this test used to expect them, as "No team assigned").
    b = build_briefing(small_week.db, BriefingOptions(day=BRIEF_DAY), small_week.districts)
    assert b.plan.empty
    assert no_plan_message(BRIEF_DAY) == "No visits are planned for Thursday 26 November."
    shown = BriefingOptions(day=BRIEF_DAY, outstanding_shows=("street", "sector"))
    outstanding = build_briefing(small_week.db, shown, small_week.districts).outstanding
    assert {"Church Street, Preston", "Church Street, Blackpool"} <= set(outstanding["street"])
    assert set(outstanding["postcode_sector"]) == {"PR1 2"}


def test_brf103_plan_by_team_from_planning_assignments(small_week: SmallWeek) -> None:
    with small_week.db.write() as session:
        team = Team(call_sign="ALPHA 1", division="South", start_lon=-2.7, start_lat=53.76,
                    start_easting=354000, start_northing=429000, created_by="x")
        session.add(team)
        session.flush()
        for pos, pid in enumerate(small_week.premises[4:6]):
            session.add(Assignment(location_id=pid, team_id=team.id, day=BRIEF_DAY,
                                   position=pos, created_by="x", safety_note=SECRET_NOTE))
    b = build_briefing(small_week.db, BriefingOptions(day=BRIEF_DAY), small_week.districts)
    assert list(b.plan["team"]) == ["ALPHA 1", "ALPHA 1"]
    assert list(b.plan["order"]) == [1, 2]
    assert int(b.by_day.loc[b.by_day["day"] == BRIEF_DAY, "planned"].iloc[0]) == 2
    assert SECRET_NOTE not in _everything(b)


def test_brf104_week_by_district_and_day(small_week: SmallWeek) -> None:
    b = build_briefing(small_week.db, BriefingOptions(day=BRIEF_DAY), small_week.districts)
    preston = b.by_district.set_index("district_code").loc["E07000123"]
    assert (preston["premises"], preston["planned"], preston["done"]) == (3, 2, 1)
    assert preston["done_pct"] == 50
    assert preston["actioned"] == 1 and preston["safeguarded"] == 3
    assert list(b.by_day["day"]) == [dt.date(2026, 11, 23) + dt.timedelta(days=i)
                                     for i in range(7)]
    assert b.by_day["tipoffs"].sum() == 10 and b.by_day["adverts"].sum() == 30
    # Running totals stop at the briefing's day (issue 11): Thursday holds the week's 2.
    assert b.by_day.set_index("day").loc[BRIEF_DAY, "visits_cumulative"] == 2
    assert b.by_day["visits_cumulative"].iloc[-1] is pd.NA


def test_brf105_new_intel_since_and_hotspots(small_week: SmallWeek) -> None:
    day_default = build_briefing(small_week.db, BriefingOptions(day=BRIEF_DAY),
                                 small_week.districts)
    # Default: the 24 hours before 08:00 on the briefing day (all of Wednesday's intel).
    assert len(day_default.new_intel) == 10
    assert day_default.hotspots["count"].sum() == 10
    assert day_default.hotspots.iloc[0]["cell"].startswith("SD ")
    since = dt.datetime(2026, 11, 23, 0, 0, tzinfo=dt.UTC)
    wide = build_briefing(small_week.db, BriefingOptions(day=BRIEF_DAY, since=since),
                          small_week.districts)
    assert len(wide.new_intel) == 30
    assert wide.timeline[["tipoffs", "adverts"]].to_numpy().sum() == 30


def test_brf106_outstanding_high_priority(small_week: SmallWeek) -> None:
    shown = BriefingOptions(day=BRIEF_DAY, outstanding_shows=("status", "priority"))
    b = build_briefing(small_week.db, shown, small_week.districts)
    assert len(b.outstanding) >= 2
    assert not set(b.outstanding["status"]) & {"visited", "actioned", "no_further_action"}
    assert b.outstanding["priority"].is_monotonic_decreasing


def test_brf107_nothing_sensitive_in_any_figure(small_week: SmallWeek) -> None:
    b = build_briefing(small_week.db, BriefingOptions(day=BRIEF_DAY), small_week.districts)
    text = _everything(b)
    for secret in SECRETS:
        assert secret not in text, secret
    for frame in b.frames().values():
        assert not {"notes", "summary", "phone_last3", "phone_hash", "address",
                    "created_by"} & set(frame.columns)
    assert SECRET_PHONE_LAST3 not in b.new_intel.to_csv(index=False)


def test_brf108_town_level_addresses(small_week: SmallWeek) -> None:
    options = BriefingOptions(day=BRIEF_DAY, address_level="town", outstanding_shows=("street",))
    b = build_briefing(small_week.db, options, small_week.districts)
    assert set(b.outstanding["street"]) == {"Preston", "Blackpool"}


def test_brf109_rotation_state() -> None:
    assert next_state(None, None) == {"index": 0}
    assert next_state({"index": 0}, Ids.ROTATE) == {"index": 1}
    assert next_state({"index": 1}, Ids.ROTATE, paused=True) == {"index": 1}  # timer stopped
    assert next_state({"index": 1}, Ids.NEXT, paused=True) == {"index": 2}  # keys still work
    assert next_state({"index": 0}, Ids.PREV) == {"index": len(PANELS) - 1}
    assert next_state({"index": len(PANELS) - 1}, Ids.NEXT) == {"index": 0}
    assert [is_paused(n) for n in (None, 0, 1, 2, 3)] == [False, False, True, False, True]


def test_brf110_empty_store_gives_an_empty_briefing(tmp_path) -> None:
    from layers.core.db import Database

    db = Database(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    db.upgrade()
    b = build_briefing(db, BriefingOptions(day=BRIEF_DAY), None)
    assert b.plan.empty and b.new_intel.empty and b.hotspots.empty
    assert isinstance(b.by_day, pd.DataFrame) and len(b.by_day) == 7
    db.dispose()


def test_brf111_screen_inputs_parse_safely(small_week: SmallWeek) -> None:
    from types import SimpleNamespace

    from dashboard.pages.briefing.refresh import screen_briefing

    svc = SimpleNamespace(db=small_week.db, boundaries=small_week.districts,
                          config=SimpleNamespace(briefing_address="town",
                                                 briefing_outstanding=None))
    options, _, notice = screen_briefing(svc, "2026-11-26", "2026-11-25T07:30")  # type: ignore[arg-type]
    assert options.day == BRIEF_DAY and options.address_level == "town" and notice == ""
    assert options.since is not None and options.since.utcoffset() == dt.timedelta(0)
    assert options.since.hour == 7  # Europe/London is UTC in November
    bad, shown, notice = screen_briefing(svc, "not a day", "nor a time")  # type: ignore[arg-type]
    assert bad.since is None and isinstance(bad.day, dt.date)
    assert "the day must be a date" in notice and shown is not None and shown.day == bad.day
