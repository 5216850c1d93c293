"""A week of action planned in time: 150 premises, 12 teams, 7 days, and one afternoon re-planned.

Built from the product's time model (``layers.planning.visit_rules`` and ``plan_build``, the
same functions the suggestion uses): premises around nine Lancashire towns with the default
windows and durations of their type and risk (nail bar 09:00-18:00, massage parlour
10:00-22:00, residential any time; high risk an hour longer), some restricted to one day or
to a latest day; skills (interpreter: Romanian, warrant, safeguarding lead, licensing
officer); 12 teams from six stations on early (08:00-16:00), late (14:00-22:00) and night
(20:00-04:00, across midnight) shifts with a 45-minute break in the middle half of the shift
and a cap of 6 visits, every day (84 team shifts). Travel: the default BNG estimate with
urban/rural speeds by real district.

Then an early team's afternoon is re-planned at 12:30: what it finished is done, the visit
under way runs an hour long, the next one is postponed.

Both plans are re-checked by an independent checker below: it re-walks every route with the
travel times and counts broken windows, shifts, skills, breaks, stop caps, impossible legs and
visits planned twice or lost. Targets (issue 13): week <= 10 s, re-plan <= 2 s, zero broken.
Run: ``python bench/bench_week_plan.py [--exploration 5] [--threads 2] [--timeout 8]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geodata.boundaries import read_boundaries  # noqa: E402
from geodata.crs import to_bng, to_wgs84  # noqa: E402
from geodata.districts import DistrictIndex  # noqa: E402
from layers.planning.models import Team as TeamRow  # noqa: E402
from layers.planning.plan_build import day_team, visit_windows  # noqa: E402
from layers.planning.solver import (  # noqa: E402
    Fixed,
    GridTravelTimes,
    Horizon,
    Plan,
    Point,
    Problem,
    Route,
    SolveOptions,
    Team,
    Visit,
    replan_team,
    solve,
)
from layers.planning.visit_rules import VisitTerms, default_terms  # noqa: E402

SEED = 20261130
MONDAY = dt.date(2026, 11, 30)
DAYS = 7
PREMISES = 150
TOWNS: dict[str, tuple[float, float, float]] = {  # lon, lat, share of premises
    "preston": (-2.7035, 53.7590, 0.20), "blackpool": (-3.0500, 53.8170, 0.18),
    "blackburn": (-2.4830, 53.7480, 0.14), "burnley": (-2.2450, 53.7890, 0.12),
    "lancaster": (-2.8010, 54.0470, 0.10), "chorley": (-2.6310, 53.6530, 0.08),
    "clitheroe": (-2.3930, 53.8710, 0.06), "skelmersdale": (-2.7760, 53.5500, 0.06),
    "fleetwood": (-3.0100, 53.9230, 0.06),
}
STATIONS = ["preston", "blackpool", "blackburn", "burnley", "lancaster", "chorley"]
KINDS = {"nail bar": 0.3, "massage parlour": 0.3, "residential": 0.4}
"""Premises types and their shares; windows and durations come from the product's rule
(:func:`layers.planning.visit_rules.default_terms`)."""
SHIFTS = {"early": ("08:00", "16:00"), "late": ("14:00", "22:00"), "night": ("20:00", "04:00")}
SKILLS = ["interpreter: Romanian", "warrant", "safeguarding lead", "licensing officer"]
PRIORITY = {"high": 80, "medium": 50, "low": 20}
NOON_HALF = 4 * 3600 + 1800  # 12:30 on an early shift


def premises(rng: np.random.Generator) -> list[tuple[Point, str, str]]:
    """Places (lon, lat) scattered up to ~3 km around the towns, with kind and risk."""
    names = list(TOWNS)
    town = rng.choice(len(names), PREMISES, p=[TOWNS[n][2] for n in names])
    lon0 = np.array([TOWNS[names[t]][0] for t in town])
    lat0 = np.array([TOWNS[names[t]][1] for t in town])
    e, n = to_bng(lon0, lat0)
    lon, lat = to_wgs84(e + rng.normal(0, 1500, PREMISES), n + rng.normal(0, 1500, PREMISES))
    kinds = rng.choice(list(KINDS), PREMISES, p=list(KINDS.values()))
    risks = rng.choice(list(PRIORITY), PREMISES, p=[0.3, 0.4, 0.3])
    return [((float(x), float(y)), str(k), str(r))
            for x, y, k, r in zip(lon, lat, kinds, risks, strict=True)]


def visit_terms(rng: np.random.Generator, kind: str, risk: str) -> VisitTerms:
    """The type's default terms, with the skills and days a commander would set."""
    roll = rng.random()
    on_day = latest_day = None
    if roll < 0.1:
        on_day = MONDAY + dt.timedelta(days=int(rng.integers(DAYS)))  # must be on this day
    elif roll < 0.3:
        latest_day = MONDAY + dt.timedelta(days=int(rng.integers(1, DAYS)))
    needs = {SKILLS[3]} if kind == "massage parlour" and rng.random() < 0.3 else set()
    needs |= {SKILLS[0]} if rng.random() < 0.1 else set()
    needs |= {SKILLS[1]} if rng.random() < 0.05 else set()
    needs |= {SKILLS[2]} if risk == "high" and rng.random() < 0.5 else set()
    return replace(default_terms(kind, risk), skills=frozenset(needs), on_day=on_day,
                   latest_day=latest_day)


def week_problem(rng: np.random.Generator, horizon: Horizon) -> Problem:
    """150 visits and 84 team shifts (12 teams x 7 days), built as the product builds them
    (:mod:`layers.planning.plan_build`) from teams and visit terms."""
    days = [MONDAY + dt.timedelta(days=d) for d in range(DAYS)]
    visits = []
    for n, (point, kind, risk) in enumerate(premises(rng)):
        terms = visit_terms(rng, kind, risk)
        windows = visit_windows(terms, days, horizon)
        visits.append(Visit(n, point, windows or (), terms.duration_minutes * 60, terms.skills,
                            PRIORITY[risk]))
    teams = []
    for t in range(12):
        pattern = "early" if t < 6 else "late" if t < 10 else "night"
        lon, lat, _ = TOWNS[STATIONS[t % len(STATIONS)]]
        team = TeamRow(id=t, call_sign=f"T{t:02d} {pattern}", division="South",
                       shift_start=SHIFTS[pattern][0], shift_end=SHIFTS[pattern][1],
                       break_minutes=45, daily_capacity=6, start_lon=lon, start_lat=lat,
                       skills=json.dumps([SKILLS[i] for i in range(4) if (t + i) % 3 == 0]))
        teams += [replace(day_team(team, day, horizon), id=f"T{t:02d} {pattern} {day:%a}")
                  for day in days]
    return Problem(tuple(teams), tuple(visits))


def check(problem: Problem, plan: Plan, travel: GridTravelTimes) -> Counter[str]:
    """Independent re-walk of every route; returns the count of each kind of broken rule."""
    points = list({p: None for t in problem.teams for p in (t.start, t.end_point)}
                  | {v.location: None for v in problem.visits})
    index = {p: i for i, p in enumerate(points)}
    times = travel.matrix(points)
    visits = {v.id: v for v in problem.visits}
    teams = {t.id: t for t in problem.teams}
    broken: Counter[str] = Counter()
    seen = Counter(s.visit_id for r in plan.routes for s in r.stops)
    broken["planned twice"] = sum(n > 1 for n in seen.values())
    left = {u.visit_id for u in plan.unplanned}
    broken["lost"] = len(set(visits) - set(seen) - left)
    for route in plan.routes:
        team = teams[route.team_id]
        broken["shift"] += route.leave < team.shift.start or route.back > team.shift.end
        broken["stop cap"] += team.max_stops is not None and len(route.stops) > team.max_stops
        rest = route.rest
        if team.rest and route.stops:
            broken["break"] += rest is None or not (
                team.rest.window.start <= rest.start <= team.rest.window.end
                and rest.end - rest.start == team.rest.duration)
        here, free = team.start, route.leave
        legs = [(s.start, visits[s.visit_id].location, s) for s in route.stops]
        for start, place, stop in [*legs, (route.back, team.end_point, None)]:
            need = int(times[index[here], index[place]])
            if rest and free <= rest.start and rest.end <= start:
                need += rest.end - rest.start
            elif rest and rest.start < start and rest.end > free:
                broken["break"] += 1  # the break overlaps time on premises
            broken["travel"] += start - free < need
            if stop is not None:
                visit = visits[stop.visit_id]
                here, free = place, stop.departure
                broken["duration"] += stop.departure - stop.start != visit.duration
                if stop.fixed:  # done or under way: it happened where and when it did
                    continue
                broken["skill"] += not visit.skills <= team.skills
                broken["window"] += bool(visit.windows) and not any(
                    w.start <= stop.start and stop.start + visit.duration <= w.end
                    for w in visit.windows)
    return broken


def afternoon(problem: Problem, plan: Plan) -> tuple[Team, list[Visit], int, Point]:
    """An early team's day at 12:30: visits finished by then are done, the one under way runs
    an hour long, the next one is postponed (dropped), the rest are re-planned from where the
    team is. The team whose route has most visits left after 12:30 is taken; it comes back
    without its break if the plan had the break over by then."""
    visits = {v.id: v for v in problem.visits}
    teams = {t.id: t for t in problem.teams}

    def still_to_do(route: Route) -> int:
        return sum(s.start > teams[route.team_id].shift.start + NOON_HALF for s in route.stops)

    route = max((r for r in plan.routes if "early" in str(r.team_id)), key=still_to_do)
    team = teams[route.team_id]
    now = team.shift.start + NOON_HALF
    kept: list[Visit] = []
    later: list[Visit] = []
    position = team.start
    for stop in route.stops:
        visit = visits[stop.visit_id]
        if stop.departure <= now:
            kept.append(replace(visit, fixed=Fixed(team.id, stop.start), done=True))
            position = visit.location
        elif stop.start <= now:
            kept.append(replace(visit, duration=visit.duration + 3600,
                                fixed=Fixed(team.id, stop.start)))
            position = visit.location
        else:
            later.append(visit)
    if route.rest is not None and route.rest.end <= now:
        team = replace(team, rest=None)
    return team, kept + later[1:], now, position


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--exploration", type=int, default=SolveOptions().exploration)
    parser.add_argument("--threads", type=int, default=SolveOptions().threads)
    parser.add_argument("--timeout", type=float, default=SolveOptions().timeout or 0)
    args = parser.parse_args()
    options = SolveOptions(args.exploration, args.threads, args.timeout or None)
    shared = ROOT.parent / "shared" / "geodata" / "lancashire_districts.geojson"
    boundaries = Path(os.environ.get("OPSMAP_BOUNDARIES", str(shared)))
    travel = GridTravelTimes(districts=DistrictIndex.from_boundaries(read_boundaries(boundaries)))
    horizon = Horizon(MONDAY)
    problem = week_problem(np.random.default_rng(SEED), horizon)
    began, cpu = time.perf_counter(), time.process_time()
    week = solve(problem, travel, options, horizon.label)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    planned = sum(len(r.stops) for r in week.routes)
    reasons = Counter(u.reason.value for u in week.unplanned)
    broken = check(problem, week, travel)
    print(f"week: {len(problem.visits)} premises, {len(problem.teams)} team shifts; planned "
          f"{planned} on {len(week.routes)} shifts in {seconds:.2f} s, {cpu:.2f} CPU s "
          f"(target <= 10 s); driving {sum(r.travel for r in week.routes) / 3600:.1f} h; left "
          f"out {len(week.unplanned)} {dict(reasons)}; broken rules {sum(broken.values())} "
          f"{dict(+broken)}")
    team, visits, now, position = afternoon(problem, week)
    began, cpu = time.perf_counter(), time.process_time()
    again = replan_team(team, visits, now, position, travel, rest_taken=team.rest is None,
                        options=options, label=horizon.label)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    broken = check(Problem((team,), tuple(visits)), again, travel)
    fixed = sum(v.fixed is not None for v in visits)
    print(f"re-plan: {team.id} from {horizon.label(now)}, {len(visits)} visits ({fixed} fixed) "
          f"in {seconds:.2f} s, {cpu:.2f} CPU s (target <= 2 s); left out "
          f"{len(again.unplanned)}; broken rules {sum(broken.values())} {dict(+broken)}")
    print(f"options: exploration {options.exploration}, threads {options.threads}, timeout "
          f"{options.timeout}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
