"""Capacity checks: how full each team-day is, and warnings when a plan asks too much.

Manual planning may go over capacity (a commander can know better: a short visit, an extra
officer), so it is warned, never silently refused; the suggested allocation never goes over.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CapacityWarning:
    """One team-day planned beyond its capacity."""

    team_id: int
    call_sign: str
    day: dt.date
    planned: int
    capacity: int

    def message(self) -> str:
        """The warning in a commander's words."""
        return (
            f"{self.call_sign} on {self.day:%a %d %b} has {self.planned} visits planned "
            f"for a capacity of {self.capacity} ({self.planned - self.capacity} over)."
        )


def over_allocation(
    loads: Mapping[tuple[int, dt.date], int],
    capacities: Mapping[int, int],
    call_signs: Mapping[int, str],
) -> list[CapacityWarning]:
    """Every team-day whose planned visits exceed the team's daily capacity, by day then team."""
    warnings = [
        CapacityWarning(team, call_signs.get(team, str(team)), day, n, capacities[team])
        for (team, day), n in loads.items()
        if team in capacities and n > capacities[team]
    ]
    return sorted(warnings, key=lambda w: (w.day, w.call_sign))

