"""Wall-clock times and datetimes to the solver's seconds, and back.

The solver counts seconds from one origin (see :mod:`layers.planning.solver.model`). People
speak London wall-clock times on calendar days: "Tuesday 22:00 to 02:00". A :class:`Horizon`
fixes the origin at London midnight of the plan's first day and converts both ways through
real instants, so a shift over the October clock change is an hour longer, as it is on the
street, and a shift whose end is not after its start ends the next morning.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from layers.core.clock import LONDON
from layers.planning.solver.model import Window

logger = logging.getLogger(__name__)

DAY = 24 * 3600


def parse_clock(text: str) -> dt.time:
    """A wall-clock time from "HH:MM" (what the API and the forms accept).

    Raises
    ------
    ValueError
        In the user's words, when the text is not a time of day.
    """
    try:
        hours, minutes = text.strip().split(":")
        return dt.time(int(hours), int(minutes))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a time of day; write it as HH:MM, e.g. 09:30") from exc


@dataclass(frozen=True)
class Horizon:
    """The plan's time line: second 0 is London midnight at the start of ``first_day``."""

    first_day: dt.date

    @property
    def origin(self) -> dt.datetime:
        """The instant of second 0 (tz-aware, London)."""
        return dt.datetime.combine(self.first_day, dt.time(0), tzinfo=LONDON)

    def seconds(self, when: dt.datetime) -> int:
        """Seconds from the origin to a tz-aware instant.

        Raises
        ------
        ValueError
            For a naive datetime: its zone would be a guess.
        """
        if when.tzinfo is None:
            raise ValueError("a time on the plan needs its time zone (got a naive datetime)")
        # Both in UTC: subtracting two datetimes that share a zone ignores the clock change.
        return round((when.astimezone(dt.UTC) - self.origin.astimezone(dt.UTC)).total_seconds())

    def at(self, seconds: int) -> dt.datetime:
        """The London local datetime of a second on the time line."""
        return (self.origin.astimezone(dt.UTC) + dt.timedelta(seconds=seconds)).astimezone(LONDON)

    def clock(self, day: dt.date, time: dt.time | str) -> int:
        """Seconds at wall-clock ``time`` on calendar ``day`` (London)."""
        wall = parse_clock(time) if isinstance(time, str) else time
        return self.seconds(dt.datetime.combine(day, wall, tzinfo=LONDON))

    def span(self, day: dt.date, start: dt.time | str, end: dt.time | str) -> Window:
        """The window from ``start`` on ``day`` to ``end``, which is the next day when it is not
        later than ``start`` (22:00-02:00 crosses midnight; 00:00-00:00 is the whole day)."""
        first = parse_clock(start) if isinstance(start, str) else start
        last = parse_clock(end) if isinstance(end, str) else end
        end_day = day + dt.timedelta(days=1) if last <= first else day
        return Window(self.clock(day, first), self.clock(end_day, last))

    def label(self, seconds: int) -> str:
        """A time a person reads: "Tue 01 Dec 22:00"."""
        return self.at(seconds).strftime("%a %d %b %H:%M")
