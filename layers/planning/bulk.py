"""Planning many locations at once: the planning page's "Assign selected" and an accepted
suggested plan (:func:`layers.planning.plan_time.accept_plan`), through one function with the
same row-by-row rules (and "Unassign selected").

Each location is planned in its own savepoint. One that cannot be planned (a colleague changed
it, it is already planned or closed, its team-day is full) is skipped with the reason, before
anything is written for it, and the rest still commit: a commander never loses a whole selection
to one stale row, and never has a row forced over a colleague's change.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from layers.core.errors import Conflict, NotFound, RuleError
from layers.core.locations import conflict
from layers.core.models import Location
from layers.core.status import PLANNED, STATUS_LABELS, UNPLANNED
from layers.planning.assignments import assign, unassign
from layers.planning.models import Assignment

logger = logging.getLogger(__name__)

ACCEPTED = "suggested allocation accepted"


@dataclass(frozen=True)
class AssignRequest:
    """One location to plan, at the version the commander saw, with the name they know it by."""

    location_id: int
    version: int
    team_id: int
    day: dt.date
    label: str = ""

    @property
    def name(self) -> str:
        """The reference a commander reads (the id when the location has none)."""
        return self.label or f"location {self.location_id}"


@dataclass
class BulkReport:
    """What a bulk change did: the location ids done, those skipped with the reason, warnings."""

    done: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def summary(self, verb: str = "Assigned") -> str:
        """One message for the commander: how many, then each skip and warning."""
        return " ".join([f"{verb} {len(self.done)}.", *self.skipped.values(), *self.warnings])


def refusal(session: Session, request: AssignRequest) -> str | None:
    """Why this location cannot be planned now (``None`` when it can), in the user's words.

    A colleague's change comes first: it names who changed it, which is what the commander
    needs to know even when it also means the location is already planned.
    """
    loc = session.get(Location, request.location_id, populate_existing=True)
    if loc is None:
        return f"{request.name} no longer exists."
    if loc.version != request.version:
        return f"{request.name}: {conflict(session, loc, request.version).message()}"
    if loc.status not in (UNPLANNED, PLANNED):
        return f"{request.name} is {STATUS_LABELS.get(loc.status, loc.status)}: not planned."
    planned = session.scalar(
        select(Assignment.id).where(Assignment.location_id == request.location_id)
    )
    if planned is not None and loc.status != UNPLANNED:
        return f"{request.name} is already planned: move it instead."
    return None


def _attempt(
    session: Session, report: BulkReport, location_id: int, name: str, change: Callable[[], Any]
) -> None:
    """Run one change in a savepoint: done, or rolled back and skipped with the reason."""
    savepoint = session.begin_nested()
    try:
        result = change()
    except Conflict as exc:
        savepoint.rollback()
        report.skipped[location_id] = f"{name}: {exc.message()}"
        return
    except (RuleError, NotFound, ValueError) as exc:
        savepoint.rollback()
        report.skipped[location_id] = f"{name}: {exc}."
        return
    savepoint.commit()
    report.done.append(location_id)
    warnings = getattr(result, "warnings", [])
    report.warnings.extend(w for w in warnings if w not in report.warnings)


def assign_many(
    session: Session,
    requests: Iterable[AssignRequest],
    username: str,
    *,
    reason: str | None = None,
    safety_note: str | None = None,
    over_capacity: bool = False,
) -> BulkReport:
    """Plan each request in turn (in the order given); skip, with the reason, any that cannot be."""
    report = BulkReport()
    for r in requests:
        why = refusal(session, r)
        if why is not None:
            report.skipped[r.location_id] = why
            continue
        _attempt(
            session,
            report,
            r.location_id,
            r.name,
            partial(
                assign,
                session,
                r.location_id,
                r.version,
                r.team_id,
                r.day,
                username,
                safety_note=safety_note,
                reason=reason,
                over_capacity=over_capacity,
            ),
        )
    logger.info(
        "bulk assign by %s: %d done, %d skipped", username, len(report.done), len(report.skipped)
    )
    return report


def unassign_many(
    session: Session, rows: Sequence[dict[str, Any]], username: str, reason: str | None = None
) -> BulkReport:
    """Take each grid row's location off the plan; skip, with the reason, any that cannot be."""
    report = BulkReport()
    for r in rows:
        location_id = int(r["id"])
        name = str(r.get("ref") or f"location {location_id}")
        _attempt(
            session,
            report,
            location_id,
            name,
            partial(
                unassign,
                session,
                int(r["assignment_id"]),
                int(r["assignment_version"]),
                username,
                reason,
            ),
        )
    return report


def selection_requests(
    rows: Sequence[dict[str, Any]], team_id: int, day: dt.date
) -> list[AssignRequest]:
    """The planning grid's selected rows as requests for one team-day, most urgent first."""
    ordered = sorted(rows, key=lambda r: (-float(r.get("priority") or 0), int(r["id"])))
    return [
        AssignRequest(int(r["id"]), int(r["version"]), team_id, day, str(r.get("ref") or ""))
        for r in ordered
    ]


def visible_selection(
    selected: Sequence[Any] | None,
    shown: Sequence[Any] | None,
    visible: Sequence[Any] | None,
) -> list[dict[str, Any]]:
    """The selected grid rows a commander can see now, as the grid shows them now.

    ``selected`` keeps each row as it was when it was ticked; ``shown`` (the grid's rows) is
    newer and is what a change must be based on. A row a filter hides (not in ``visible``, the
    rows after the grid's own filters; ``None`` before the grid has reported them) is never
    part of the change, even though it stays ticked.
    """
    by_id = {r["id"]: r for r in shown or [] if isinstance(r, dict) and "id" in r}
    seen = by_id if visible is None else {r["id"] for r in visible if isinstance(r, dict)}
    rows = [r for r in selected or [] if isinstance(r, dict) and "id" in r]
    return [by_id[r["id"]] for r in rows if r["id"] in by_id and r["id"] in seen]
