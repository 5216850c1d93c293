"""Ending the operation lawfully: close it, hand over the records, erase them when their time is up.

The Management of Police Information guidance and the DPA 2018 Part 3 expect records to be
kept no longer than needed, and each erasure to be logged (s.62). So:

1. :func:`close_operation` makes the operation read-only (:mod:`layers.core.closure`), then
   writes the records pack (:mod:`.pack`) for the force's records system, and fixes when the
   records fall due for erasure and how (``delete``, or ``statistics``: anonymous counts kept).
2. :func:`erase_due`, run on a schedule (``python app.py maintenance prune``), erases the
   records once that time has passed, keeping accounts, the operation's name and dates, the
   anonymous statistics and the processing log, which records the erasure (counts, who, when)
   and is itself retained.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Delete, delete, func, select
from sqlalchemy.orm import Session

from config import RETENTION_MODES
from layers.audit import processing_log
from layers.core.closure import OperationClosed, OperationState, state
from layers.core.db import Database
from layers.core.errors import RuleError
from layers.core.models import Base, Location, utcnow
from layers.core.operations import current_operation
from layers.operation import statistics
from layers.operation.pack import RecordsPack, write_pack
from layers.services import Services

logger = logging.getLogger(__name__)

KEPT_AFTER_ERASURE = frozenset(
    {
        "alembic_version",
        "data_revision",
        "operation_state",
        "operation_statistics",
        "operations",
        "processing_log",
        "users",
        "api_tokens",
        "user_sessions",
        "login_attempts",
        "sign_in_backoff",
    }
)
"""What an erasure leaves: bookkeeping, the operation's name and dates, the statistics, the
processing log, and accounts (sessions and sign-in attempts have their own, shorter, pruning)."""


@dataclass(frozen=True)
class ClosureReport:
    """What closing did."""

    closed_at: dt.datetime
    closed_by: str
    erase_after: dt.datetime
    mode: str
    pack: RecordsPack


@dataclass(frozen=True)
class ErasureReport:
    """What an erasure removed (rows per table) and how many anonymous figures it kept."""

    erased: dict[str, int]
    statistics: int
    mode: str
    at: dt.datetime


def _state_row(session: Session) -> OperationState:
    row = state(session)
    if row is None:
        raise RuleError("the database has no operation state: run `python app.py db upgrade`")
    return row


def close_operation(
    services: Services, out_dir: Path, username: str, retention_days: int, mode: str
) -> ClosureReport:
    """Close the operation (read-only from the commit on), then write its records pack."""
    db, marking = services.db, services.config.marking
    if mode not in RETENTION_MODES:
        raise RuleError(f"retention mode must be one of {', '.join(RETENTION_MODES)}")
    if retention_days < 0:
        raise RuleError("the retention period cannot be negative")
    now = utcnow()
    erase_after = now + dt.timedelta(days=retention_days)
    with db.write(bump=False) as session:
        row = _state_row(session)
        if row.closed_at is not None:
            raise OperationClosed(row.closed_at, row.closed_by)
        operation = current_operation(session)
        row.closed_at, row.closed_by = now, username
        row.erase_after, row.erasure_mode = erase_after, mode
        processing_log.record(
            session, username, processing_log.ALTERATION,
            f"operation closed: read-only from now; records to be erased ({mode}) after "
            f"{erase_after:%Y-%m-%d} ({retention_days} days)",
        )
    facts = {
        "operation": operation.name if operation else "OpsMap operation",
        "closed at": f"{now:%Y-%m-%d %H:%M} UTC",
        "closed by": username,
        "records erased after": f"{erase_after:%Y-%m-%d} ({retention_days} days, {mode})",
        "protective marking": marking,
    }
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    pack = write_pack(services, out_dir, facts)
    with db.write(bump=False) as session:
        row = _state_row(session)
        row.records_pack, row.records_pack_sha256 = str(pack.path), pack.sha256
        processing_log.record(
            session, username, processing_log.DISCLOSURE,
            f"records pack for the force's records system: {pack.path} (sha256 {pack.sha256})",
            count=sum(n for name, n in pack.files.items() if name.startswith("layer-")),
        )
    return ClosureReport(now, username, erase_after, mode, pack)


def deleted(session: Session, statement: Delete) -> int:
    """Run a DELETE in ``session``'s transaction and say how many rows it removed."""
    result = session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)


def _erase(session: Session) -> dict[str, int]:
    return {
        table.name: deleted(session, delete(table))
        for table in reversed(Base.metadata.sorted_tables)
        if table.name not in KEPT_AFTER_ERASURE
    }


def erase_due(db: Database, username: str, now: dt.datetime | None = None) -> ErasureReport | None:
    """Erase the records if the operation is closed and its retention period is over."""
    now = now or utcnow()
    with db.write(closed_ok=True) as session:
        row = session.scalars(
            select(OperationState).where(OperationState.id == 1).with_for_update()
        ).first()
        if row is None or row.closed_at is None or row.erased_at is not None:
            return None
        if row.erase_after is None or now < row.erase_after:
            return None
        mode = row.erasure_mode or "delete"
        locations = int(session.scalar(select(func.count()).select_from(Location)) or 0)
        figures = statistics.summarise(session) if mode == "statistics" else Counter()
        erased = _erase(session)
        kept = statistics.keep(session, figures)
        row.erased_at, row.erased_by = now, username
        counts = ", ".join(f"{name} {count}" for name, count in sorted(erased.items()) if count)
        processing_log.record(
            session, username, processing_log.ERASURE,
            f"retention period over (closed {row.closed_at:%Y-%m-%d}, due "
            f"{row.erase_after:%Y-%m-%d}): records erased ({mode}): {counts or 'nothing stored'}"
            + (f"; {kept} anonymous figures kept" if mode == "statistics" else ""),
            count=locations,
        )
    logger.info("records erased (%s): %s", mode, erased)
    return ErasureReport(erased, kept, mode, now)
