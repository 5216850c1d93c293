"""The operation's one time zone: every day a person reads is a Europe/London calendar day.

Stored times are timezone-aware UTC (:class:`layers.core.models.UTCDateTime`); screens, run
sheets, briefings and filters speak London days. This module is the only place that names the
zone, so a day boundary cannot differ between two screens.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd

LONDON_TZ = "Europe/London"
LONDON = ZoneInfo(LONDON_TZ)


def utc_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants at which the London calendar ``day`` starts and ends (23 to 25 hours)."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=LONDON)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=LONDON)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def local_days(stamps: pd.Series) -> pd.Series:
    """London calendar dates of tz-aware timestamps (vectorised)."""
    return stamps.dt.tz_convert(LONDON).dt.date


def localize_naive(naive: pd.Series) -> pd.Series:
    """Naive wall-clock times read as London time; a time the clocks skip moves forward and an
    ambiguous one (the hour repeated in October) becomes NaT rather than a guess."""
    return naive.dt.tz_localize(LONDON_TZ, ambiguous="NaT", nonexistent="shift_forward")


def today_local(now: dt.datetime | None = None) -> dt.date:
    """Today's London date (``now`` is injectable for tests)."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(LONDON).date()
