"""The planning problem and its answer, in the solver's one unit: seconds from the plan's origin.

A routing engine thinks in integer seconds on one time line, so every instant here (shift ends,
visit windows, arrival times) is a count of seconds from the plan's origin, usually midnight
(London) of the first day: a shift from 22:00 to 02:00 is simply ``Window(79200, 93600)``, so
crossing midnight needs no special case. :class:`layers.planning.solver.horizon.Horizon` turns
wall-clock times and datetimes into these seconds and back, daylight saving included.

The types are plain frozen dataclasses so a plan can be built, checked and tested without a
database; the engine adapter (:mod:`layers.planning.solver.engine`) is the only code that knows
VROOM.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import StrEnum

logger = logging.getLogger(__name__)

Key = int | str
"""A team's or visit's identifier as the caller knows it (a database id, or a label)."""

Point = tuple[float, float]
"""A place as (longitude, latitude) in WGS84 degrees, as stored; the travel source measures it."""

MAX_PRIORITY = 100
"""VROOM's priority scale is 0..100; the solver first maximises the planned priority total."""


@dataclass(frozen=True)
class Window:
    """A closed interval of time, ``[start, end]`` in seconds from the plan's origin."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a window cannot end before it starts ({self.start}..{self.end})")

    @classmethod
    def minutes(cls, start: float, end: float) -> Window:
        """A window given in minutes from the origin (e.g. ``Window.minutes(22 * 60, 26 * 60)``
        for 22:00 to 02:00 the next morning)."""
        return cls(round(start * 60), round(end * 60))

    @property
    def length(self) -> int:
        """Seconds from start to end."""
        return self.end - self.start


@dataclass(frozen=True)
class BreakRule:
    """A break the team must take during its shift: it starts inside ``window`` and lasts
    ``duration`` seconds. The engine places it where it costs the plan least."""

    window: Window
    duration: int

    def __post_init__(self) -> None:
        if self.duration < 0:
            raise ValueError("a break cannot last a negative time")


@dataclass(frozen=True)
class Position:
    """Where a team is and at what time: a re-plan continues from here."""

    point: Point
    time: int


@dataclass(frozen=True)
class Team:
    """One team on one shift (a week plan has one per team and day).

    ``start`` and ``end`` are its bases (``end`` ``None``: back at ``start``, the usual
    station); ``max_stops`` caps the number of visits whatever the shift would allow;
    ``capacity`` is a load limit matched against :attr:`Visit.demand` (e.g. seats to bring
    people back); ``position`` is set during the day, when the team is re-planned from where
    it is.
    """

    id: Key
    shift: Window
    start: Point
    end: Point | None = None
    skills: frozenset[str] = frozenset()
    rest: BreakRule | None = None
    max_stops: int | None = None
    capacity: int | None = None
    position: Position | None = None

    @property
    def end_point(self) -> Point:
        """Where the shift ends: the end base, or the start base when none is given."""
        return self.start if self.end is None else self.end


@dataclass(frozen=True)
class Fixed:
    """A visit that has started (or is done): which team holds it and when it began.

    The plan keeps it exactly there, so the rest of that team's day is built around it.
    """

    team: Key
    start: int


@dataclass(frozen=True)
class Visit:
    """A premises to visit.

    ``windows`` are the intervals the team may be *on the premises* (the visit starts and ends
    inside one of them); none means any time within a shift. A week plan gives one window per
    day the premises may be visited (opening hours of each allowed day). ``duration`` is the
    expected time on the premises, in seconds. ``priority`` (0..100) decides what is left out
    when not everything fits: the highest priorities are planned first.
    """

    id: Key
    location: Point
    windows: tuple[Window, ...] = ()
    duration: int = 0
    skills: frozenset[str] = frozenset()
    priority: int = 0
    demand: int = 0
    fixed: Fixed | None = None
    done: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.priority <= MAX_PRIORITY:
            raise ValueError(f"visit {self.id}: priority must be 0..{MAX_PRIORITY}")
        if self.duration < 0:
            raise ValueError(f"visit {self.id}: the duration cannot be negative")
        if self.done and self.fixed is None:
            raise ValueError(f"visit {self.id}: a done visit must say which team did it and when")

    def service_windows(self) -> list[Window]:
        """When the visit may *start*: each window shortened by the duration (the engine's
        meaning of a window), dropping windows too short to hold the visit at all and joining
        overlapping ones (the engine refuses them)."""
        starts = sorted(
            (w.start, w.end - self.duration) for w in self.windows if w.length >= self.duration
        )
        merged: list[Window] = []
        for start, end in starts:  # the engine refuses overlapping windows: join them
            if merged and start <= merged[-1].end:
                merged[-1] = Window(merged[-1].start, max(merged[-1].end, end))
            else:
                merged.append(Window(start, end))
        return merged


@dataclass(frozen=True)
class Problem:
    """Teams (one per shift) and the visits to share among them."""

    teams: tuple[Team, ...]
    visits: tuple[Visit, ...]

    def __post_init__(self) -> None:
        for what, keys in (
            ("team", [t.id for t in self.teams]),
            ("visit", [v.id for v in self.visits]),
        ):
            if len(set(keys)) != len(keys):
                raise ValueError(f"two {what}s share an id; every {what} needs its own")
        teams = {t.id for t in self.teams}
        for visit in self.visits:
            if visit.fixed is not None and visit.fixed.team not in teams:
                raise ValueError(f"visit {visit.id} is fixed to team {visit.fixed.team}, "
                                 "which is not in the plan")


class Reason(StrEnum):
    """Why a visit could not be planned (see :mod:`layers.planning.solver.reasons`)."""

    SKILL = "skill"
    SHIFT = "shift"
    WINDOW = "window"
    CAPACITY = "capacity"


@dataclass(frozen=True)
class Stop:
    """A planned visit: when the team arrives, starts (after waiting for the window) and leaves.

    ``travel`` is the driving time from the previous place (base or visit), in seconds.
    """

    visit_id: Key
    arrival: int
    start: int
    departure: int
    travel: int
    fixed: bool = False


@dataclass(frozen=True)
class BreakTaken:
    """When the team takes its break (between two places on its route)."""

    start: int
    end: int


@dataclass(frozen=True)
class Route:
    """One team's planned shift: leaving base, the stops in order, back at the end base.

    ``back`` is when the team's work ends at its end base (after its break, if it takes the
    break there); ``travel`` is the total driving time in seconds.
    """

    team_id: Key
    shift: Window
    leave: int
    back: int
    stops: tuple[Stop, ...]
    rest: BreakTaken | None
    travel: int

    @property
    def shift_left(self) -> int:
        """Seconds of the shift still free after the team is back at base."""
        return self.shift.end - self.back


@dataclass(frozen=True)
class Unplanned:
    """A visit the plan leaves out, why, and the reason in the commander's words."""

    visit_id: Key
    reason: Reason
    detail: str


@dataclass(frozen=True)
class Plan:
    """The solver's answer: a route per team used, and every visit left out with its reason."""

    routes: tuple[Route, ...]
    unplanned: tuple[Unplanned, ...]
    seconds: float = 0.0
    by_team: dict[Key, Route] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_team", {r.team_id: r for r in self.routes})

    def route(self, team_id: Key) -> Route | None:
        """The route of ``team_id`` (``None`` when the plan gives that team nothing to do)."""
        return self.by_team.get(team_id)
