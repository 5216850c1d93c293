"""How a plan change is recorded: its history entry, its processing-log entry, its conflict.

Every plan change writes a history entry with action ``"plan"`` whose detail JSON holds
``before``/``after`` (team, day, position) and the ``reason``, plus a processing-log alteration,
in the same transaction as the change. A stale change is answered with :class:`PlanConflict`
naming the colleague's latest change, read from that history.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from layers.audit import processing_log
from layers.core.models import HistoryEntry, utcnow
from layers.planning.errors import PlanConflict
from layers.planning.models import Assignment, Team

logger = logging.getLogger(__name__)

PLAN_ACTION = "plan"


def where(session: Session, a: Assignment | None) -> dict[str, Any] | None:
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


def record(
    session: Session,
    location_id: int,
    username: str,
    statuses: tuple[str, str],
    new_version: int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str | None,
    summary: str,
) -> None:
    """The history entry and the processing-log entry of one plan change.

    ``statuses`` is the location's status before and after the change.
    """
    reason = (reason or "").strip() or None
    session.add(
        HistoryEntry(
            location_id=location_id,
            at=utcnow(),
            username=username,
            action=PLAN_ACTION,
            from_status=statuses[0],
            to_status=statuses[1],
            from_version=new_version - 1,
            to_version=new_version,
            note=reason,
            detail=json.dumps({"before": before, "after": after, "reason": reason}),
        )
    )
    processing_log.record(
        session, username, processing_log.ALTERATION, f"plan: {summary}", records=[location_id]
    )


def describe(after: dict[str, Any] | None) -> str:
    """A plan (as recorded in history) in a commander's words."""
    if after is None:
        return "unassigned it"
    day = dt.date.fromisoformat(after["day"])
    return f"planned it for {after['team']} on {day:%a %d %b}, stop {after['position'] + 1}"


def plan_conflict(session: Session, assignment_id: int, expected: int) -> PlanConflict:
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
        what = describe(json.loads(last.detail).get("after"))
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
