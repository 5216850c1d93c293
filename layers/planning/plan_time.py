"""Plans in time: suggest days for the routing engine, accept them, and read a day's ETAs.

:func:`suggest_plan` builds the problem (:mod:`.plan_build`), solves it with VROOM
(:mod:`.solver`) and answers every stop with its arrival (``eta``: on the premises) and
departure (``etd``), and every visit left out with its reason (window, shift, skill or
capacity). :func:`accept_plan` applies it through the usual row-by-row assignment (a location a
colleague changed meanwhile is skipped) and stores the times; :func:`day_plan` reads a day back
as the API and pages show it. Times are stored in UTC and shown in London time.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from layers.core.models import utcnow
from layers.core.status import UNPLANNED
from layers.planning.assignments import renumber, team_day
from layers.planning.bulk import ACCEPTED, AssignRequest, BulkReport, assign_many
from layers.planning.candidates import candidate_frame
from layers.planning.plan_build import Row, Week, build_week, planned_rows, settings_for
from layers.planning.priority import HIGH_PRIORITY
from layers.planning.solver import Plan, SolveOptions, TravelTimes, solve
from layers.planning.teams import list_teams
from layers.planning.visit_rules import visit_terms
from layers.planning.week import check_in_operation

logger = logging.getLogger(__name__)

MAX_DAYS = 14
"""The most days one suggestion plans (an operation is a week or two)."""


@dataclass(frozen=True)
class TimedStop:
    """One stop of a suggested or accepted plan."""

    location_id: int
    version: int
    team_id: int
    day: dt.date
    position: int
    eta: dt.datetime
    etd: dt.datetime
    fixed: bool = False
    assignment_id: int | None = None
    assignment_version: int | None = None
    priority: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly (times as ISO London local)."""
        return {
            "location_id": self.location_id, "version": self.version, "team_id": self.team_id,
            "day": self.day.isoformat(), "position": self.position,
            "eta": self.eta.isoformat(), "etd": self.etd.isoformat(), "fixed": self.fixed,
            "assignment_id": self.assignment_id, "assignment_version": self.assignment_version,
            "priority": round(self.priority, 1),
        }


@dataclass
class TimedPlan:
    """The stops in team, day and visiting order, and what is left out with the reason."""

    stops: list[TimedStop] = field(default_factory=list)
    unplanned: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def as_records(self) -> list[dict[str, Any]]:
        """Every stop as JSON rows (what the page reviews and :func:`accept_plan` takes)."""
        return [s.as_dict() for s in self.stops]

    @property
    def unallocated(self) -> dict[int, str]:
        """Location id -> why it is left out, in words."""
        return {int(u["location_id"]): str(u["detail"]) for u in self.unplanned}

    def as_dict(self) -> dict[str, Any]:
        """The answer of ``POST /api/plan/suggest``."""
        return {"plan": self.as_records(), "unplanned": self.unplanned,
                "seconds": round(self.seconds, 2)}


def check_days(session: Session, days: Sequence[dt.date]) -> list[dt.date]:
    """The days to plan, sorted, each in the operation (else :class:`OutsideOperation`)."""
    if not days:
        raise ValueError("days must list at least one date as YYYY-MM-DD")
    if len(set(days)) > MAX_DAYS:
        raise ValueError(f"plan at most {MAX_DAYS} days at once")
    for day in days:
        check_in_operation(session, day)
    return sorted(set(days))


def free_rows(session: Session, threshold: float, frame: pd.DataFrame | None = None
              ) -> list[Row]:
    """Unplanned premises at or above ``threshold`` priority, most urgent first."""
    frame = candidate_frame(session) if frame is None else frame
    todo = frame[(frame["status"] == UNPLANNED) & (frame["priority"] >= threshold)
                 & frame["assignment_id"].isna()]
    settings = settings_for(session, [int(i) for i in todo["id"]])
    return [
        Row(int(r.id), float(r.lon), float(r.lat),
            visit_terms(r.premises_type, r.risk, settings.get(int(r.id))),
            float(r.priority), int(r.version), str(r.status),
            division=str(r.division) if isinstance(r.division, str) else None)
        for r in todo.itertuples(index=False)
    ]


def read_plan(week: Week, plan: Plan) -> TimedPlan:
    """The engine's routes and reasons in the store's terms."""
    timed = TimedPlan(seconds=plan.seconds)
    for route in plan.routes:
        team_id, day = week.shifts[route.team_id]
        for position, stop in enumerate(route.stops):
            row = week.rows[stop.visit_id]
            timed.stops.append(TimedStop(
                row.location_id, row.version, team_id, day, position,
                week.horizon.at(stop.start), week.horizon.at(stop.departure), stop.fixed,
                row.assignment_id, row.assignment_version, row.priority))
    for left in plan.unplanned:
        timed.unplanned.append({"location_id": int(left.visit_id), "reason": left.reason.value,
                                "detail": left.detail})
    for location_id, why in week.never.items():
        timed.unplanned.append({"location_id": location_id, "reason": "window", "detail": why})
    return timed


def suggest_plan(
    session: Session,
    days: Sequence[dt.date],
    travel: TravelTimes,
    threshold: float = HIGH_PRIORITY,
    options: SolveOptions | None = None,
    frame: pd.DataFrame | None = None,
) -> TimedPlan:
    """Plan ``days``: the unplanned premises at or above ``threshold`` onto the teams' shifts,
    around what is already planned (re-timed, never moved) and done (held)."""
    days = check_days(session, days)
    teams = list_teams(session)
    week = build_week(teams, days, planned_rows(session, days),
                      free_rows(session, threshold, frame))
    plan = solve(week.problem(), travel, options, week.horizon.label)
    return read_plan(week, plan)


def _requests(rows: Sequence[dict[str, Any]]) -> list[AssignRequest]:
    """The new placements of a reviewed plan (rows with no assignment yet)."""
    return [
        AssignRequest(int(r["location_id"]), int(r["version"]), int(r["team_id"]),
                      dt.date.fromisoformat(str(r["day"])), str(r.get("ref") or ""))
        for r in rows if r.get("assignment_id") is None
    ]


def accept_plan(session: Session, rows: Sequence[dict[str, Any]], username: str) -> BulkReport:
    """Apply a reviewed plan: assign its new placements (row by row, skipping what a colleague
    changed), then put each team-day in the plan's order with its times."""
    ordered = sorted(rows, key=lambda r: (int(r["team_id"]), str(r["day"]), int(r["position"])))
    report = assign_many(session, _requests(ordered), username, reason=ACCEPTED)
    skipped = set(report.skipped)
    team_days: dict[tuple[int, dt.date], list[dict[str, Any]]] = {}
    for r in ordered:
        if int(r["location_id"]) not in skipped:
            key = (int(r["team_id"]), dt.date.fromisoformat(str(r["day"])))
            team_days.setdefault(key, []).append(r)
    for (team_id, day), stops in team_days.items():
        set_times(session, team_id, day, stops)
    return report


def _instant(value: Any) -> dt.datetime:
    when = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if when.tzinfo is None:
        raise ValueError("a planned time needs its time zone (ISO with an offset)")
    return when.astimezone(dt.UTC)


def set_times(session: Session, team_id: int, day: dt.date,
              stops: Sequence[Mapping[str, Any]]) -> None:
    """Order a team-day as ``stops`` (by location) with their times; the team-day's other
    visits (left out, postponed) follow, untimed. Positions only: the caller checked versions."""
    items = team_day(session, team_id, day)
    by_location = {a.location_id: a for a in items}
    first = [by_location[int(s["location_id"])] for s in stops
             if int(s["location_id"]) in by_location]
    rest = [a for a in items if a not in first]
    times = {int(s["location_id"]): (_instant(s["eta"]), _instant(s["etd"])) for s in stops}
    now = utcnow()
    for a in first + rest:
        eta, etd = times.get(a.location_id, (None, None))
        if (a.eta, a.etd) != (eta, etd):
            a.eta, a.etd, a.updated_at = eta, etd, now
    renumber(session, first + rest)
    session.flush()
