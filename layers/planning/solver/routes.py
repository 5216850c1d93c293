"""Reading the engine's answer into routes: stops with arrival, start and departure times.

VROOM reports, per step, the arrival time, the waiting time before a window opens, the service
time and the driving time accumulated so far; a visit therefore starts at arrival + waiting and
the team leaves at start + service. A break is taken on arriving at the next place (before the
visit there, or at the end base before the shift's work ends), so the engine's "arrival" of a
break already includes the drive to that place.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from layers.planning.solver.model import BreakTaken, Point, Route, Stop, Team, Visit

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Continuation:
    """Where and when a team can take new visits, after the fixed ones it already holds.

    ``home`` is the drive from there back to the team's end base (for a team the engine gives
    nothing new).
    """

    point: Point
    time: int
    fixed: tuple[Stop, ...]
    home: int


def records(answer: Mapping[str, object], key: str) -> list[dict[str, object]]:
    """A list of records from the engine's JSON answer (empty when absent)."""
    value = answer.get(key, [])
    return value if isinstance(value, list) else []


def as_int(value: object) -> int:
    """A whole number from the engine's JSON answer (it only ever answers whole seconds)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(f"the routing engine answered {value!r} where a number belongs")
    return int(value)


def engine_route(
    team: Team, record: Mapping[str, object], visits: list[Visit], begin: Continuation
) -> Route:
    """One team's route from the engine's record (job ``j`` is ``visits[j - 1]``)."""
    stops = list(begin.fixed)
    rest: BreakTaken | None = None
    leave = back = begin.time
    driven = 0
    for step in records(record, "steps"):
        kind = step["type"]
        arrival = as_int(step["arrival"])
        start = arrival + as_int(step.get("waiting_time", 0)) + as_int(step.get("setup", 0))
        end = start + as_int(step.get("service", 0))
        so_far = as_int(step.get("duration", 0))
        if kind == "start":
            leave = arrival
        elif kind == "job":
            visit = visits[as_int(step["id"]) - 1]
            stops.append(Stop(visit.id, arrival, start, end, so_far - driven))
            driven = so_far
        elif kind == "break":
            rest = BreakTaken(start, end)
        elif kind == "end":
            back = arrival
            driven = so_far
    if begin.fixed:
        leave = begin.fixed[0].arrival - begin.fixed[0].travel
    fixed_travel = sum(s.travel for s in begin.fixed)
    return Route(team.id, team.shift, leave, back, tuple(stops), rest, driven + fixed_travel)


def fixed_only_route(team: Team, begin: Continuation) -> Route:
    """The route of a team with fixed visits and nothing new: those, then back to base."""
    first = begin.fixed[0]
    travel = sum(s.travel for s in begin.fixed) + begin.home
    leave = first.arrival - first.travel
    return Route(team.id, team.shift, leave, begin.time + begin.home, begin.fixed, None, travel)
