"""A day's plan in time, as the API, the planning page, the board and the run sheets show it.

Per team: its shift (start and end as London local times; a night shift ends the next
morning), its break, and the stops in order, each with its planned arrival on the premises
(``eta``) and departure (``etd``), its window and duration, and its status; then the time left
in the shift once the team is back at base. A team is *running late* when a stop it has not
started should have started by now, or the visit under way should have ended: by how many
minutes is what the board shows.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from layers.core.clock import LONDON
from layers.core.status import IN_PROGRESS, PLANNED
from layers.planning.models import Team
from layers.planning.plan_build import Row, planned_rows, shift_window
from layers.planning.solver import Horizon, TravelTimes
from layers.planning.teams import list_teams
from layers.planning.week import check_in_operation

logger = logging.getLogger(__name__)

LATE_GRACE_MINUTES = 10
"""Minutes behind plan before a team is flagged as running late (a red light costs that)."""


def local_iso(when: dt.datetime | None) -> str | None:
    """An instant as ISO London local time (``None`` stays ``None``)."""
    return None if when is None else when.astimezone(LONDON).isoformat()


def hhmm(when: Any) -> str:
    """An instant as London "HH:MM" for pages and sheets ("" when there is none)."""
    if when is None or (not isinstance(when, dt.datetime) or pd.isna(when)):
        return ""
    return when.astimezone(LONDON).strftime("%H:%M")


def stop_dict(row: Row, stop: int) -> dict[str, Any]:
    """One stop as JSON values."""
    return {
        "stop": stop, "assignment_id": row.assignment_id,
        "assignment_version": row.assignment_version, "location_id": row.location_id,
        "version": row.version, "eta": local_iso(row.eta), "etd": local_iso(row.etd),
        "window_from": row.terms.window_from, "window_until": row.terms.window_until,
        "duration_minutes": row.terms.duration_minutes, "skills": sorted(row.terms.skills),
        "status": row.status, "outcome": row.outcome,
    }


def minutes_late(rows: Sequence[Row], now: dt.datetime) -> int:
    """How far behind its plan a team is at ``now`` (0: on time or ahead).

    The visit under way should have ended by its ``etd``; the first visit not yet started
    should have started by its ``eta``. Postponed visits and untimed ones do not count.
    """
    behind = dt.timedelta(0)
    for row in rows:
        if row.eta is None or row.etd is None or row.postponed:
            continue
        if row.status == IN_PROGRESS:
            behind = max(behind, now - row.etd)
        elif row.status == PLANNED:
            behind = max(behind, now - row.eta)
            break  # the first visit not started decides; later ones follow from it
    return max(int(behind.total_seconds() // 60), 0)


def is_late(minutes: int) -> bool:
    """Whether the board flags a team this many minutes behind."""
    return minutes > LATE_GRACE_MINUTES


@dataclass(frozen=True)
class TeamDay:
    """One team's day: its shift, its stops and when it is back at base."""

    team: Team
    day: dt.date
    shift_start: dt.datetime
    shift_end: dt.datetime
    rows: list[Row]
    back: dt.datetime | None

    @property
    def minutes_left(self) -> int | None:
        """Minutes of the shift left once back at base (``None`` with nothing timed)."""
        if self.back is None:
            return None
        return int((self.shift_end - self.back).total_seconds() // 60)

    def as_dict(self, now: dt.datetime | None = None) -> dict[str, Any]:
        """The team's day as JSON values (``late_minutes`` when ``now`` is given)."""
        body: dict[str, Any] = {
            "team_id": self.team.id, "call_sign": self.team.call_sign,
            "shift": {"start": local_iso(self.shift_start), "end": local_iso(self.shift_end),
                      "break_minutes": self.team.break_minutes},
            "stops": [stop_dict(r, n) for n, r in enumerate(self.rows, start=1)],
            "back_at_base": local_iso(self.back), "shift_left_minutes": self.minutes_left,
        }
        if now is not None:
            body["late_minutes"] = minutes_late(self.rows, now)
        return body


def back_at_base(team: Team, rows: Sequence[Row], travel: TravelTimes) -> dt.datetime | None:
    """When the team is back at base after its last timed stop."""
    timed = [r for r in rows if r.etd is not None and not r.postponed]
    if not timed:
        return None
    last = max(timed, key=lambda r: r.etd or dt.datetime.min.replace(tzinfo=dt.UTC))
    drive = travel.matrix([(last.lon, last.lat), (team.start_lon, team.start_lat)])[0][1]
    return (last.etd or dt.datetime.min) + dt.timedelta(seconds=int(drive))


def team_days(session: Session, day: dt.date, travel: TravelTimes,
              team_id: int | None = None) -> list[TeamDay]:
    """Every team's day (or one team's), stops in order."""
    check_in_operation(session, day)
    horizon = Horizon(day)
    rows = planned_rows(session, [day])
    found = []
    for team in list_teams(session):
        if team_id is not None and team.id != team_id:
            continue
        mine = [r for r in rows if r.team_id == team.id]
        shift = shift_window(team, day, horizon)
        found.append(TeamDay(team, day, horizon.at(shift.start), horizon.at(shift.end), mine,
                             back_at_base(team, mine, travel)))
    return found


def day_plan(session: Session, day: dt.date, travel: TravelTimes,
             now: dt.datetime | None = None) -> dict[str, Any]:
    """``GET /api/plan?day=``: every team's shift and timed stops on ``day``."""
    return {"day": day.isoformat(),
            "teams": [t.as_dict(now) for t in team_days(session, day, travel)]}



@dataclass(frozen=True)
class LateTeam:
    """A team behind its plan, by how many minutes."""

    team_id: int
    call_sign: str
    minutes: int

    def message(self) -> str:
        """The flag in a commander's words."""
        return f"{self.call_sign} is running {self.minutes} min late against its plan"


def late_teams(session: Session, day: dt.date, now: dt.datetime) -> list[LateTeam]:
    """Every team on shift at ``now`` running late (more than the grace), latest first.

    A night shift that began yesterday is still on at 01:00 today, so both days are read;
    a team whose shift is over (or not begun) is not flagged."""
    days = [day - dt.timedelta(days=1), day]
    rows = planned_rows(session, days)
    found = []
    for team in list_teams(session):
        for shift_day in days:
            horizon = Horizon(shift_day)
            shift = shift_window(team, shift_day, horizon)
            if not horizon.at(shift.start) <= now <= horizon.at(shift.end):
                continue
            mine = [r for r in rows if r.team_id == team.id and r.day == shift_day]
            minutes = minutes_late(mine, now)
            if is_late(minutes):
                found.append(LateTeam(team.id, team.call_sign, minutes))
    return sorted(found, key=lambda t: (-t.minutes, t.call_sign))
