"""The operation (the week of action) and its days."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from layers.core.models import Operation


def current_operation(session: Session) -> Operation | None:
    """The most recently created operation, if any."""
    return session.scalars(select(Operation).order_by(Operation.id.desc()).limit(1)).first()


def operation_days(operation: Operation | None, today: dt.date | None = None) -> list[dt.date]:
    """The days of the operation; without one, the Monday-to-Sunday week containing today."""
    if operation is None:
        today = today or dt.date.today()
        start = today - dt.timedelta(days=today.weekday())
        end = start + dt.timedelta(days=6)
    else:
        start, end = operation.start_date, operation.end_date
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
