"""Planning changes in the store: teams, assign, move, reorder, unassign, routes, statuses.

Every function takes the session of one :meth:`layers.core.db.Database.write` transaction, so a
change, its history entry (action ``"plan"``, detail JSON with ``before``/``after``/``reason``)
and its processing-log entry commit together or not at all.

Concurrency: every change names the version it was based on. A location's version guards
assigning it and changing its status; an assignment's version guards moving, reordering and
unassigning it. The guarded ``UPDATE ... WHERE version = :expected`` is what decides between two
commanders: on PostgreSQL the second waits for the first's row lock and then matches no row; on
SQLite writers are serialised by ``BEGIN IMMEDIATE``. The loser gets a conflict naming the
colleague's change, and nothing of theirs is overwritten. Any plan change also bumps the
location's version, so a status form opened before it was planned (or moved) is refused too.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from layers.audit import processing_log
from layers.core.errors import Conflict, RuleError
from layers.core.locations import NotFound, advance_version, change_status, conflict
from layers.core.models import HistoryEntry, Location, utcnow
from layers.core.status import DONE_STATUSES, PLANNED, UNPLANNED, check_transition
from layers.planning.allocation import Suggestion
from layers.planning.capacity import over_allocation
from layers.planning.models import Assignment, Team
from layers.planning.routing import Route, plan_route

logger = logging.getLogger(__name__)

PLAN_ACTION = "plan"
MOVABLE_STATUSES = frozenset({PLANNED})


class PlanError(RuleError):
    """A plan change that cannot be made, with the reason in a commander's words."""


@dataclass
class PlanConflict(Conflict):
    """A plan change based on an assignment version a colleague has already changed."""

    assignment_id: int
    location_id: int | None
    expected_version: int
    current_version: int | None
    changed_by: str | None
    changed_at: dt.datetime | None
    what: str

    def message(self) -> str:
        """What the colleague changed, so the commander can decide what to do."""
        who = self.changed_by or "someone else"
        when = f" at {self.changed_at:%H:%M %d %b}" if self.changed_at else ""
        now = f" (now version {self.current_version})" if self.current_version is not None else ""
        return (
            f"Not saved: {who} changed this plan{when}: {self.what}{now}. Review it and try again."
        )

    def as_dict(self) -> dict[str, Any]:
        """The conflict for a JSON response."""
        return {
            "error": "conflict",
            "message": self.message(),
            "assignment_id": self.assignment_id,
            "id": self.location_id,
            "expected_version": self.expected_version,
            "current_version": self.current_version,
            "changed_by": self.changed_by,
            "changed_at": self.changed_at.isoformat() if self.changed_at else None,
            "what": self.what,
        }


@dataclass(frozen=True)
class TeamSpec:
    """What a commander enters for a team."""

    call_sign: str
    division: str
    start_lon: float
    start_lat: float
    start_label: str = ""
    members: int = 2
    partners: tuple[str, ...] = ()
    daily_capacity: int = 6
    shift_start: str = "08:00"
    shift_end: str = "16:00"

    def validate(self) -> None:
        """Refuse impossible teams with a message that says what to fix."""
        if not self.call_sign.strip():
            raise PlanError("a team needs a call sign")
        if self.daily_capacity < 1:
            raise PlanError("daily capacity must be at least one visit")
        if self.members < 1:
            raise PlanError("a team needs at least one member")
        for name in ("shift_start", "shift_end"):
            try:
                dt.time.fromisoformat(getattr(self, name))
            except ValueError as exc:
                raise PlanError(f"{name.replace('_', ' ')} must be HH:MM") from exc
        if not (-9.0 <= self.start_lon <= 2.0 and 49.0 <= self.start_lat <= 61.0):
            raise PlanError("the start point must be a longitude/latitude in Great Britain")


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


def team_dict(t: Team) -> dict[str, Any]:
    """A team as JSON-friendly values."""
    return {
        "id": t.id,
        "call_sign": t.call_sign,
        "division": t.division,
        "members": t.members,
        "partners": json.loads(t.partners or "[]"),
        "daily_capacity": t.daily_capacity,
        "shift_start": t.shift_start,
        "shift_end": t.shift_end,
        "start_lon": t.start_lon,
        "start_lat": t.start_lat,
        "start_label": t.start_label,
        "version": t.version,
    }


# --- teams -----------------------------------------------------------------------------------


def create_team(session: Session, spec: TeamSpec, username: str) -> Team:
    """Add a team (its start point placed on the British National Grid)."""
    from geodata.crs import to_bng

    spec.validate()
    if session.scalar(select(Team.id).where(Team.call_sign == spec.call_sign.strip())):
        raise PlanError(f"there is already a team {spec.call_sign!r}")
    easting, northing = to_bng(np.array([spec.start_lon]), np.array([spec.start_lat]))
    team = Team(
        call_sign=spec.call_sign.strip(),
        division=spec.division,
        members=spec.members,
        partners=json.dumps([p.strip() for p in spec.partners if p.strip()]),
        daily_capacity=spec.daily_capacity,
        shift_start=spec.shift_start,
        shift_end=spec.shift_end,
        start_lon=spec.start_lon,
        start_lat=spec.start_lat,
        start_easting=float(easting[0]),
        start_northing=float(northing[0]),
        start_label=spec.start_label.strip(),
        version=1,
        created_by=username,
        created_at=utcnow(),
    )
    session.add(team)
    session.flush()
    processing_log.record(
        session, username, processing_log.ALTERATION, f"plan: team {team.call_sign} added"
    )
    logger.info("team %s added by %s", team.call_sign, username)
    return team


def list_teams(session: Session) -> list[Team]:
    """Every team, by division then call sign."""
    return list(session.scalars(select(Team).order_by(Team.division, Team.call_sign)))


# --- helpers ---------------------------------------------------------------------------------


def _team(session: Session, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(f"no team {team_id}")
    return team


def _where(session: Session, a: Assignment | None) -> dict[str, Any] | None:
    """The plan of one location, as recorded in history (``before``/``after``)."""
    if a is None:
        return None
    team = session.get(Team, a.team_id)
    return {
        "assignment_id": a.id,
        "team_id": a.team_id,
        "team": team.call_sign if team else str(a.team_id),
        "day": a.day.isoformat(),
        "position": a.position,
    }


def _bump_location(
    session: Session,
    location_id: int,
    expected_version: int | None,
    to_status: str | None,
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


def _record(
    session: Session,
    location_id: int,
    username: str,
    from_status: str,
    to_status: str,
    new_version: int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str | None,
    summary: str,
) -> None:
    """The history entry and the processing-log entry of one plan change."""
    reason = (reason or "").strip() or None
    session.add(
        HistoryEntry(
            location_id=location_id,
            at=utcnow(),
            username=username,
            action=PLAN_ACTION,
            from_status=from_status,
            to_status=to_status,
            from_version=new_version - 1,
            to_version=new_version,
            note=reason,
            detail=json.dumps({"before": before, "after": after, "reason": reason}),
        )
    )
    processing_log.record(
        session, username, processing_log.ALTERATION, f"plan: {summary}", records=[location_id]
    )


def _describe(after: dict[str, Any] | None) -> str:
    if after is None:
        return "unassigned it"
    day = dt.date.fromisoformat(after["day"])
    return f"planned it for {after['team']} on {day:%a %d %b}, stop {after['position'] + 1}"


def _plan_conflict(session: Session, assignment_id: int, expected: int) -> PlanConflict:
    """The conflict for a stale assignment version, naming the colleague's last plan change."""
    current = session.get(Assignment, assignment_id, populate_existing=True)
    location_id = current.location_id if current else None
    last = None
    if location_id is not None:
        last = session.scalars(
            select(HistoryEntry)
            .where(HistoryEntry.location_id == location_id)
            .order_by(HistoryEntry.id.desc())
            .limit(1)
        ).first()
    what = "removed the assignment"
    if last is not None and last.action == PLAN_ACTION and last.detail:
        what = _describe(json.loads(last.detail).get("after"))
    elif last is not None:
        what = f"moved it from {last.from_status} to {last.to_status}"
    return PlanConflict(
        assignment_id=assignment_id,
        location_id=location_id,
        expected_version=expected,
        current_version=current.version if current else None,
        changed_by=last.username if last else None,
        changed_at=last.at if last else None,
        what=what,
    )


def _team_day(session: Session, team_id: int, day: dt.date) -> list[Assignment]:
    return list(
        session.scalars(
            select(Assignment)
            .where(Assignment.team_id == team_id, Assignment.day == day)
            .order_by(Assignment.position, Assignment.id)
        )
    )


def _renumber(session: Session, items: list[Assignment]) -> None:
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


def _warnings(session: Session, team_id: int, day: dt.date) -> list[str]:
    team = _team(session, team_id)
    n = session.scalar(
        select(func.count()).where(Assignment.team_id == team_id, Assignment.day == day)
    )
    found = over_allocation(
        {(team_id, day): int(n or 0)}, {team_id: team.daily_capacity}, {team_id: team.call_sign}
    )
    return [w.message() for w in found]


def _place(session: Session, a: Assignment, position: int | None) -> None:
    """Put ``a`` at ``position`` (end when ``None``) in its team-day and renumber."""
    others = [x for x in _team_day(session, a.team_id, a.day) if x.id != a.id]
    pos = len(others) if position is None else max(0, min(int(position), len(others)))
    others.insert(pos, a)
    _renumber(session, others)


# --- plan changes ----------------------------------------------------------------------------


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
) -> PlanResult:
    """Plan an unplanned location for ``team_id`` on ``day`` (at ``position``, else last).

    Raises :class:`layers.core.locations.VersionConflict` when the location moved on since
    ``expected_version`` (for instance a colleague planned it first).
    """
    team = _team(session, team_id)
    existing = session.scalar(select(Assignment).where(Assignment.location_id == location_id))
    if existing is not None:
        loc = session.get(Location, location_id)
        if loc is not None and loc.version != expected_version:
            raise conflict(session, loc, expected_version)
        if loc is None or loc.status != UNPLANNED:
            raise PlanError("this location is already planned: move it instead")
        # Sent back to unplanned by a path that left its old assignment: that one is stale.
        session.execute(delete(Assignment).where(Assignment.id == existing.id))
        session.expunge(existing)
        _renumber(session, _team_day(session, existing.team_id, existing.day))
    from_status, to_status, version = _bump_location(
        session, location_id, expected_version, PLANNED
    )
    now = utcnow()
    a = Assignment(
        location_id=location_id,
        team_id=team_id,
        day=day,
        position=10**6,
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
    after = _where(session, a)
    _record(
        session,
        location_id,
        username,
        from_status,
        to_status,
        version,
        None,
        after,
        reason,
        f"location {location_id} assigned to {team.call_sign} on {day.isoformat()}",
    )
    return PlanResult(a, version, _warnings(session, team_id, day))


def _locked_assignment(session: Session, assignment_id: int, expected_version: int) -> Assignment:
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
        raise _plan_conflict(session, assignment_id, expected_version)
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
) -> PlanResult:
    """Move an assignment to another team, day and/or position (a reorder is a move in place).

    Raises :class:`PlanConflict` when the assignment is no longer at ``expected_version``.
    """
    a = _locked_assignment(session, assignment_id, expected_version)
    loc = session.get(Location, a.location_id)
    if loc is not None and loc.status not in MOVABLE_STATUSES:
        raise PlanError(f"a visit that is {loc.status.replace('_', ' ')} cannot be moved")
    before = _where(session, a)
    old_team, old_day = a.team_id, a.day
    new_team = _team(session, team_id) if team_id is not None else _team(session, a.team_id)
    a.team_id = new_team.id
    a.day = day or a.day
    if safety_note is not None:
        a.safety_note = safety_note.strip() or None
    moved_day = (a.team_id, a.day) != (old_team, old_day)
    a.position = 10**6 if moved_day and position is None else a.position
    session.flush()
    _place(session, a, position if position is not None or moved_day else a.position)
    if moved_day:
        _renumber(session, _team_day(session, old_team, old_day))
    after = _where(session, a)
    from_status, to_status, version = _bump_location(session, a.location_id, None, None)
    _record(
        session,
        a.location_id,
        username,
        from_status,
        to_status,
        version,
        before,
        after,
        reason,
        f"location {a.location_id} moved to {new_team.call_sign} on {a.day.isoformat()} "
        f"position {a.position + 1}",
    )
    return PlanResult(a, version, _warnings(session, a.team_id, a.day))


def unassign(
    session: Session,
    assignment_id: int,
    expected_version: int,
    username: str,
    reason: str | None = None,
) -> int:
    """Take a planned location off the plan (back to unplanned); returns its new version."""
    a = _locked_assignment(session, assignment_id, expected_version)
    loc = session.get(Location, a.location_id)
    if loc is not None and loc.status not in MOVABLE_STATUSES | {UNPLANNED}:
        raise PlanError(
            f"a visit that is {loc.status.replace('_', ' ')} stays on the plan: change its status"
        )
    before = _where(session, a)
    team_id, day, location_id = a.team_id, a.day, a.location_id
    session.execute(delete(Assignment).where(Assignment.id == assignment_id))
    session.expunge(a)
    _renumber(session, _team_day(session, team_id, day))
    from_status, to_status, version = _bump_location(session, location_id, None, UNPLANNED)
    _record(
        session,
        location_id,
        username,
        from_status,
        to_status,
        version,
        before,
        None,
        reason,
        f"location {location_id} unassigned",
    )
    return version


def reorder(
    session: Session,
    team_id: int,
    day: dt.date,
    ordered_ids: list[int],
    username: str,
    reason: str | None = None,
) -> list[Assignment]:
    """Set the whole order of a team-day (for example to the optimised route).

    Only assignments whose position changes get a new version and a history entry.
    ``ordered_ids`` must name exactly the team-day's assignments.
    """
    items = _team_day(session, team_id, day)
    by_id = {a.id: a for a in items}
    if sorted(ordered_ids) != sorted(by_id):
        raise PlanError("the new order must list exactly this team-day's visits")
    team = _team(session, team_id)
    for pos, aid in enumerate(ordered_ids):
        a = by_id[aid]
        if a.position == pos:
            continue
        before = _where(session, a)
        a.position = pos
        a.version += 1
        a.updated_at = utcnow()
        after = _where(session, a)
        from_status, to_status, version = _bump_location(session, a.location_id, None, None)
        _record(
            session,
            a.location_id,
            username,
            from_status,
            to_status,
            version,
            before,
            after,
            reason,
            f"location {a.location_id} now stop {pos + 1} for {team.call_sign}",
        )
    session.flush()
    return [by_id[i] for i in ordered_ids]


def team_day_route(session: Session, team_id: int, day: dt.date) -> tuple[list[Assignment], Route]:
    """The optimised order of a team-day's visits that are not yet done, from its start point."""
    team = _team(session, team_id)
    rows = session.execute(
        select(Assignment, Location.easting, Location.northing, Location.status)
        .join(Location, Location.id == Assignment.location_id)
        .where(Assignment.team_id == team_id, Assignment.day == day)
        .order_by(Assignment.position, Assignment.id)
    ).all()
    todo = [r for r in rows if r.status not in DONE_STATUSES]
    points = np.array([[r.easting, r.northing] for r in todo], dtype="float64").reshape(-1, 2)
    route = plan_route((team.start_easting, team.start_northing), points)
    return [todo[i].Assignment for i in route.order], route


def optimise_route(session: Session, team_id: int, day: dt.date, username: str) -> Route:
    """Reorder a team-day along its optimised route (visits already done keep their place first)."""
    ordered, route = team_day_route(session, team_id, day)
    done = [a for a in _team_day(session, team_id, day) if a not in ordered]
    reorder(session, team_id, day, [a.id for a in done + ordered], username, "route optimised")
    return route


# --- statuses ----------------------------------------------------------------------------------


def set_status(
    session: Session,
    location_id: int,
    status: str,
    expected_version: int,
    username: str,
    note: str | None = None,
    outcome: str | None = None,
    results: dict[str, int] | None = None,
) -> Location:
    """Move a location along the lifecycle (see :mod:`layers.core.status`), logged as an alteration.

    Going back to unplanned takes it off the plan in the same transaction.
    """
    loc = change_status(
        session, location_id, status, expected_version, username, note, outcome, results
    )
    if loc.status == UNPLANNED:
        session.execute(delete(Assignment).where(Assignment.location_id == location_id))
    processing_log.record(
        session,
        username,
        processing_log.ALTERATION,
        f"status: location {location_id} to {loc.status}" + (f" ({outcome})" if outcome else ""),
        records=[location_id],
    )
    return loc


# --- suggestions -------------------------------------------------------------------------------


@dataclass
class AcceptReport:
    """What accepting a suggestion did: assigned ids, and skipped ids with the reason."""

    assigned: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def accept_suggestion(
    session: Session, suggestion: Suggestion | list[dict[str, Any]], username: str
) -> AcceptReport:
    """Apply a reviewed suggestion. Locations a colleague changed meanwhile are skipped, not forced.

    A skip happens before anything is written for that location, so the rest still commit.
    """
    from layers.core.locations import VersionConflict

    rows = suggestion.as_records() if isinstance(suggestion, Suggestion) else suggestion
    report = AcceptReport()
    ordered = sorted(rows, key=lambda r: (r["team_id"], r["day"], r["position"]))
    for r in ordered:
        savepoint = session.begin_nested()
        try:
            result = assign(
                session,
                int(r["location_id"]),
                int(r["version"]),
                int(r["team_id"]),
                dt.date.fromisoformat(str(r["day"])),
                username,
                reason="suggested allocation accepted",
            )
        except VersionConflict as exc:
            savepoint.rollback()
            report.skipped[int(r["location_id"])] = exc.message()
            continue
        except (PlanError, NotFound, ValueError) as exc:
            savepoint.rollback()
            report.skipped[int(r["location_id"])] = str(exc)
            continue
        savepoint.commit()
        report.assigned.append(int(r["location_id"]))
        report.warnings.extend(w for w in result.warnings if w not in report.warnings)
    return report
