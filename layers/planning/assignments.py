"""Planning one location: assign it to a team-day, move it, take it off the plan.

Every function takes the session of one :meth:`layers.core.db.Database.write` transaction, so a
change, its history entry and its processing-log entry (:mod:`.plan_history`) commit together
or not at all.

Concurrency: every change names the version it was based on. A location's version guards
assigning it; an assignment's version guards moving and unassigning it. The guarded
``UPDATE ... WHERE version = :expected`` is what decides between two commanders: on PostgreSQL
the second waits for the first's row lock and then matches no row; on SQLite writers are
serialised by ``BEGIN IMMEDIATE``. The loser gets a conflict naming the colleague's change, and
nothing of theirs is overwritten. Any plan change also bumps the location's version, so a status
form opened before it was planned (or moved) is refused too.

Capacity: a team-day that is full refuses one more visit (:class:`OverCapacity`) unless the
commander explicitly allows going over; then the change is made and a warning says by how much.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from layers.core.errors import NotFound
from layers.core.locations import advance_version, conflict
from layers.core.models import Location, utcnow
from layers.core.status import PLANNED, UNPLANNED, check_transition
from layers.planning.capacity import over_allocation
from layers.planning.errors import OverCapacity, PlanError
from layers.planning.models import Assignment, Team
from layers.planning.plan_history import plan_conflict, record, where
from layers.planning.teams import get_team

logger = logging.getLogger(__name__)

MOVABLE_STATUSES = frozenset({PLANNED})
_LAST = 10**6
"""A position past any real stop: "at the end" until the team-day is renumbered."""


@dataclass
class PlanResult:
    """The assignment after a change, plus any capacity warnings it caused."""

    assignment: Assignment
    location_version: int
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form for the API and callbacks."""
        return {
            **assignment_dict(self.assignment),
            "location_version": self.location_version,
            "warnings": self.warnings,
        }


def assignment_dict(a: Assignment) -> dict[str, Any]:
    """An assignment as JSON-friendly values."""
    return {
        "id": a.id,
        "location_id": a.location_id,
        "team_id": a.team_id,
        "day": a.day.isoformat(),
        "position": a.position,
        "safety_note": a.safety_note,
        "version": a.version,
    }


def team_day(session: Session, team_id: int, day: dt.date) -> list[Assignment]:
    """The team-day's assignments in stop order."""
    return list(
        session.scalars(
            select(Assignment)
            .where(Assignment.team_id == team_id, Assignment.day == day)
            .order_by(Assignment.position, Assignment.id)
        )
    )


def renumber(session: Session, items: list[Assignment]) -> None:
    """Positions 0..n-1 in list order (siblings' relative order is unchanged: no new version)."""
    for i, a in enumerate(items):
        if a.position != i:
            session.execute(
                update(Assignment)
                .where(Assignment.id == a.id)
                .values(position=i)
                .execution_options(synchronize_session=False)
            )
            a.position = i


def _place(session: Session, a: Assignment, position: int | None) -> None:
    """Put ``a`` at ``position`` (end when ``None``) in its team-day and renumber."""
    others = [x for x in team_day(session, a.team_id, a.day) if x.id != a.id]
    pos = len(others) if position is None else max(0, min(int(position), len(others)))
    others.insert(pos, a)
    renumber(session, others)


def bump_location(
    session: Session, location_id: int, expected_version: int | None, to_status: str | None
) -> tuple[str, str, int]:
    """Move the location's version on (and its status, when ``to_status`` differs).

    With ``expected_version`` the update only applies at that version (else
    :class:`layers.core.locations.VersionConflict`). Returns (from_status, to_status, new version).
    """
    moved_to: list[str] = []

    def values_for(current: Location) -> dict[str, Any]:
        new_status = current.status if to_status in (None, current.status) else to_status
        if new_status != current.status:
            check_transition(current.status, new_status)
        moved_to.append(new_status)
        return {"status": new_status}

    _loc, from_status, version = advance_version(session, location_id, expected_version, values_for)
    return from_status, moved_to[0], version


def planned_count(session: Session, team_id: int, day: dt.date) -> int:
    """How many visits the team-day holds."""
    n = session.scalar(
        select(func.count()).where(Assignment.team_id == team_id, Assignment.day == day)
    )
    return int(n or 0)


def check_room(session: Session, team: Team, day: dt.date, over_capacity: bool) -> None:
    """Refuse one more visit on a full team-day unless going over was explicitly allowed."""
    planned = planned_count(session, team.id, day)
    if planned >= team.daily_capacity and not over_capacity:
        raise OverCapacity(team.call_sign, day, planned, team.daily_capacity)


def _warnings(session: Session, team: Team, day: dt.date) -> list[str]:
    n = planned_count(session, team.id, day)
    found = over_allocation(
        {(team.id, day): n}, {team.id: team.daily_capacity}, {team.id: team.call_sign}
    )
    return [w.message() for w in found]


def _drop_stale(session: Session, location_id: int, expected_version: int) -> None:
    """Remove the leftover assignment of a location sent back to unplanned by another path."""
    existing = session.scalar(select(Assignment).where(Assignment.location_id == location_id))
    if existing is None:
        return
    loc = session.get(Location, location_id)
    if loc is not None and loc.version != expected_version:
        raise conflict(session, loc, expected_version)
    if loc is None or loc.status != UNPLANNED:
        raise PlanError("this location is already planned: move it instead")
    session.execute(delete(Assignment).where(Assignment.id == existing.id))
    session.expunge(existing)
    renumber(session, team_day(session, existing.team_id, existing.day))


def assign(
    session: Session,
    location_id: int,
    expected_version: int,
    team_id: int,
    day: dt.date,
    username: str,
    position: int | None = None,
    safety_note: str | None = None,
    reason: str | None = None,
    over_capacity: bool = False,
) -> PlanResult:
    """Plan an unplanned location for ``team_id`` on ``day`` (at ``position``, else last).

    Raises :class:`layers.core.locations.VersionConflict` when the location moved on since
    ``expected_version`` (for instance a colleague planned it first), and
    :class:`OverCapacity` when the team-day is full and ``over_capacity`` is not set.
    """
    team = get_team(session, team_id)
    _drop_stale(session, location_id, expected_version)
    check_room(session, team, day, over_capacity)
    from_status, to_status, version = bump_location(session, location_id, expected_version, PLANNED)
    now = utcnow()
    a = Assignment(
        location_id=location_id,
        team_id=team_id,
        day=day,
        position=_LAST,
        safety_note=(safety_note or "").strip() or None,
        version=1,
        created_by=username,
        created_at=now,
        updated_at=now,
    )
    session.add(a)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent assign slipped past the version check
        raise PlanError("this location was planned by a colleague a moment ago") from exc
    _place(session, a, position)
    summary = f"location {location_id} assigned to {team.call_sign} on {day.isoformat()}"
    record(
        session,
        location_id,
        username,
        (from_status, to_status),
        version,
        None,
        where(session, a),
        reason,
        summary,
    )
    return PlanResult(a, version, _warnings(session, team, day))


def locked_assignment(session: Session, assignment_id: int, expected_version: int) -> Assignment:
    """Claim the assignment at ``expected_version`` (bumping it) or raise the conflict."""
    row = session.execute(
        update(Assignment)
        .where(Assignment.id == assignment_id, Assignment.version == expected_version)
        .values(version=Assignment.version + 1, updated_at=utcnow())
        .returning(Assignment.id)
        .execution_options(synchronize_session=False)
    ).first()
    if row is None:
        if session.get(Assignment, assignment_id, populate_existing=True) is None:
            raise NotFound(f"no assignment {assignment_id}: a colleague may have unassigned it")
        raise plan_conflict(session, assignment_id, expected_version)
    a = session.get(Assignment, assignment_id, populate_existing=True)
    if a is None:
        raise NotFound(f"no assignment {assignment_id}: a colleague may have unassigned it")
    return a


def move(
    session: Session,
    assignment_id: int,
    expected_version: int,
    username: str,
    team_id: int | None = None,
    day: dt.date | None = None,
    position: int | None = None,
    safety_note: str | None = None,
    reason: str | None = None,
    over_capacity: bool = False,
) -> PlanResult:
    """Move an assignment to another team, day and/or position (a reorder is a move in place).

    Raises :class:`PlanConflict` when the assignment is no longer at ``expected_version``, and
    :class:`OverCapacity` when it moves onto a full team-day without ``over_capacity``.
    """
    a = locked_assignment(session, assignment_id, expected_version)
    loc = session.get(Location, a.location_id)
    if loc is not None and loc.status not in MOVABLE_STATUSES:
        raise PlanError(f"a visit that is {loc.status.replace('_', ' ')} cannot be moved")
    before = where(session, a)
    old_team, old_day = a.team_id, a.day
    new_team = get_team(session, team_id if team_id is not None else a.team_id)
    moved_day = (new_team.id, day or a.day) != (old_team, old_day)
    if moved_day:
        check_room(session, new_team, day or a.day, over_capacity)
    a.team_id, a.day = new_team.id, day or a.day
    if safety_note is not None:
        a.safety_note = safety_note.strip() or None
    a.position = _LAST if moved_day and position is None else a.position
    session.flush()
    _place(session, a, position if position is not None or moved_day else a.position)
    if moved_day:
        renumber(session, team_day(session, old_team, old_day))
    from_status, to_status, version = bump_location(session, a.location_id, None, None)
    summary = (
        f"location {a.location_id} moved to {new_team.call_sign} on {a.day.isoformat()} "
        f"position {a.position + 1}"
    )
    record(
        session,
        a.location_id,
        username,
        (from_status, to_status),
        version,
        before,
        where(session, a),
        reason,
        summary,
    )
    return PlanResult(a, version, _warnings(session, new_team, a.day))


def unassign(
    session: Session,
    assignment_id: int,
    expected_version: int,
    username: str,
    reason: str | None = None,
) -> int:
    """Take a planned location off the plan (back to unplanned); returns its new version."""
    a = locked_assignment(session, assignment_id, expected_version)
    loc = session.get(Location, a.location_id)
    if loc is not None and loc.status not in MOVABLE_STATUSES | {UNPLANNED}:
        raise PlanError(
            f"a visit that is {loc.status.replace('_', ' ')} stays on the plan: change its status"
        )
    before = where(session, a)
    team_id, day, location_id = a.team_id, a.day, a.location_id
    session.execute(delete(Assignment).where(Assignment.id == assignment_id))
    session.expunge(a)
    renumber(session, team_day(session, team_id, day))
    from_status, to_status, version = bump_location(session, location_id, None, UNPLANNED)
    record(
        session,
        location_id,
        username,
        (from_status, to_status),
        version,
        before,
        None,
        reason,
        f"location {location_id} unassigned",
    )
    return version
