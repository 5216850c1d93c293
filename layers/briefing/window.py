"""The days and times a briefing may cover: inside the operation, whoever asks.

A briefing request names a day and the start of "new" intelligence (``since``). Both are bounded
here, once, for the screen, the pack route and the CLI alike: the day must be one of the
operation's days, and ``since`` must fall between the start of the operation and the briefing
itself, and at most :data:`MAX_WINDOW` before it. Without the bound, a briefing viewer could ask
for every tip-off and advert ever held (``since=1800``) and tie up the server building an hourly
timeline of two centuries. A request outside the bounds is refused with
:class:`BriefingRangeError` (HTTP 400), in the user's words; it is never silently widened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from config import Config
from layers.briefing.model import DEFAULT_OUTSTANDING, BriefingOptions, briefing_moment
from layers.core.clock import LONDON, today_local, utc_bounds
from layers.core.db import Database
from layers.core.models import Operation
from layers.core.operations import current_operation, operation_days

MAX_WINDOW = dt.timedelta(days=31)
"""The longest "new since" window, even in a longer operation (the timeline is hourly)."""
DEFAULT_WINDOW = dt.timedelta(hours=24)
"""Without a "since", new intelligence is that of the 24 hours before the briefing."""


class BriefingRangeError(ValueError):
    """A briefing day or time that is malformed or outside what the briefing may cover."""


@dataclass(frozen=True)
class Window:
    """The bounded window of one briefing: its day, moment, start of "new", and the week."""

    day: dt.date
    at: dt.datetime
    since: dt.datetime
    week: list[dt.date]


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(LONDON).strftime("%a %d %b %Y %H:%M")


def parse_day(text: str | None) -> dt.date | None:
    """A ``YYYY-MM-DD`` day from a request (``None`` when not given)."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise BriefingRangeError(f"the day must be a date like 2026-11-26, not {text!r}") from exc


def parse_since(text: str | None) -> dt.datetime | None:
    """A date and time from a request (London time when it names no zone; ``None`` if empty)."""
    if not text:
        return None
    try:
        since = dt.datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise BriefingRangeError(
            f"'new since' must be a date and time like 2026-11-25T08:00, not {text!r}"
        ) from exc
    return since if since.tzinfo else since.replace(tzinfo=LONDON)


def operation_week(operation: Operation | None, day: dt.date) -> list[dt.date]:
    """The days a briefing may be given for, refusing ``day`` outside them.

    With an operation, its days; without one, the Monday-to-Sunday week of ``day``, which must
    then be within a year of today (there is no operation to bound it).
    """
    week = operation_days(operation, day)
    if operation is not None and not week[0] <= day <= week[-1]:
        raise BriefingRangeError(
            f"the briefing day must be within the operation, {week[0]:%a %d %b %Y} to "
            f"{week[-1]:%a %d %b %Y}"
        )
    if operation is None and abs((day - today_local()).days) > 366:
        raise BriefingRangeError("the briefing day must be within a year of today")
    return week


def resolve_window(operation: Operation | None, options: BriefingOptions) -> Window:
    """The bounded window for ``options`` (see the module docstring)."""
    week = operation_week(operation, options.day)
    at = briefing_moment(options.day, options.now)
    start = utc_bounds(week[0])[0]
    earliest = max(start, at - MAX_WINDOW)
    if options.since is None:
        return Window(options.day, at, max(at - DEFAULT_WINDOW, earliest), week)
    since = options.since if options.since.tzinfo else options.since.replace(tzinfo=LONDON)
    since = since.astimezone(dt.UTC)
    if since < earliest:
        limit = "the start of the operation" if earliest == start else "31 days before"
        raise BriefingRangeError(
            f"'new since' must be from {_when(earliest)} ({limit}) to the briefing "
            f"at {_when(at)}"
        )
    if since > at:
        raise BriefingRangeError(f"'new since' must be before the briefing, {_when(at)}")
    return Window(options.day, at, since, week)


def default_day(session: Session, now: dt.datetime | None = None) -> dt.date:
    """The day a briefing is for when none is named: today, or the operation's nearest day."""
    today = today_local(now)
    operation = current_operation(session)
    if operation is None:
        return today
    return min(max(today, operation.start_date), operation.end_date)


def request_options(db: Database, config: Config, day: str | None,
                    since: str | None) -> BriefingOptions:
    """Options from a request's text and the deployment's settings (malformed text raises
    :class:`BriefingRangeError`; the range is checked when the briefing is built)."""
    parsed_day = parse_day(day)
    if parsed_day is None:
        with db.read() as session:
            parsed_day = default_day(session)
    return options_for(config, parsed_day, parse_since(since))


def options_for(config: Config, day: dt.date, since: dt.datetime | None) -> BriefingOptions:
    """The briefing of ``day`` with the deployment's settings of what the room may see."""
    return BriefingOptions(day=day, since=since, address_level=config.briefing_address,
                           outstanding_shows=config.briefing_outstanding or DEFAULT_OUTSTANDING)
