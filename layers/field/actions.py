"""Applying a phone's actions exactly once, in order, through the location lifecycle.

Each action carries an idempotency key. The first time a key arrives its answer (applied, or
refused with the reason in plain words) is stored in ``field_actions`` in the same
transaction as the change; the same key again gets that stored answer and changes nothing.
Every status change goes through :func:`layers.planning.status_changes.set_status` with the version
the team saw (or, for a step queued behind another, the version that step left), so a field
update and a commander's change to the same stop can never both apply silently. History rows
keep the time the team did the action, not the time it reached the server.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from layers.audit import processing_log
from layers.core.errors import Conflict, NotFound, RuleError
from layers.core.locations import conflict
from layers.core.models import HistoryEntry, Location
from layers.core.status import IN_PROGRESS, PLANNED, UNPLANNED
from layers.field.requests import REASONS, ActionRequest
from layers.field.stops import DEFAULT_VISIT_MINUTES, require_own_stop
from layers.field.tables import FieldAction, Visit
from layers.planning.models import Team
from layers.planning.status_changes import set_status

logger = logging.getLogger(__name__)

APPLIED = "applied"
REFUSED = "refused"
LABELS = {"on_way": "On my way", "arrived": "Arrived", "done": "Done", "cant_visit": "Can't visit"}


@dataclass(frozen=True)
class ActionResult:
    """The answer to one action; the same answer every time its key arrives."""

    key: str
    state: str
    version: int | None
    message: str | None
    done_at: str

    def as_dict(self) -> dict[str, Any]:
        """The answer as JSON."""
        return {"key": self.key, "state": self.state, "version": self.version,
                "message": self.message, "done_at": self.done_at}


def _answer(row: FieldAction) -> ActionResult:
    return ActionResult(row.key, row.state, row.version, row.message, row.done_at.isoformat())


def stored_answer(session: Session, key: str) -> ActionResult | None:
    """The answer already given to ``key``, if it has arrived before."""
    row = session.get(FieldAction, key)
    return _answer(row) if row is not None else None


def _expected(session: Session, req: ActionRequest) -> int:
    """The version this action was based on: the phone's, or what the step before it left."""
    if req.after is None:
        if req.version is None:  # parse_action requires one without ``after``
            raise ValueError("req.version is required here")
        return req.version
    before = session.get(FieldAction, req.after)
    if before is None:
        raise RuleError("Not saved: the step before it has not reached the server yet.")
    if before.state != APPLIED or before.version is None:
        raise RuleError("Not saved: the step before it was not saved either.")
    return before.version


def _stamp(session: Session, location_id: int, versions: range, at: dt.datetime) -> None:
    """Give the history rows that produced ``versions`` the time the team did the action."""
    entries = session.scalars(
        select(HistoryEntry).where(
            HistoryEntry.location_id == location_id,
            HistoryEntry.to_version.in_(list(versions)),
        )
    )
    for entry in entries:
        entry.at = at


def _move(
    session: Session, req: ActionRequest, username: str, status: str | None, version: int,
    outcome: str | None = None,
) -> int:
    """One save through the lifecycle at ``version`` (it may record several steps, e.g.
    visited on the way to an outcome); returns the version it leaves."""
    note = f"{LABELS[req.kind]} (field)" + (f": {req.note}" if req.note else "")
    results = req.results if outcome == "actioned" else None
    loc = set_status(session, req.location_id, status, version, username, note, outcome, results)
    _stamp(session, req.location_id, range(version + 1, loc.version + 1), req.done_at)
    return loc.version


def _visit(session: Session, team: Team, location_id: int) -> Visit:
    """The team's open visit to the location, or a new one."""
    visit = session.scalars(
        select(Visit)
        .where(Visit.team_id == team.id, Visit.location_id == location_id,
               Visit.left_at.is_(None))
        .order_by(Visit.id.desc())
    ).first()
    if visit is None:
        visit = Visit(team_id=team.id, location_id=location_id,
                      expected_minutes=DEFAULT_VISIT_MINUTES)
        session.add(visit)
    return visit


def _close(session: Session, req: ActionRequest, username: str, version: int, outcome: str) -> int:
    """Close the visit with ``outcome``; the lifecycle records visited on the way.

    A team that cannot visit a stop it has not reached yet and postpones it sends it back to
    planning (unplanned), since only a commander can move it to another day.
    """
    loc = session.get(Location, req.location_id, populate_existing=True)
    if outcome == "postponed" and loc is not None and loc.status == PLANNED:
        return _move(session, req, username, UNPLANNED, version)
    return _move(session, req, username, None, version, outcome)


def _on_way(session: Session, req: ActionRequest, version: int) -> int:
    """"On my way" changes no status but still checks the team saw the current version."""
    loc = session.get(Location, req.location_id, populate_existing=True)
    if loc is None:
        raise NotFound(f"no location {req.location_id}")
    if loc.version != version:
        raise conflict(session, loc, version)
    if loc.status != PLANNED:
        raise RuleError("This stop is no longer waiting for a visit.")
    return version


def _perform(session: Session, team: Team, username: str, req: ActionRequest) -> int:
    """Carry out ``req`` (inside the caller's savepoint); returns the version it leaves."""
    version = _expected(session, req)
    visit = _visit(session, team, req.location_id)
    if req.kind == "on_way":
        version = _on_way(session, req, version)
        visit.on_way_at = req.done_at
    elif req.kind == "arrived":
        version = _move(session, req, username, IN_PROGRESS, version)
        visit.arrived_at = req.done_at
        visit.due_at = req.done_at + dt.timedelta(minutes=visit.expected_minutes)
    else:
        outcome = req.outcome if req.kind == "done" else REASONS[str(req.reason)]
        version = _close(session, req, username, version, str(outcome))
        visit.left_at, visit.result = req.done_at, outcome
    session.flush()
    return version


def apply_action(
    session: Session, team: Team, username: str, req: ActionRequest, now: dt.datetime
) -> ActionResult:
    """Apply ``req`` once. A repeat of its key returns the first answer and changes nothing.

    A stale version, a step the lifecycle refuses or a stop taken off the plan is stored as
    ``refused`` with the reason in plain words, so the phone shows it and never retries it.
    """
    earlier = stored_answer(session, req.key)
    if earlier is not None:
        return earlier
    require_own_stop(session, team, req.location_id, now)
    state, version, message = APPLIED, None, None
    savepoint = session.begin_nested()
    try:
        version = _perform(session, team, username, req)
        savepoint.commit()
    except Conflict as exc:
        savepoint.rollback()
        state, message = REFUSED, exc.message()
    except (RuleError, NotFound) as exc:
        savepoint.rollback()
        text = str(exc)
        state, message = REFUSED, text if text.startswith("Not saved") else f"Not saved: {text}"
    row = FieldAction(
        key=req.key, username=username, team_id=team.id, location_id=req.location_id,
        kind=req.kind, done_at=req.done_at, received_at=now, state=state, version=version,
        message=message,
    )
    session.add(row)
    _log(session, username, team, req, state)
    session.flush()
    return _answer(row)


def _log(session: Session, username: str, team: Team, req: ActionRequest, state: str) -> None:
    what = {"arrived": "check-in", "done": "check-out", "cant_visit": "check-out (not visited)",
            "on_way": "on the way"}[req.kind]
    processing_log.record(
        session, username, processing_log.ALTERATION,
        f"field: {team.call_sign} {what} at location {req.location_id} "
        f"done {req.done_at:%H:%M:%S} UTC ({state})",
        records=[req.location_id],
    )
