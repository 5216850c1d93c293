"""Why a visit is left out of the plan: skill, shift, window or capacity, by checks a person can
repeat.

The engine only says *which* visits it could not fit. A commander needs to know what to change
(call in an interpreter, extend a shift, visit on another day, add a team), so each left-out
visit is tested on its own against each team, in this order:

1. **skill** - no team on the plan has every skill the visit needs;
2. **window** (too short) - its opening times are all shorter than the visit itself;
3. **shift** - for every team with the skills, the drive out, the visit and the drive back
   (plus the team's break) take longer than what is left of its shift (all of it when
   planning ahead; from where the team is and the time now, when re-planning);
4. **window** - some of those shifts are long enough, but no team with the skills can be on
   the premises, from arrival to departure, inside an opening window and inside its shift;
5. **capacity** - otherwise: one able team could do this visit alone, but the shifts (their
   time, stop cap or load) are taken by other visits. The engine plans the largest total of
   priorities first, so high-priority visits are the last to be left out.

Each test looks at the visit alone, so "capacity" is the honest remainder: the visit is
possible, the week is full. The break is counted as time taken from the shift, wherever it
falls.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from layers.planning.solver.model import Key, Point, Reason, Team, Unplanned, Visit, Window

logger = logging.getLogger(__name__)


def default_label(seconds: int) -> str:
    """A time on the plan without a calendar: "day 2 01:30" (day 1 starts at second 0)."""
    day, rest = divmod(seconds, 24 * 3600)
    return f"day {day + 1} {rest // 3600:02d}:{rest % 3600 // 60:02d}"


def span_text(seconds: int) -> str:
    """A duration a person reads: "45 min", "2 h 05 min"."""
    minutes = -(-seconds // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


@dataclass(frozen=True)
class Explainer:
    """Tests a left-out visit against every team (see the module notes for the order)."""

    teams: Sequence[Team]
    free: Mapping[Key, tuple[Point, int]]
    between: Callable[[Point, Point], int]
    label: Callable[[int], str]

    def explain(self, visit: Visit) -> Unplanned:
        """The reason ``visit`` cannot be planned, with the figures behind it."""
        able = [t for t in self.teams if visit.skills <= t.skills]
        if not able:
            return Unplanned(visit.id, Reason.SKILL, self._skills_text(visit))
        windows = visit.service_windows()
        if visit.windows and not windows:
            return Unplanned(visit.id, Reason.WINDOW, (
                f"every window it may be visited in is shorter than the visit "
                f"({span_text(visit.duration)})"))
        needs = {t.id: self._round_trip(t, visit) for t in able}
        left = {t.id: t.shift.end - self.free[t.id][1] for t in able}
        long_enough = [t for t in able if needs[t.id] <= left[t.id]]
        if not long_enough:
            return Unplanned(visit.id, Reason.SHIFT, (
                f"with the drive there and back it needs at least "
                f"{span_text(min(needs.values()))}; no team with the skills has that long "
                f"(the most time left in a shift is {span_text(max(0, *left.values()))})"))
        if not any(self._fits_window(t, visit, windows) for t in long_enough):
            return Unplanned(visit.id, Reason.WINDOW, (
                f"no team with the skills can be there within its window "
                f"({self._windows_text(visit)}) during its shift"))
        return Unplanned(visit.id, Reason.CAPACITY, self._capacity_text(visit, long_enough))

    def _round_trip(self, team: Team, visit: Visit) -> int:
        """Seconds the visit takes from a team's shift: out, on site, back, and the break."""
        rest = team.rest.duration if team.rest else 0
        out = self.between(self.free[team.id][0], visit.location)
        back = self.between(visit.location, team.end_point)
        return out + visit.duration + back + rest

    def _fits_window(self, team: Team, visit: Visit, windows: list[Window]) -> bool:
        """Whether the team alone could start the visit inside a window and be home in time."""
        rest = team.rest.duration if team.rest else 0
        where, when = self.free[team.id]
        earliest = when + self.between(where, visit.location)
        latest = (team.shift.end - self.between(visit.location, team.end_point) - rest
                  - visit.duration)
        if not windows:
            return earliest <= latest
        return any(max(w.start, earliest) <= min(w.end, latest) for w in windows)

    def _skills_text(self, visit: Visit) -> str:
        held = frozenset().union(*(t.skills for t in self.teams))
        missing = sorted(visit.skills - held)
        if missing:
            return f"no team on the plan has: {', '.join(missing)}"
        return f"no single team has all of: {', '.join(sorted(visit.skills))}"

    def _windows_text(self, visit: Visit) -> str:
        shown = [f"{self.label(w.start)}-{self.label(w.end)}" for w in visit.windows[:3]]
        more = len(visit.windows) - len(shown)
        return ", ".join(shown) + (f" and {more} more" if more > 0 else "")

    def _capacity_text(self, visit: Visit, able: list[Team]) -> str:
        if all(t.capacity is not None and t.capacity < visit.demand for t in able):
            return f"its load ({visit.demand}) is more than any able team can take"
        return (f"{len(able)} team shift(s) could do it, but they are full with other visits "
                "(the highest priorities are planned first); add a team or allow another day")
