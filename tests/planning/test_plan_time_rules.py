"""The rules of planning in time without the engine: visit terms by premises type, team shifts
and breaks as the solver sees them, windows over the days, and when a team is running late."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from layers.core.clock import LONDON
from layers.core.models import Operation
from layers.planning import assignments
from layers.planning.day_view import is_late, late_teams, minutes_late
from layers.planning.errors import PlanError
from layers.planning.models import Team, VisitSettings
from layers.planning.plan_build import Row, break_rule, day_team, priority_of, visit_windows
from layers.planning.solver import Horizon, Window
from layers.planning.team_time import read_base, read_time_fields
from layers.planning.teams import TeamError
from layers.planning.visit_rules import (
    VisitTerms,
    check_terms,
    default_terms,
    visit_changes,
    visit_terms,
)

from .conftest import MONDAY

HOUR = 3600
DAYS = [MONDAY + dt.timedelta(days=i) for i in range(3)]


def test_ptr001_defaults_by_premises_type_and_risk() -> None:
    assert default_terms("nail bar", "low") == VisitTerms("09:00", "18:00", 45)
    assert default_terms("massage parlour", "high") == VisitTerms("10:00", "22:00", 120)
    assert default_terms("residential", "medium") == VisitTerms(None, None, 60)
    assert default_terms("brothel/sauna", None).window_until == "02:00"  # past midnight
    assert default_terms(None, None) == VisitTerms(None, None, 45)  # unknown: any time


def test_ptr002_a_commanders_setting_overrides_the_default() -> None:
    settings = VisitSettings(location_id=1, window_from="20:00", window_until="23:00",
                             duration_minutes=120, skills=json.dumps(["warrant"]),
                             latest_day=DAYS[1])
    terms = visit_terms("nail bar", "low", settings)
    assert (terms.window_from, terms.window_until, terms.duration_minutes) == (
        "20:00", "23:00", 120)
    assert terms.skills == {"warrant"} and terms.latest_day == DAYS[1]
    any_time = visit_terms("nail bar", "low", VisitSettings(location_id=1, window_from="",
                                                            window_until=""))
    assert any_time.any_time and any_time.duration_minutes == 45
    assert visit_terms("nail bar", "low", VisitSettings(location_id=1)).window_from == "09:00"


def test_ptr003_visit_changes_are_read_strictly() -> None:
    assert visit_changes({"window_from": "9:05", "window_until": "17:00"}) == {
        "window_from": "09:05", "window_until": "17:00"}
    assert visit_changes({"window_from": None, "window_until": None}) == {
        "window_from": "", "window_until": ""}
    assert visit_changes({"skills": ["b", "a ", "a"], "latest_day": "2026-12-01"}) == {
        "skills": '["a", "b"]', "latest_day": dt.date(2026, 12, 1)}
    for body, said in (({"window_from": "09:00"}, "together"),
                       ({"window_from": "24:00", "window_until": "02:00"}, "HH:MM"),
                       ({"duration_minutes": 1000}, "1 to 720"),
                       ({"duration_minutes": True}, "whole number"),
                       ({"skills": "warrant"}, "list"),
                       ({"latest_day": "Tuesday"}, "YYYY-MM-DD"),
                       ({"colour": "red"}, "unknown"),
                       ({}, "at least one")):
        with pytest.raises(ValueError, match=said):
            visit_changes(body)


def test_ptr004_terms_no_plan_could_meet_are_refused() -> None:
    check_terms(VisitTerms("22:00", "02:00", 240))  # four hours across midnight: fits
    with pytest.raises(PlanError, match="shorter than the visit"):
        check_terms(VisitTerms("22:00", "02:00", 241))
    with pytest.raises(PlanError, match="after the latest day"):
        check_terms(VisitTerms(None, None, 30, latest_day=DAYS[0], on_day=DAYS[1]))


def _team(start: str, end: str, rest: int = 0) -> Team:
    return Team(id=7, call_sign="Night 1", division="South", shift_start=start, shift_end=end,
                break_minutes=rest, skills=json.dumps(["warrant"]), daily_capacity=5,
                start_lon=-2.7, start_lat=53.76)


def test_ptr005_team_shifts_cross_midnight_with_the_break_in_the_middle() -> None:
    horizon = Horizon(MONDAY)
    night = day_team(_team("20:00", "04:00", 45), DAYS[1], horizon)
    assert night.shift == Window(44 * HOUR, 52 * HOUR)  # Tue 20:00 to Wed 04:00
    assert night.rest is not None and night.rest.duration == 45 * 60
    assert night.rest.window == Window(46 * HOUR, 50 * HOUR)  # 22:00 to 02:00
    assert night.skills == {"warrant", "South division's ground"}
    assert night.max_stops == 5 and night.id == f"7@{DAYS[1].isoformat()}"
    assert day_team(_team("08:00", "16:00"), MONDAY, horizon).rest is None
    assert break_rule(Window(0, 8 * HOUR), 30) is not None


def test_ptr006_windows_over_the_days_allowed() -> None:
    horizon = Horizon(MONDAY)
    assert visit_windows(VisitTerms(None, None, 30), DAYS, horizon) == ()
    late = VisitTerms("22:00", "02:00", 30, latest_day=DAYS[1])
    assert visit_windows(late, DAYS, horizon) == (Window(22 * HOUR, 26 * HOUR),
                                                  Window(46 * HOUR, 50 * HOUR))
    on_day = VisitTerms(None, None, 30, on_day=DAYS[2])
    assert visit_windows(on_day, DAYS, horizon) == (Window(48 * HOUR, 72 * HOUR),)
    gone = VisitTerms(None, None, 30, latest_day=MONDAY - dt.timedelta(days=1))
    assert visit_windows(gone, DAYS, horizon) is None
    assert (priority_of(72.4), priority_of(130.0), priority_of(-3.0)) == (72, 100, 0)


def _row(status: str, eta: str | None, etd: str | None, outcome: str | None = None) -> Row:
    def at(text: str | None) -> dt.datetime | None:
        return None if text is None else dt.datetime.fromisoformat(f"2026-11-30T{text}+00:00")

    return Row(1, -2.7, 53.76, VisitTerms(None, None, 30), status=status, outcome=outcome,
               eta=at(eta), etd=at(etd))


def test_ptr007_running_late_against_the_plan() -> None:
    now = dt.datetime(2026, 11, 30, 11, 0, tzinfo=dt.UTC)
    on_time = [_row("visited", "09:00", "09:30"), _row("planned", "11:10", "11:40")]
    assert minutes_late(on_time, now) == 0
    running_long = [_row("in_progress", "10:00", "10:35"), _row("planned", "10:50", "11:20")]
    assert minutes_late(running_long, now) == 25  # the visit under way should have ended
    missed = [_row("planned", "10:20", "10:50"), _row("planned", "09:00", "09:30")]
    assert minutes_late(missed, now) == 40  # the first not started decides
    skipped = [_row("planned", "09:00", "09:30", "postponed"), _row("planned", None, None)]
    assert minutes_late(skipped, now) == 0
    assert not is_late(10) and is_late(11)


def test_ptr008_team_fields_read_strictly() -> None:
    assert read_time_fields({"shift_start": "8:00", "shift_end": "02:00", "break_minutes": 45,
                             "skills": ["warrant"]}) == {
        "shift_start": "08:00", "shift_end": "02:00", "break_minutes": 45,
        "skills": ("warrant",)}
    with pytest.raises(ValueError, match="break_minutes"):
        read_time_fields({"break_minutes": 500})
    with pytest.raises(ValueError, match="not both"):
        read_base({"base_postcode": "PR1 2RH", "base_lon": -2.7}, None)
    with pytest.raises(ValueError, match="base_lat"):
        read_base({"base_lon": -2.7}, None)
    with pytest.raises(TeamError, match="Great Britain"):
        read_base({"base_lon": 2.35, "base_lat": 48.85}, None)
    assert read_base({}, None) is None


def test_ptr009_the_board_flags_a_team_on_shift_running_late(services, premises, team) -> None:
    ids = premises("preston", 2, risk="low")
    alpha = team("Alpha 1")
    with services.db.write() as s:
        s.add(Operation(name="Op", start_date=MONDAY, end_date=DAYS[-1], is_demo=False))
        for n, loc in enumerate(ids):
            result = assignments.assign(s, loc, 1, alpha, MONDAY, "commander-a")
            result.assignment.eta = dt.datetime(2026, 11, 30, 9 + n, tzinfo=LONDON)
            result.assignment.etd = dt.datetime(2026, 11, 30, 9 + n, 45, tzinfo=LONDON)
    with services.db.read() as s:
        at_half_nine = late_teams(s, MONDAY, dt.datetime(2026, 11, 30, 9, 30, tzinfo=LONDON))
        after_shift = late_teams(s, MONDAY, dt.datetime(2026, 11, 30, 17, 0, tzinfo=LONDON))
    assert [(t.call_sign, t.minutes) for t in at_half_nine] == [("Alpha 1", 30)]
    assert "Alpha 1 is running 30 min late" in at_half_nine[0].message()
    assert after_shift == []  # the shift (08:00-16:00) is over: nothing to flag
