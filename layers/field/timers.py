"""Check-in timers: the overdue rule, its alerts, their acknowledgement and each team's state.

A visit's deadline is its arrival plus the expected duration. Once the clock passes the
deadline plus the grace time and the team has not checked out, one alert is raised; it stays
open (even after the team checks out) until a commander acknowledges it with a note, because
a late check-out is itself something a person must look at. Time comes from the caller's
clock (:mod:`layers.field.clock`), never from ``datetime.now`` here.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from layers.audit import processing_log
from layers.core.clock import LONDON, today_local
from layers.core.errors import NotFound, RuleError
from layers.core.models import HistoryEntry, Location
from layers.field.tables import FieldAction, OverdueAlert, Visit
from layers.planning.models import Team

logger = logging.getLogger(__name__)

DEFAULT_GRACE_MINUTES = 15
SYSTEM = "system"
MAX_ACK_NOTE = 500


def is_overdue(visit: Visit, now: dt.datetime, grace_minutes: int) -> bool:
    """Whether ``visit`` is past its deadline by the grace time with no check-out."""
    if visit.due_at is None or visit.left_at is not None:
        return False
    return now >= visit.due_at + dt.timedelta(minutes=grace_minutes)


def _history(session: Session, location_id: int, username: str, action: str, note: str) -> None:
    """A history row that changes no status (the location's version stays as it is)."""
    version = session.scalar(select(Location.version).where(Location.id == location_id)) or 0
    session.add(HistoryEntry(
        location_id=location_id, username=username, action=action, from_version=version,
        to_version=version, note=note,
    ))


def raise_overdue(session: Session, now: dt.datetime, grace_minutes: int) -> list[OverdueAlert]:
    """Raise one alert for each visit newly overdue at ``now``; returns the new alerts."""
    alerted = select(OverdueAlert.visit_id)
    candidates = session.scalars(
        select(Visit).where(
            Visit.due_at.is_not(None), Visit.left_at.is_(None), Visit.id.not_in(alerted)
        )
    )
    raised = []
    for visit in candidates:
        if not is_overdue(visit, now, grace_minutes):
            continue
        alert = OverdueAlert(visit_id=visit.id, team_id=visit.team_id,
                             location_id=visit.location_id, raised_at=now)
        session.add(alert)
        team = session.get(Team, visit.team_id)
        sign = team.call_sign if team else f"team {visit.team_id}"
        due = visit.due_at.astimezone(LONDON) if visit.due_at else now
        text = f"Overdue: {sign} has not checked out (due {due:%H:%M}, grace {grace_minutes} min)"
        _history(session, visit.location_id, SYSTEM, "alert", text)
        processing_log.record(session, SYSTEM, processing_log.ALTERATION,
                              f"field: {text}", records=[visit.location_id])
        logger.warning("%s at location %d", text, visit.location_id)
        raised.append(alert)
    session.flush()
    return raised


def acknowledge(
    session: Session, alert_id: int, username: str, note: str, now: dt.datetime
) -> OverdueAlert:
    """Close an alert with a commander's note (who they called, what they found)."""
    note = (note or "").strip()
    if not note:
        raise RuleError("Say what you did about it: an acknowledgement needs a note.")
    if len(note) > MAX_ACK_NOTE:
        raise RuleError(f"Keep the note under {MAX_ACK_NOTE} characters.")
    alert = session.get(OverdueAlert, alert_id, with_for_update=True)
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    if alert.acknowledged_at is not None:
        raise RuleError(f"{alert.acknowledged_by} already acknowledged this alert.")
    alert.acknowledged_by, alert.acknowledged_at, alert.note = username, now, note
    _history(session, alert.location_id, username, "alert_ack",
             f"Overdue alert acknowledged: {note}")
    processing_log.record(session, username, processing_log.ALTERATION,
                          f"field: overdue alert {alert_id} acknowledged: {note}",
                          records=[alert.location_id])
    session.flush()
    return alert


@dataclass(frozen=True)
class AlertView:
    """An open alert as a commander's screen shows it."""

    id: int
    call_sign: str
    address: str | None
    arrived_at: str | None
    due_at: str | None
    raised_at: str

    def as_dict(self) -> dict[str, Any]:
        """The alert as JSON."""
        return asdict(self)


def open_alerts(session: Session) -> list[AlertView]:
    """Every alert no commander has acknowledged yet, oldest first."""
    rows = session.execute(
        select(OverdueAlert, Team.call_sign, Location.address, Visit.arrived_at, Visit.due_at)
        .join(Team, Team.id == OverdueAlert.team_id)
        .join(Location, Location.id == OverdueAlert.location_id)
        .join(Visit, Visit.id == OverdueAlert.visit_id)
        .where(OverdueAlert.acknowledged_at.is_(None))
        .order_by(OverdueAlert.raised_at, OverdueAlert.id)
    ).all()
    return [
        AlertView(a.id, sign, address, _iso(arrived), _iso(due), a.raised_at.isoformat())
        for a, sign, address, arrived, due in rows
    ]


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class TeamState:
    """What one team is doing now: idle, travelling, on site (since when) or overdue."""

    team_id: int
    call_sign: str
    state: str
    since: str | None
    location_id: int | None
    address: str | None

    def as_dict(self) -> dict[str, Any]:
        """The state as JSON."""
        return asdict(self)


def team_states(session: Session, now: dt.datetime, grace_minutes: int) -> list[TeamState]:
    """Each team's state from its latest open visit today (London)."""
    start = dt.datetime.combine(today_local(now), dt.time(0), tzinfo=LONDON)
    open_visits = session.execute(
        select(Visit, Location.address)
        .join(Location, Location.id == Visit.location_id)
        .where(Visit.left_at.is_(None))
        .order_by(Visit.id)
    ).all()
    latest: dict[int, tuple[Visit, str | None]] = {}
    for visit, address in open_visits:
        moved = visit.arrived_at or visit.on_way_at
        if moved is not None and moved >= start:
            latest[visit.team_id] = (visit, address)
    states = []
    for team in session.scalars(select(Team).order_by(Team.call_sign)):
        found = latest.get(team.id)
        if found is None:
            states.append(TeamState(team.id, team.call_sign, "idle", None, None, None))
            continue
        visit, address = found
        if is_overdue(visit, now, grace_minutes):
            state, since = "overdue", visit.due_at
        elif visit.arrived_at is not None:
            state, since = "on_site", visit.arrived_at
        else:
            state, since = "travelling", visit.on_way_at
        states.append(TeamState(team.id, team.call_sign, state, _iso(since),
                                visit.location_id, address))
    return states



def field_board(session: Session, now: dt.datetime, grace_minutes: int) -> dict[str, Any]:
    """What a commander's screen shows: new alerts raised, then team states and open alerts.

    Raising happens on every read, so the alert reaches the first commander screen that polls
    after the grace time, with no background worker to fail silently.
    """
    raise_overdue(session, now, grace_minutes)
    return {
        "now": now.isoformat(),
        "grace_minutes": grace_minutes,
        "teams": [s.as_dict() for s in team_states(session, now, grace_minutes)],
        "alerts": [a.as_dict() for a in open_alerts(session)],
        "updates": recent_updates(session, now),
    }


def recent_updates(session: Session, now: dt.datetime, limit: int = 50) -> list[dict[str, Any]]:
    """Today's check-outs as teams recorded them, newest first, each with the time it was done."""
    start = dt.datetime.combine(today_local(now), dt.time(0), tzinfo=LONDON)
    rows = session.execute(
        select(FieldAction, Team.call_sign, Location.address, Location.outcome)
        .join(Team, Team.id == FieldAction.team_id)
        .join(Location, Location.id == FieldAction.location_id)
        .where(FieldAction.state == "applied", FieldAction.kind.in_(("done", "cant_visit")),
               FieldAction.done_at >= start)
        .order_by(FieldAction.done_at.desc())
        .limit(limit)
    ).all()
    return [
        {"location_id": a.location_id, "call_sign": sign, "address": address,
         "outcome": outcome, "done_at": a.done_at.isoformat(),
         "received_at": a.received_at.isoformat()}
        for a, sign, address, outcome in rows
    ]
