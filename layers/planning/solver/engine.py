"""The one adapter to VROOM: build its input from a :class:`Problem`, read its answer into a Plan.

VROOM (through ``pyvroom``) solves vehicle routing with time windows, skills, breaks and
priorities; measured on the Solomon instances it is within a few per cent of the best known
plans in seconds (``bench/bench_vrptw.py``). Everything engine-specific stays in this module.

Fixed visits (done or under way) never go to the engine, so it can neither drop nor move
them: a team that has any continues from the last one (its place, when it ends) and the fixed
visits are put back at the head of its route. Nothing new is ever planned into the past.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import vroom

from layers.planning.solver.model import (
    Key,
    Plan,
    Point,
    Problem,
    Route,
    Stop,
    Team,
    Unplanned,
    Visit,
    Window,
)
from layers.planning.solver.reasons import Explainer, default_label
from layers.planning.solver.routes import (
    Continuation,
    as_int,
    engine_route,
    fixed_only_route,
    records,
)
from layers.planning.solver.travel import TravelTimes

logger = logging.getLogger(__name__)

PROFILE = "car"
MAX_SECONDS = np.iinfo(np.uint32).max
"""The engine's matrix cells are unsigned 32-bit seconds."""


@dataclass(frozen=True)
class SolveOptions:
    """How hard the engine searches.

    ``exploration`` is VROOM's level 1..5 (more starting solutions, deeper local search);
    ``threads`` runs those searches in parallel; ``timeout`` (seconds) stops the search and
    keeps the best plan found so far, so a busy server cannot keep a commander waiting.

    Measured (``bench/bench_week_plan.py``): a week of 150 premises and 84 team shifts takes
    13 CPU seconds at level 5 (under 7 s on two free cores) and level 1 plans it under 1 %
    longer in one CPU second; on a loaded machine the 8-second timeout returned a plan 0.4 %
    longer than the full search. Level 5 is also what reaches 2 % of the best known plans on
    the Solomon benchmark (``bench/bench_vrptw.py``).
    """

    exploration: int = 5
    threads: int = 2
    timeout: float | None = 8.0

    def __post_init__(self) -> None:
        if not 1 <= self.exploration <= 5:
            raise ValueError("exploration must be 1..5")
        if self.threads < 1:
            raise ValueError("threads must be at least 1")
        if self.timeout is not None and self.timeout <= 0:
            raise ValueError("the timeout must be a positive number of seconds (or None)")


@dataclass(frozen=True)
class Places:
    """Every distinct place in the problem, numbered, with the driving times between them."""

    index: dict[Point, int]
    times: np.ndarray

    @classmethod
    def of(cls, problem: Problem, travel: TravelTimes) -> Places:
        """Number the bases and premises and ask ``travel`` for their matrix once."""
        index: dict[Point, int] = {}
        bases = [p for t in problem.teams for p in (t.start, t.end_point)]
        now = [t.position.point for t in problem.teams if t.position is not None]
        for point in bases + now + [v.location for v in problem.visits]:
            index.setdefault(point, len(index))
        times = np.asarray(travel.matrix(list(index)), dtype=np.int64)
        if times.shape != (len(index), len(index)):
            raise ValueError(f"the travel source answered a {times.shape} matrix for "
                             f"{len(index)} places")
        if len(index) and (times.min() < 0 or times.max() > MAX_SECONDS):
            raise ValueError("the travel source answered a negative or absurd driving time")
        return cls(index, times)

    def between(self, a: Point, b: Point) -> int:
        """Driving seconds from ``a`` to ``b``."""
        return int(self.times[self.index[a], self.index[b]])


def continuation(team: Team, fixed: list[Visit], places: Places) -> Continuation:
    """The team's fixed visits as stops in time order, and where it stands when free.

    The team is free at the latest of: its base at the shift start, its reported position
    (a re-plan), and the end of its last fixed visit (a visit under way holds it there until
    its expected end).
    """
    stops: list[Stop] = []
    at = team.start
    for visit in sorted(fixed, key=lambda v: v.fixed.start if v.fixed else 0):
        if visit.fixed is None:
            raise ValueError("visit.fixed is required here")
        start = visit.fixed.start
        travel = places.between(at, visit.location)
        stops.append(Stop(visit.id, start, start, start + visit.duration, travel, fixed=True))
        at = visit.location
    free = [(team.shift.start, team.start)]
    if team.position is not None:
        free.append((max(team.position.time, team.shift.start), team.position.point))
    if stops:
        free.append((stops[-1].departure, at))
    when, where = max(free, key=lambda f: f[0])
    return Continuation(where, when, tuple(stops), places.between(where, team.end_point))


def solve(
    problem: Problem,
    travel: TravelTimes,
    options: SolveOptions | None = None,
    label: Callable[[int], str] = default_label,
) -> Plan:
    """Plan ``problem``: routes for the teams and every visit left out with its reason.

    ``label`` writes a time for the reasons a person reads (``Horizon.label`` for a real plan).

    Raises
    ------
    ValueError
        For input the engine cannot take (times before the plan's origin, a break outside its
        shift), in the user's words.
    """
    began = time.perf_counter()
    options = options or SolveOptions()
    places = Places.of(problem, travel)
    fixed: dict[Key, list[Visit]] = {t.id: [] for t in problem.teams}
    for visit in problem.visits:
        if visit.fixed is not None:
            fixed[visit.fixed.team].append(visit)
    starts = {t.id: continuation(t, fixed[t.id], places) for t in problem.teams}
    free = {t: (c.point, c.time) for t, c in starts.items()}
    explainer = Explainer(problem.teams, free, places.between, label)
    plannable: list[Visit] = []
    unplanned: list[Unplanned] = []
    for visit in problem.visits:
        if visit.fixed is None and visit.windows and not visit.service_windows():
            unplanned.append(explainer.explain(visit))  # every window shorter than the visit
        elif visit.fixed is None:
            plannable.append(visit)
    teams = [t for t in problem.teams if starts[t.id].time <= t.shift.end]
    # With no team free to take anything, every open visit is left out (and explained).
    answer: dict[str, object] = {"routes": [], "unassigned": [
        {"id": n} for n in range(1, len(plannable) + 1)]}
    if teams and plannable:
        engine_input = build_input(teams, plannable, starts, places)
        timeout = None if options.timeout is None else dt.timedelta(seconds=options.timeout)
        answer = engine_input.solve(
            exploration_level=options.exploration, nb_threads=options.threads, timeout=timeout
        ).to_dict()
    routes = read_routes(answer, problem.teams, teams, plannable, starts)
    left = [plannable[as_int(u["id"]) - 1] for u in records(answer, "unassigned")]
    unplanned += [explainer.explain(v) for v in left]
    order = {v.id: n for n, v in enumerate(problem.visits)}
    unplanned.sort(key=lambda u: order[u.visit_id])
    seconds = time.perf_counter() - began
    logger.info("planned %d visits on %d teams in %.2f s; %d left out",
                len(plannable) - len(left), len(routes), seconds, len(unplanned))
    return Plan(tuple(routes), tuple(unplanned), seconds)


def build_input(
    teams: list[Team], visits: list[Visit], starts: dict[Key, Continuation], places: Places
) -> vroom.Input:
    """The engine's input: vehicle ``i + 1`` is team ``teams[i]``, job ``j + 1`` is
    ``visits[j]`` (the engine's ids are positive integers; ours may be anything)."""
    names = {s for t in teams for s in t.skills} | {s for v in visits for s in v.skills}
    skill_ids = {s: i + 1 for i, s in enumerate(sorted(names))}
    loads = any(t.capacity is not None for t in teams) or any(v.demand for v in visits)
    most = sum(v.demand for v in visits) + 1
    engine_input = vroom.Input()
    engine_input.set_durations_matrix(PROFILE, places.times.astype(np.uint32))
    for number, team in enumerate(teams, start=1):
        begin = starts[team.id]
        _check_times(team.id, [begin.time, team.shift.end])
        breaks = []
        if team.rest is not None:
            window = _owed(team.rest.window, begin.time, team.shift.end, team.id)
            breaks.append(vroom.Break(number, [vroom.TimeWindow(window.start, window.end)],
                                      service=team.rest.duration))
        engine_input.add_vehicle(vroom.Vehicle(
            number,
            start=places.index[begin.point],
            end=places.index[team.end_point],
            capacity=[most if team.capacity is None else team.capacity] if loads else [],
            skills={skill_ids[s] for s in team.skills},
            time_window=vroom.TimeWindow(begin.time, team.shift.end),
            breaks=breaks,
            max_tasks=len(visits) + 1 if team.max_stops is None
            else max(0, team.max_stops - len(begin.fixed)),  # fixed visits count as stops
        ))
    for number, visit in enumerate(visits, start=1):
        windows = visit.service_windows()
        _check_times(visit.id, [t for w in windows for t in (w.start, w.end)])
        engine_input.add_job(vroom.Job(
            number,
            location=places.index[visit.location],
            default_service=visit.duration,
            delivery=[visit.demand] if loads else [],
            skills={skill_ids[s] for s in visit.skills},
            priority=visit.priority,
            time_windows=[vroom.TimeWindow(w.start, w.end) for w in windows],
        ))
    return engine_input


def _owed(window: Window, start: int, end: int, team_id: Key) -> Window:
    """A break window still open when the team (re)starts: a break whose window has passed
    untaken is owed at once; one wholly outside the shift is a mistake in the input."""
    if window.start > end:
        raise ValueError(f"team {team_id}: the break window starts after the shift ends")
    return Window(max(window.start, start), max(window.end, start))


def _check_times(owner: Key, times: list[int]) -> None:
    """The engine's time line starts at 0: refuse earlier times rather than wrap them."""
    if any(t < 0 for t in times):
        raise ValueError(f"{owner}: a time falls before the start of the plan; start the plan "
                         "on an earlier day")




def read_routes(
    answer: dict[str, object],
    teams: tuple[Team, ...],
    engine_teams: list[Team],
    visits: list[Visit],
    starts: dict[Key, Continuation],
) -> list[Route]:
    """Routes in the caller's terms, fixed stops first, for every team that has any stop
    (``engine_teams[i]`` was the engine's vehicle ``i + 1``)."""
    engine_routes = {as_int(r["vehicle"]): r for r in records(answer, "routes")}
    vehicle = {t.id: n for n, t in enumerate(engine_teams, start=1)}
    routes: list[Route] = []
    for team in teams:
        begin = starts[team.id]
        record = engine_routes.get(vehicle.get(team.id, 0))
        if record is not None:
            routes.append(engine_route(team, record, visits, begin))
        elif begin.fixed:
            routes.append(fixed_only_route(team, begin))
    return routes
