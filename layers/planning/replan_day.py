"""Re-plan the rest of one team's day, shown to the commander before it is applied.

When a visit is postponed, runs long or gets no access, :func:`propose_replan` re-optimises
the team's remaining visits from where it is and the time now, to the end of its shift:

- visits done keep their times; the visit under way is held until the later of its planned
  end and now (it is running long if now is later);
- postponed visits are taken out of the day (they stay on the team-day, untimed, to move);
- the rest are re-ordered and re-timed; any that no longer fit are listed with the reason.

Nothing is written: the proposal carries the version of every assignment of the team-day it
was based on. :func:`accept_replan` applies it only if none has changed since (else a 409,
:class:`~layers.planning.errors.StalePlan` or the colleague's change), so a commander never
applies a re-plan over a plan that moved under them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from layers.audit import processing_log
from layers.core.status import IN_PROGRESS
from layers.planning.assignments import locked_assignment, team_day
from layers.planning.day_view import local_iso
from layers.planning.errors import NothingToDo, PlanError, StalePlan
from layers.planning.plan_build import (
    Row,
    Week,
    day_team,
    fixed_visit,
    planned_rows,
    priority_of,
    team_key,
    visit_windows,
)
from layers.planning.plan_time import TimedPlan, read_plan, set_times
from layers.planning.solver import Horizon, Point, SolveOptions, TravelTimes, Visit, replan_team
from layers.planning.teams import get_team
from layers.planning.week import check_in_operation

logger = logging.getLogger(__name__)

COMMITTED = 100.0
"""Visits already on the team's day are committed: the highest priority to keep."""


def _held(row: Row, key: str, horizon: Horizon, now: int) -> Visit | None:
    """A visit done (as it was) or under way (until the later of its planned end and now)."""
    visit = fixed_visit(row, row.terms, horizon, key)
    if visit is None or visit.fixed is None or row.status != IN_PROGRESS:
        return visit
    return dataclasses.replace(visit, duration=max(visit.duration, now - visit.fixed.start))


def _where(rows: Sequence[Row], fallback: Point) -> Point:
    """Where the team is: at its latest visit done or under way, else at base."""
    started = [r for r in rows if r.started and r.eta is not None]
    if not started:
        return fallback
    last = max(started, key=lambda r: r.eta or dt.datetime.min.replace(tzinfo=dt.UTC))
    return (last.lon, last.lat)


def _week(rows: Sequence[Row], key: str, day: dt.date, horizon: Horizon, now: int) -> Week:
    """The team-day's visits for the solver (postponed ones left out)."""
    week = Week(horizon)
    for row in rows:
        if row.postponed:
            continue
        if row.started:
            visit = _held(row, key, horizon, now)
        else:
            hours = dataclasses.replace(row.terms, latest_day=None, on_day=None)
            visit = Visit(row.location_id, (row.lon, row.lat),
                          visit_windows(hours, [day], horizon) or (),
                          row.terms.duration_minutes * 60, row.terms.skills,
                          priority_of(COMMITTED))
        if visit is not None:
            week.visits.append(visit)
            week.rows[row.location_id] = row
    return week


def propose_replan(
    session: Session,
    team_id: int,
    day: dt.date,
    now: dt.datetime,
    travel: TravelTimes,
    position: Point | None = None,
    options: SolveOptions | None = None,
) -> dict[str, Any]:
    """The re-planned rest of the team's day, and what it was based on (nothing saved).

    Raises :class:`NothingToDo` for a team-day with no visits and :class:`PlanError` when
    the shift has ended.
    """
    team = get_team(session, team_id)
    check_in_operation(session, day)
    rows = [r for r in planned_rows(session, [day]) if r.team_id == team_id]
    if not rows:
        raise NothingToDo(f"{team.call_sign} has no visits on {day:%a %d %b} to re-plan")
    horizon = Horizon(day)
    key = team_key(team_id, day)
    shift_team = day_team(team, day, horizon)
    at = horizon.seconds(now)
    week = _week(rows, key, day, horizon, at)
    week.shifts[key] = (team_id, day)
    rest_taken = shift_team.rest is not None and at >= shift_team.rest.window.end
    try:
        plan = replan_team(shift_team, week.visits, at, position or _where(rows, (
            team.start_lon, team.start_lat)), travel, rest_taken=rest_taken, options=options,
            label=horizon.label)
    except ValueError as exc:
        raise PlanError(str(exc)) from exc
    return proposal(team_id, day, now, rows, read_plan(week, plan))


def proposal(team_id: int, day: dt.date, now: dt.datetime, rows: Sequence[Row],
             timed: TimedPlan) -> dict[str, Any]:
    """The proposal as the commander reviews it (and sends back to accept)."""
    return {
        "team_id": team_id, "day": day.isoformat(), "now": local_iso(now),
        "based_on": {str(r.assignment_id): r.assignment_version for r in rows},
        "before": [{"location_id": r.location_id, "eta": local_iso(r.eta),
                    "etd": local_iso(r.etd)} for r in rows],
        "stops": timed.as_records(),
        "unplanned": timed.unplanned,
        "postponed": [r.location_id for r in rows if r.postponed],
        "seconds": round(timed.seconds, 2),
    }


def accept_replan(
    session: Session,
    team_id: int,
    day: dt.date,
    based_on: Mapping[int, int],
    stops: Sequence[Mapping[str, Any]],
    username: str,
) -> dict[str, Any]:
    """Apply a reviewed re-plan if the team-day is as it was when proposed.

    Raises :class:`StalePlan` (409) when visits were added to or taken off the team-day since,
    and :class:`~layers.planning.errors.PlanConflict` (409) when one was changed.
    """
    team = get_team(session, team_id)
    current = {a.id for a in team_day(session, team_id, day)}
    if set(based_on) != current:
        raise StalePlan(f"visits were added to or taken off {team.call_sign}'s day since the "
                        "re-plan was proposed")
    locations = set()
    for assignment_id, version in sorted(based_on.items()):
        locations.add(locked_assignment(session, assignment_id, version).location_id)
    unknown = [int(s["location_id"]) for s in stops if int(s["location_id"]) not in locations]
    if unknown:
        raise ValueError(f"location(s) {unknown} are not on {team.call_sign}'s day")
    set_times(session, team_id, day, stops)
    processing_log.record(session, username, processing_log.ALTERATION,
                          f"plan: re-plan of {team.call_sign} on {day.isoformat()} accepted",
                          records=sorted(locations))
    return {"team_id": team_id, "day": day.isoformat(), "accepted": len(stops),
            "versions": {str(a.id): a.version for a in team_day(session, team_id, day)}}


def optimise_day(
    session: Session,
    team_id: int,
    day: dt.date,
    now: dt.datetime,
    travel: TravelTimes,
    username: str,
) -> dict[str, Any]:
    """Re-order and re-time a team-day at once (the planning page's "Optimise"): from the
    shift's start when planning ahead, from now during the shift."""
    team = get_team(session, team_id)
    if not team_day(session, team_id, day):
        raise NothingToDo(f"Nothing to optimise: {team.call_sign} has no visits left to do on "
                          f"{day:%a %d %b}")
    horizon = Horizon(day)
    start = horizon.at(day_team(team, day, horizon).shift.start)
    body = propose_replan(session, team_id, day, max(now, start), travel)
    based_on = {int(k): int(v) for k, v in body["based_on"].items()}
    done = accept_replan(session, team_id, day, based_on, body["stops"], username)
    return {**done, "unplanned": body["unplanned"]}
