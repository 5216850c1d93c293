"""The solver's problem from the store: team shifts per day, and visits with their terms.

Each team works every planned day: one solver :class:`~layers.planning.solver.Team` per team
and day, its shift from the team's wall-clock times (crossing midnight when the end is not
after the start), its break, base, skills and cap (``daily_capacity`` as a stop cap). Each
visit gets one window per day it may be made on (its opening hours, or the whole day), its
duration, skills and priority. On the days being planned:

- a visit done or under way (with planned times) is *fixed*: it stays where and when it is;
- a visit planned but not started is *pinned* to its team-day (a skill only that team-day
  has), so a suggestion re-orders and times it but never moves it to another team;
- an unplanned premises at or above the priority threshold is free to go to any team of its
  division (its ground, a skill every team of the division has) on any day it fits.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from layers.core.models import Location
from layers.core.status import DONE_STATUSES, IN_PROGRESS, PLANNED
from layers.planning import models
from layers.planning.solver import (
    BreakRule,
    Fixed,
    Horizon,
    Key,
    Problem,
    Team,
    Visit,
    Window,
)
from layers.planning.solver.model import MAX_PRIORITY
from layers.planning.visit_rules import VisitTerms, visit_terms

logger = logging.getLogger(__name__)

POSTPONED = "postponed"
BREAK_EDGE = 4
"""A break is taken in the middle of the shift: not in its first nor its last quarter."""


def team_key(team_id: int, day: dt.date) -> str:
    """The solver's name for a team's shift on a day."""
    return f"{team_id}@{day.isoformat()}"


def break_rule(shift: Window, minutes: int) -> BreakRule | None:
    """The team's break: ``minutes`` long, starting in the middle half of the shift."""
    if minutes <= 0:
        return None
    quarter = shift.length // BREAK_EDGE
    return BreakRule(Window(shift.start + quarter, shift.end - quarter), minutes * 60)


def shift_window(team: models.Team, day: dt.date, horizon: Horizon) -> Window:
    """The team's shift that starts on ``day`` (to the next morning when it crosses midnight)."""
    return horizon.span(day, team.shift_start, team.shift_end)


def ground(division: str) -> str:
    """The skill every team of a division has: its ground (a premises goes to its own
    division's teams, who know the area and its partners)."""
    return f"{division} division's ground"


def day_team(
    team: models.Team, day: dt.date, horizon: Horizon, pins: Iterable[str] = ()
) -> Team:
    """One team's shift on ``day`` as the solver sees it."""
    shift = shift_window(team, day, horizon)
    skills = frozenset(json.loads(team.skills or "[]")) | frozenset(pins) | {
        ground(team.division)}
    return Team(team_key(team.id, day), shift, (team.start_lon, team.start_lat), skills=skills,
                rest=break_rule(shift, team.break_minutes), max_stops=team.daily_capacity)


def visit_windows(terms: VisitTerms, days: Sequence[dt.date], horizon: Horizon
                  ) -> tuple[Window, ...] | None:
    """The windows a visit may be made in over ``days``: ``()`` any time, ``None`` never (no
    day allowed)."""
    allowed = [d for d in days if terms.allowed(d)]
    if not allowed:
        return None
    if terms.any_time and len(allowed) == len(days):
        return ()
    hours = ("00:00", "00:00") if terms.any_time else (terms.window_from, terms.window_until)
    return tuple(horizon.span(d, str(hours[0]), str(hours[1])) for d in allowed)


def priority_of(value: float) -> int:
    """The store's priority score as the solver's whole 0..100."""
    return int(min(max(round(value), 0), MAX_PRIORITY))


@dataclass(frozen=True)
class Row:
    """One location as the planner needs it (read from the store)."""

    location_id: int
    lon: float
    lat: float
    terms: VisitTerms
    priority: float = 0.0
    version: int = 0
    status: str = ""
    outcome: str | None = None
    assignment_id: int | None = None
    assignment_version: int | None = None
    team_id: int | None = None
    day: dt.date | None = None
    eta: dt.datetime | None = None
    etd: dt.datetime | None = None
    division: str | None = None

    @property
    def started(self) -> bool:
        """Done or under way: its time is history, not a plan."""
        return self.status == IN_PROGRESS or self.status in DONE_STATUSES

    @property
    def postponed(self) -> bool:
        """Postponed once started: back on the plan, to be moved to another day. (Postponed
        before the team reached it, a visit is unplanned and off the team-day already.)"""
        return self.status == PLANNED and self.outcome == POSTPONED


def settings_for(session: Session, ids: Sequence[int]) -> dict[int, models.VisitSettings]:
    """What commanders set for these locations (absent: defaults apply)."""
    found: dict[int, models.VisitSettings] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start:start + 500])
        found |= {s.location_id: s for s in session.scalars(
            select(models.VisitSettings).where(models.VisitSettings.location_id.in_(chunk)))}
    return found


def planned_rows(session: Session, days: Sequence[dt.date]) -> list[Row]:
    """Every assignment on ``days`` with its location, terms and planned times, in stop order."""
    rows = session.execute(
        select(models.Assignment, Location.lon, Location.lat, Location.premises_type,
               Location.risk, Location.status, Location.outcome, Location.version)
        .join(Location, Location.id == models.Assignment.location_id)
        .where(models.Assignment.day.in_(list(days)))
        .order_by(models.Assignment.team_id, models.Assignment.day, models.Assignment.position)
    ).all()
    settings = settings_for(session, [r.Assignment.location_id for r in rows])
    return [
        Row(r.Assignment.location_id, float(r.lon), float(r.lat),
            visit_terms(r.premises_type, r.risk, settings.get(r.Assignment.location_id)),
            0.0, int(r.version), r.status, r.outcome, r.Assignment.id, r.Assignment.version,
            r.Assignment.team_id, r.Assignment.day, r.Assignment.eta, r.Assignment.etd)
        for r in rows
    ]


@dataclass
class Week:
    """The problem's parts and how to read the answer back into the store's terms."""

    horizon: Horizon
    teams: list[Team] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    rows: dict[Key, Row] = field(default_factory=dict)
    shifts: dict[Key, tuple[int, dt.date]] = field(default_factory=dict)
    never: dict[int, str] = field(default_factory=dict)
    """Locations with no day allowed among those planned: the reason, in words."""

    def problem(self) -> Problem:
        """The solver's problem."""
        return Problem(tuple(self.teams), tuple(self.visits))


def fixed_visit(row: Row, terms: VisitTerms, horizon: Horizon, key: str) -> Visit | None:
    """A visit done or under way, held where and when it was (``None`` without times)."""
    if row.eta is None or row.etd is None:
        return None
    start = horizon.seconds(row.eta)
    duration = max(horizon.seconds(row.etd) - start, 0)
    return Visit(row.location_id, (row.lon, row.lat), (), duration, terms.skills, 0,
                 fixed=Fixed(key, start), done=row.status in DONE_STATUSES)


def pin_name(call_sign: str, day: dt.date) -> str:
    """The skill only one team-day has: a visit already planned there stays there."""
    return f"planned for {call_sign} on {day:%a %d %b}"


def add_planned(week: Week, teams: dict[int, models.Team], rows: Sequence[Row],
                days: Sequence[dt.date]) -> dict[str, list[str]]:
    """Add visits already on the plan: fixed when started, else pinned. Returns pins by key."""
    pins: dict[str, list[str]] = {}
    for row in rows:
        if row.team_id not in teams or row.day not in days or row.day is None:
            continue
        key = team_key(row.team_id, row.day)
        if row.started:
            visit = fixed_visit(row, row.terms, week.horizon, key)
        else:
            pin = pin_name(teams[row.team_id].call_sign, row.day)
            pins.setdefault(key, []).append(pin)
            hours = replace(row.terms, latest_day=None, on_day=None)  # its day is chosen
            windows = visit_windows(hours, [row.day], week.horizon) or ()
            visit = Visit(row.location_id, (row.lon, row.lat), windows,
                          row.terms.duration_minutes * 60, row.terms.skills | {pin},
                          MAX_PRIORITY)
        if visit is not None:
            week.visits.append(visit)
            week.rows[row.location_id] = row
    return pins


def build_week(
    teams: Sequence[models.Team],
    days: Sequence[dt.date],
    planned: Sequence[Row],
    free: Sequence[Row],
) -> Week:
    """The problem for ``days``: every team's shifts, the planned visits and the free ones."""
    week = Week(Horizon(min(days)))
    by_id = {t.id: t for t in teams}
    pins = add_planned(week, by_id, planned, days)
    for team in teams:
        for day in days:
            key = team_key(team.id, day)
            week.teams.append(day_team(team, day, week.horizon, pins.get(key, ())))
            week.shifts[key] = (team.id, day)
    for row in free:
        windows = visit_windows(row.terms, days, week.horizon)
        if windows is None:
            week.never[row.location_id] = never_text(row.terms)
            continue
        area = {ground(row.division)} if row.division else set()
        week.visits.append(Visit(row.location_id, (row.lon, row.lat), windows,
                                 row.terms.duration_minutes * 60, row.terms.skills | area,
                                 priority_of(row.priority)))
        week.rows[row.location_id] = row
    return week


def never_text(terms: VisitTerms) -> str:
    """Why a visit has no day among those planned."""
    if terms.on_day is not None:
        return f"it must be visited on {terms.on_day:%a %d %b}, which is not being planned"
    return f"its latest day ({terms.latest_day:%a %d %b}) is before the days being planned"
