"""The planning domain's errors, in the commander's words.

- :class:`PlanError`: a plan change the rules refuse (HTTP 422), e.g. moving a closed visit.
- :class:`OverCapacity`: a team-day already full; planning more needs an explicit override.
- :class:`NothingToDo`: a request with nothing to act on, said as such rather than as a failure.
- :class:`StalePlan`: a re-plan accepted after its team-day changed (HTTP 409).
- :class:`PlanConflict`: a change based on an assignment version a colleague has already
  changed (HTTP 409); it names who changed what, so the commander can decide.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from layers.core.errors import Conflict, RuleError


class PlanError(RuleError):
    """A plan change that cannot be made, with the reason in a commander's words."""


class NothingToDo(PlanError):
    """A request with nothing to act on (e.g. optimising a day with no stops): not a failure."""


class OverCapacity(PlanError):
    """The team-day is full: planning one more visit needs the over-capacity override."""

    def __init__(self, call_sign: str, day: dt.date, planned: int, capacity: int) -> None:
        super().__init__(
            f"{call_sign} on {day:%a %d %b} is full ({planned} of {capacity} visits): "
            "allow over capacity to plan more"
        )
        self.call_sign = call_sign
        self.day = day
        self.planned = planned
        self.capacity = capacity


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


@dataclass
class StalePlan(Conflict):
    """A re-plan proposed on a team-day that has changed since (HTTP 409): propose again."""

    what: str

    def message(self) -> str:
        """What changed, and what to do."""
        return f"Not saved: {self.what}. Re-plan again and review the new proposal."

    def as_dict(self) -> dict[str, Any]:
        """The conflict for a JSON response."""
        return {"error": "conflict", "message": self.message(), "what": self.what}
