"""The clock the field rules read, injectable so tests move time instead of sleeping.

Services carries one (:attr:`layers.services.Services.clock`); the overdue rule and the action
log never call ``datetime.now`` themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from layers.core.models import utcnow

Clock = Callable[[], dt.datetime]
"""Returns the current time, timezone-aware UTC."""

system_clock: Clock = utcnow


@dataclass
class ManualClock:
    """A clock that moves only when told to (tests, benches and rehearsals)."""

    now: dt.datetime = field(default_factory=utcnow)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, minutes: float) -> dt.datetime:
        """Move time on by ``minutes`` and return the new time."""
        self.now = self.now + dt.timedelta(minutes=minutes)
        return self.now
