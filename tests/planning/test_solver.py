"""The planning solver: windows, shifts over midnight, breaks, skills, fixed visits, reasons for
what is left out, re-planning, and the travel-time arithmetic, each against hand-worked times.

Most cases put places on a straight road where a kilometre takes exactly a minute
(:class:`LineTravel`, a real table source in the solver's interface), so every expected time
below can be worked out on paper. The default BNG travel source is checked separately by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from geodata.crs import BNG, to_wgs84
from geodata.districts import DistrictIndex
from layers.planning.solver import (
    BreakRule,
    Fixed,
    GridTravelTimes,
    Horizon,
    Plan,
    Point,
    Problem,
    Reason,
    Route,
    SolveOptions,
    SpeedModel,
    Team,
    Visit,
    Window,
    replan_team,
    rest_of_day,
    solve,
)

H = 3600
M = 60
BASE: Point = (0.0, 0.0)
FAST = SolveOptions(exploration=3, threads=1)


@dataclass(frozen=True)
class LineTravel:
    """A table source for tests: points are kilometres on a plane, a kilometre is a minute."""

    def matrix(self, points: Sequence[Point]) -> np.ndarray:
        xy = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        km = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
        return np.ceil(np.round(km * M, 3)).astype(np.int64)


def at(km: float) -> Point:
    return (km, 0.0)


def plan(teams: Sequence[Team], visits: Sequence[Visit]) -> Plan:
    return solve(Problem(tuple(teams), tuple(visits)), LineTravel(), FAST)


def check_route(route: Route, team: Team, visits: dict[object, Visit]) -> None:
    """Independent walk along a route: travel, waiting, windows, break and shift all hold."""
    travel = LineTravel()
    here, clock = team.start, route.leave
    assert route.leave >= team.shift.start and route.back <= team.shift.end
    for stop in route.stops:
        visit = visits[stop.visit_id]
        leg = int(travel.matrix([here, visit.location])[0, 1])
        assert stop.travel == leg
        assert stop.arrival >= clock + leg
        assert stop.start >= stop.arrival and stop.departure == stop.start + visit.duration
        if not stop.fixed:
            assert not visit.windows or any(
                w.start <= stop.start and stop.departure <= w.end for w in visit.windows)
            if route.rest:  # the break never overlaps time on premises
                assert route.rest.end <= stop.start or route.rest.start >= stop.departure
        here, clock = visit.location, stop.departure
    home = int(travel.matrix([here, team.end_point])[0, 1])
    assert route.back >= clock + home


# --- travel times -------------------------------------------------------------------------


def bng_points(*pairs: tuple[float, float]) -> list[Point]:
    lon, lat = to_wgs84([p[0] for p in pairs], [p[1] for p in pairs])
    return [(float(x), float(y)) for x, y in zip(lon, lat, strict=True)]


def test_slv001_urban_kilometre_by_hand() -> None:
    # 1,000 m straight x 1.3 circuity = 1,300 m of road at 30 km/h (8.333 m/s) = 156 s.
    points = bng_points((354000, 429000), (355000, 429000), (354000, 431000))
    times = GridTravelTimes().matrix(points)
    assert times[0, 1] == 156 and times[1, 0] == 156
    assert times[0, 2] == 312  # 2 km north: twice as long
    # 1 km east and 2 km north: sqrt(5) km x 1.3 / 8.333 m/s = 348.83 s, rounded up.
    assert times[1, 2] == 349
    assert np.all(np.diag(times) == 0)


def test_slv002_rural_and_mixed_legs_by_hand() -> None:
    rural = gpd.GeoDataFrame({"code": ["E07000124"]},
                             geometry=[box(370000, 435000, 380000, 445000)], crs=BNG)
    districts = DistrictIndex.from_boundaries(rural)
    # A and B inside the rural square, C 2 km west of A outside it (urban).
    points = bng_points((371000, 440000), (373000, 440000), (369000, 440000))
    times = GridTravelTimes(SpeedModel(), districts).matrix(points)
    # Rural leg: 2,000 m x 1.3 = 2,600 m at 50 km/h (13.889 m/s) = 187.2 s -> 188 s.
    assert times[0, 1] == 188
    # Mixed leg: half at each end's pace: 2,600 x (0.12 + 0.072) / 2 = 249.6 s -> 250 s.
    assert times[0, 2] == 250 and times[2, 0] == 250
    # Configurable: circuity 1.5 and 40 km/h in the country: 3,000 m / 11.111 m/s = 270 s.
    slower = GridTravelTimes(SpeedModel(circuity=1.5, rural_kmh=40.0), districts)
    assert slower.matrix(points)[0, 1] == 270


def test_slv003_travel_refuses_a_place_without_coordinates() -> None:
    with pytest.raises(ValueError, match="no usable map position"):
        GridTravelTimes().matrix([(-2.7, 53.76), (float("nan"), 53.7)])
    with pytest.raises(ValueError, match="circuity"):
        SpeedModel(circuity=0.9)


# --- time line ----------------------------------------------------------------------------


def test_slv004_shift_over_midnight_and_over_the_clock_change() -> None:
    horizon = Horizon(dt.date(2026, 11, 30))
    assert horizon.span(horizon.first_day, "22:00", "02:00") == Window(22 * H, 26 * H)
    assert horizon.span(horizon.first_day, "00:00", "00:00").length == 24 * H
    assert horizon.label(26 * H) == "Tue 01 Dec 02:00"
    assert horizon.at(horizon.clock(dt.date(2026, 12, 2), "09:30")).strftime("%d %H:%M") == \
        "02 09:30"
    # 25 Oct 2026: clocks go back at 02:00, so 22:00 to 02:00 is five hours on the street.
    autumn = Horizon(dt.date(2026, 10, 24))
    assert autumn.span(autumn.first_day, "22:00", "02:00").length == 5 * H
    with pytest.raises(ValueError, match="HH:MM"):
        horizon.clock(horizon.first_day, "9 o'clock")


def test_slv005_visit_windows_are_when_the_whole_visit_fits() -> None:
    visit = Visit(1, at(1), (Window(10 * H, 11 * H), Window(10 * H + 20 * M, 12 * H),
                             Window(15 * H, 15 * H + 10 * M)), duration=30 * M)
    # Latest starts 10:30 and 11:30 join into one; 15:00-15:10 is too short for 30 minutes.
    assert visit.service_windows() == [Window(10 * H, 11 * H + 30 * M)]
    assert Window.minutes(22 * 60, 26 * 60) == Window(22 * H, 26 * H)
    with pytest.raises(ValueError, match="done visit"):
        Visit(2, at(1), done=True)
    with pytest.raises(ValueError, match="priority"):
        Visit(3, at(1), priority=101)
    with pytest.raises(ValueError, match="share an id"):
        Problem((), (Visit(4, at(1)), Visit(4, at(2))))


# --- the solver ---------------------------------------------------------------------------


def test_slv010_window_honoured_with_hand_worked_times() -> None:
    team = Team("A", Window(8 * H, 16 * H), BASE)
    visit = Visit(1, at(10), (Window(10 * H, 11 * H),), duration=30 * M)
    route = plan([team], [visit]).routes[0]
    # 10 km = 10 min: leave 09:50, on site 10:00-10:30, back 10:40.
    assert (route.leave, route.back) == (9 * H + 50 * M, 10 * H + 40 * M)
    stop = route.stops[0]
    assert (stop.arrival, stop.start, stop.departure, stop.travel) == (10 * H, 10 * H,
                                                                       10 * H + 30 * M, 10 * M)
    assert route.travel == 20 * M and route.shift_left == 5 * H + 20 * M


def test_slv011_windows_order_the_visits_and_every_eta_fits() -> None:
    team = Team("A", Window(8 * H, 18 * H), BASE)
    visits = [
        Visit(1, at(5), (Window(15 * H, 17 * H),), duration=45 * M),
        Visit(2, at(20), (Window(9 * H, 10 * H),), duration=30 * M),
        Visit(3, at(12), (), duration=60 * M),
        Visit(4, at(30), (Window(12 * H, 13 * H + 30 * M),), duration=60 * M),
    ]
    result = plan([team], visits)
    assert not result.unplanned
    route = result.routes[0]
    assert route.stops[0].visit_id == 2 and route.stops[-1].visit_id == 1
    check_route(route, team, {v.id: v for v in visits})


def test_slv012_shift_across_midnight_and_window_reason() -> None:
    night = Team("N", Window(22 * H, 26 * H), BASE)
    late_flat = Visit(1, at(30), (Window(23 * H, 27 * H),), duration=60 * M)
    too_late = Visit(2, at(30), (Window(25 * H + 30 * M, 27 * H),), duration=60 * M)
    result = plan([night], [late_flat, too_late])
    route = result.routes[0]
    # 30 min out: on site 23:00-00:00, back at base 00:30 the next morning.
    assert [(s.visit_id, s.start, s.departure) for s in route.stops] == [(1, 23 * H, 24 * H)]
    assert route.back == 24 * H + 30 * M
    # 01:30 start + 60 min on site + 30 min home = 03:00, after the 02:00 shift end.
    assert [(u.visit_id, u.reason) for u in result.unplanned] == [(2, Reason.WINDOW)]


def test_slv013_break_taken_inside_its_window_and_off_premises() -> None:
    rest = BreakRule(Window(12 * H, 13 * H), 30 * M)
    team = Team("A", Window(8 * H, 16 * H), BASE, rest=rest)
    visits = [Visit(n, at(5 * n), (), duration=90 * M) for n in range(1, 5)]
    route = plan([team], visits).routes[0]
    assert route.rest is not None
    assert 12 * H <= route.rest.start <= 13 * H
    assert route.rest.end - route.rest.start == 30 * M
    check_route(route, team, {v.id: v for v in visits})
    # 4 x 90 min on site + 40 km of road (out along the line and back) + 30 min break.
    assert route.back - route.leave == 6 * H + 40 * M + 30 * M


def test_slv014_skills_go_to_the_team_that_has_them() -> None:
    plain = Team("plain", Window(8 * H, 16 * H), BASE, skills=frozenset({"warrant"}))
    ro = Team("ro", Window(8 * H, 16 * H), BASE, skills=frozenset({"interpreter: Romanian"}))
    visits = [
        Visit(1, at(5), duration=30 * M, skills=frozenset({"interpreter: Romanian"})),
        Visit(2, at(6), duration=30 * M, skills=frozenset({"warrant"})),
        Visit(3, at(7), duration=30 * M, skills=frozenset({"licensing officer"})),
        Visit(4, at(8), duration=30 * M, skills=frozenset({"warrant", "interpreter: Romanian"})),
    ]
    result = plan([plain, ro], visits)
    by_team = {r.team_id: [s.visit_id for s in r.stops] for r in result.routes}
    assert by_team == {"plain": [2], "ro": [1]}
    reasons = {u.visit_id: u for u in result.unplanned}
    assert reasons[3].reason == Reason.SKILL and "licensing officer" in reasons[3].detail
    assert reasons[4].reason == Reason.SKILL and "no single team" in reasons[4].detail


def test_slv015_fixed_visits_stay_and_nothing_goes_into_the_past() -> None:
    team = Team("A", Window(8 * H, 16 * H), BASE)
    done = Visit(1, at(20), (Window(12 * H, 13 * H),), duration=60 * M,
                 fixed=Fixed("A", 9 * H), done=True)  # outside its window: it happened anyway
    under_way = Visit(2, at(25), duration=60 * M, fixed=Fixed("A", 10 * H + 30 * M))
    free = [Visit(n, at(d), duration=30 * M) for n, d in ((3, 2), (4, 26), (5, 40))]
    result = plan([team], [done, under_way, *free])
    route = result.routes[0]
    assert [(s.visit_id, s.start, s.departure, s.fixed) for s in route.stops[:2]] == [
        (1, 9 * H, 10 * H, True), (2, 10 * H + 30 * M, 11 * H + 30 * M, True)]
    later = route.stops[2:]
    assert sorted(s.visit_id for s in later) == [3, 4, 5]
    assert all(s.start >= 11 * H + 30 * M for s in later)
    # The first new leg starts at the visit under way (25 km), not at base.
    assert later[0].travel == abs(25 * M - {3: 2, 4: 26, 5: 40}[int(later[0].visit_id)] * M)
    assert route.leave == 9 * H - 20 * M  # 20 km out to the first, done visit


def test_slv016_unplanned_reasons() -> None:
    day = Team("day", Window(8 * H, 16 * H), BASE)
    night = Team("night", Window(20 * H, 24 * H), BASE, skills=frozenset({"warrant"}))
    visits = [
        Visit(1, at(10), duration=9 * H),  # longer than any shift
        Visit(2, at(10), (Window(9 * H, 18 * H),), duration=30 * M,
              skills=frozenset({"warrant"})),  # only the night team has a warrant
        Visit(3, at(10), (Window(9 * H, 9 * H + 20 * M),), duration=30 * M),  # window too short
        Visit(4, at(10), duration=6 * H, priority=90),
        Visit(5, at(11), duration=6 * H, priority=10),  # fits alone, but the day is full
    ]
    result = plan([day, night], visits)
    reasons = {u.visit_id: u.reason for u in result.unplanned}
    assert reasons == {1: Reason.SHIFT, 2: Reason.WINDOW, 3: Reason.WINDOW, 5: Reason.CAPACITY}
    planned = {s.visit_id for r in result.routes for s in r.stops}
    assert 4 in planned  # the high priority is the one kept
    assert "9 h 20 min" in next(u.detail for u in result.unplanned if u.visit_id == 1)


def test_slv017_stop_cap_is_capacity() -> None:
    team = Team("A", Window(8 * H, 16 * H), BASE, max_stops=2)
    visits = [Visit(n, at(n), duration=10 * M, priority=10 * n) for n in range(1, 4)]
    result = plan([team], visits)
    assert sorted(s.visit_id for s in result.routes[0].stops) == [2, 3]
    assert [(u.visit_id, u.reason) for u in result.unplanned] == [(1, Reason.CAPACITY)]
    # A visit already done counts against the cap: one new stop, the highest priority.
    done = Visit(9, at(1), duration=10 * M, fixed=Fixed("A", 8 * H + 10 * M), done=True)
    again = plan([team], [done, *visits])
    assert [s.visit_id for s in again.routes[0].stops] == [9, 3]


def test_slv018_replan_the_afternoon_from_where_the_team_is() -> None:
    # The shift ends at another station, 40 km out: visiting 4 (16 km) before 3 (30 km) is
    # clearly shorter.
    team = Team("A", Window(8 * H, 16 * H), BASE, at(40),
                rest=BreakRule(Window(12 * H, 14 * H), 30 * M))
    visits = [
        Visit(1, at(10), duration=60 * M, fixed=Fixed("A", 9 * H), done=True),
        Visit(2, at(15), duration=60 * M, fixed=Fixed("A", 11 * H + 45 * M)),  # ends 12:45
        Visit(3, at(30), (Window(14 * H, 16 * H),), duration=30 * M),
        Visit(4, at(16), duration=45 * M),
        Visit(5, at(60), duration=3 * H),  # no longer fits this afternoon
    ]
    result = replan_team(team, visits, 12 * H, at(15), LineTravel(), options=FAST)
    route = result.routes[0]
    assert [s.visit_id for s in route.stops[:2]] == [1, 2]
    assert [s.visit_id for s in route.stops[2:]] == [4, 3]
    # The team carries on from visit 2 (1 km from visit 4) once it ends at 12:45; the break it
    # still owes starts no earlier (here at once: 12:45-13:15, then 1 minute's drive).
    assert route.stops[2].travel == M
    assert route.rest is not None and route.rest.start >= 12 * H + 45 * M
    assert route.stops[2].arrival >= 12 * H + 45 * M + M
    check_route(route, rest_of_day(team, 12 * H, at(15)), {v.id: v for v in visits})
    assert [(u.visit_id, u.reason) for u in result.unplanned] == [(5, Reason.SHIFT)]
    with pytest.raises(ValueError, match="shift has ended"):
        rest_of_day(team, 17 * H, at(15))


def test_slv019_bad_input_in_the_users_words() -> None:
    team = Team("A", Window(-H, 8 * H), BASE)
    with pytest.raises(ValueError, match="before the start of the plan"):
        plan([team], [Visit(1, at(1))])
    with pytest.raises(ValueError, match="not in the plan"):
        Problem((), (Visit(1, at(1), fixed=Fixed("B", 0)),))


def test_slv020_a_visit_running_past_the_shift_end_leaves_nothing_to_plan() -> None:
    team = Team("A", Window(8 * H, 16 * H), BASE)
    long_one = Visit(1, at(10), duration=3 * H, fixed=Fixed("A", 14 * H))  # until 17:00
    result = plan([team], [long_one, Visit(2, at(5), duration=30 * M)])
    route = result.routes[0]
    assert [(s.visit_id, s.departure) for s in route.stops] == [(1, 17 * H)]
    assert route.back == 17 * H + 10 * M and route.shift_left == -70 * M  # overtime shows
    assert [(u.visit_id, u.reason) for u in result.unplanned] == [(2, Reason.SHIFT)]
    assert "0 min" in result.unplanned[0].detail
