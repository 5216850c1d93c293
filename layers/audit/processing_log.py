"""The lawful-processing log (Data Protection Act 2018, Part 3, s.62): who did what, when.

Every collection, alteration, consultation, disclosure, combination and erasure of personal
data is logged here by the feature that does it, with :func:`record`, *inside the same write
transaction* as the change so the change and its log entry commit (or roll back) together.

The table is append-only: the application never updates or deletes a row, and the migration
installs database triggers that refuse ``UPDATE`` and ``DELETE`` on both SQLite and PostgreSQL,
so a bug (or a hostile query) cannot quietly rewrite history.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import DateTime, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from layers.core.models import Base, utcnow
from layers.exports.cells import safe_header, safe_text

logger = logging.getLogger(__name__)

COLLECTION = "collection"
ALTERATION = "alteration"
CONSULTATION = "consultation"
DISCLOSURE = "disclosure"
COMBINATION = "combination"
ERASURE = "erasure"
ACTIONS: tuple[str, ...] = (
    COLLECTION,
    ALTERATION,
    CONSULTATION,
    DISCLOSURE,
    COMBINATION,
    ERASURE,
)

MAX_RECORD_IDS = 10_000
"""Record ids stored per entry; beyond this only the count is kept (a big import is one entry)."""


class _HasUsername(Protocol):
    username: str


class ProcessingLog(Base):
    """One append-only entry of the processing log."""

    __tablename__ = "processing_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    action: Mapped[str] = mapped_column(String(16), index=True)
    detail: Mapped[str] = mapped_column(Text)
    record_ids: Mapped[str] = mapped_column(Text, default="[]")
    record_count: Mapped[int] = mapped_column(Integer, default=0)
    justification: Mapped[str | None] = mapped_column(Text)

    @property
    def records(self) -> list[int]:
        """The ids of the records concerned (may be truncated: see ``record_count``)."""
        return [int(v) for v in json.loads(self.record_ids or "[]")]


def _ids(records: Iterable[int] | int | None) -> list[int]:
    if records is None:
        return []
    if isinstance(records, int):
        return [records]
    return [int(r) for r in records]


def record(
    session: Session,
    username: str | _HasUsername,
    action: str,
    detail: str,
    records: Sequence[int] | Iterable[int] | int | None = None,
    justification: str | None = None,
    count: int | None = None,
) -> None:
    """Add one entry to the processing log in ``session``'s transaction.

    ``username`` may be a string or a :class:`dashboard.access.Principal`. ``records`` are the
    ids of the locations (or other records) concerned; ``count`` is how many there are when
    ``records`` lists only the first of them (a big import is named by its import number). The
    caller's write transaction commits the entry together with the change it describes;
    nothing is committed here.
    """
    name = username if isinstance(username, str) else username.username
    if action not in ACTIONS:
        raise ValueError(f"unknown processing action {action!r}; use one of {ACTIONS}")
    if not name:
        raise ValueError("a processing log entry needs a username")
    ids = _ids(records)
    session.add(
        ProcessingLog(
            at=utcnow(),
            username=name,
            action=action,
            detail=detail,
            record_ids=json.dumps(ids[:MAX_RECORD_IDS]),
            record_count=len(ids) if count is None else max(count, len(ids)),
            justification=(justification or "").strip() or None,
        )
    )
    logger.debug("processing log: %s %s %s (%d records)", name, action, detail, count or len(ids))


@dataclass(frozen=True)
class LogFilter:
    """What the log viewer asks for; every field is optional."""

    username: str | None = None
    action: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    text: str | None = None
    record_id: int | None = None
    limit: int = 1000


def entries(session: Session, flt: LogFilter | None = None) -> list[ProcessingLog]:
    """Log entries matching ``flt``, newest first."""
    flt = flt or LogFilter()
    query = select(ProcessingLog).order_by(ProcessingLog.id.desc())
    if flt.username:
        query = query.where(ProcessingLog.username == flt.username)
    if flt.action:
        query = query.where(ProcessingLog.action == flt.action)
    if flt.since:
        query = query.where(ProcessingLog.at >= flt.since)
    if flt.until:
        query = query.where(ProcessingLog.at < flt.until)
    if flt.text:
        query = query.where(ProcessingLog.detail.contains(flt.text, autoescape=True))
    rows = list(session.scalars(query.limit(flt.limit if flt.record_id is None else None)))
    if flt.record_id is not None:
        rows = [r for r in rows if flt.record_id in r.records][: flt.limit]
    return rows


CSV_COLUMNS = ("id", "at_utc", "username", "action", "detail", "record_count", "records",
               "justification")


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def to_csv(rows: Iterable[ProcessingLog]) -> str:
    """The entries as CSV text for the admins' export."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_header(CSV_COLUMNS))
    for row in rows:
        writer.writerow(
            [
                row.id,
                _utc(row.at).isoformat(timespec="seconds"),
                safe_text(row.username),
                row.action,
                safe_text(row.detail),
                row.record_count,
                " ".join(str(r) for r in row.records),
                safe_text(row.justification),
            ]
        )
    return out.getvalue()
