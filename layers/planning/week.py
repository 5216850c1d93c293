"""The days a commander plans: which day a page opens on, and whether a day is in the operation.

Pages open on today when today is a day of the operation (a commander at work wants today's
plan), otherwise on the operation's first day (planning ahead, or looking back afterwards).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from layers.core.errors import NotFound
from layers.core.operations import current_operation, operation_days


class OutsideOperation(NotFound):
    """A day outside the operation: there is nothing planned, nor to plan, on it."""


def default_day(days: list[dt.date], today: dt.date | None = None) -> dt.date | None:
    """Today if it is one of ``days``, else the first of them (``None`` without days)."""
    today = today or dt.date.today()
    if today in days:
        return today
    return days[0] if days else None


def days_ahead(days: list[dt.date], today: dt.date) -> list[dt.date]:
    """The days still to come (today included); all of them when the operation is over or
    has not begun, so a suggestion is always for some day of the operation."""
    return [d for d in days if d >= today] or days


def week_days(session: Session) -> list[dt.date]:
    """The days of the current operation (the week containing today when there is none)."""
    return operation_days(current_operation(session))


def check_in_operation(session: Session, day: dt.date, what: str = "plan") -> None:
    """Refuse a day outside the current operation with a message that gives its dates."""
    days = week_days(session)
    if day not in days:
        raise OutsideOperation(
            f"{day:%a %d %b %Y} is outside the operation ({days[0]:%a %d %b} to "
            f"{days[-1]:%a %d %b %Y}): there is no {what} for it"
        )
