"""Re-planning the rest of one team's day from where it is now.

When a visit is postponed, runs long or gets no access, the commander re-plans that team
alone: from its current position and the present time, to the end of its shift, keeping what
is done and what is under way exactly where they are. Visits that no longer fit come back as
left out, each with its reason, so they can be moved to another team or day.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace

from layers.planning.solver.engine import SolveOptions, solve
from layers.planning.solver.model import Plan, Point, Position, Problem, Team, Visit
from layers.planning.solver.reasons import default_label
from layers.planning.solver.travel import TravelTimes

logger = logging.getLogger(__name__)


def rest_of_day(team: Team, now: int, position: Point, rest_taken: bool = False) -> Team:
    """The team as it stands: at ``position`` at ``now``, same shift, bases and skills, with its
    break only if it is still owed.

    Raises
    ------
    ValueError
        When the shift has already ended: there is nothing left to re-plan.
    """
    if now > team.shift.end:
        raise ValueError(f"team {team.id}: the shift has ended, there is nothing to re-plan")
    return replace(team, position=Position(position, now), rest=None if rest_taken else team.rest)


def replan_team(
    team: Team,
    visits: Sequence[Visit],
    now: int,
    position: Point,
    travel: TravelTimes,
    *,
    rest_taken: bool = False,
    options: SolveOptions | None = None,
    label: Callable[[int], str] = default_label,
) -> Plan:
    """Re-optimise one team's remaining day.

    ``visits`` are the team's visits for the day: done and under way ones carry
    :class:`~layers.planning.solver.model.Fixed` (they stay as they are), the rest are free to
    be re-ordered or left out. A visit under way that ends after ``now`` holds the team there
    until it ends.

    Raises
    ------
    ValueError
        When a visit is fixed to another team, or the shift has ended.
    """
    for visit in visits:
        if visit.fixed is not None and visit.fixed.team != team.id:
            raise ValueError(f"visit {visit.id} belongs to team {visit.fixed.team}, not {team.id}")
    current = rest_of_day(team, now, position, rest_taken)
    return solve(Problem((current,), tuple(visits)), travel, options, label)
