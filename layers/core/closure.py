"""Whether the operation is closed, and the one check that makes a closed operation read-only.

:meth:`layers.core.db.Database.write` calls :func:`guard` at the start of every write
transaction, so no feature can forget it. Once an admin has closed the operation:

- a write that changes operational data (one that moves the data revision) is refused at once
  with :class:`OperationClosed`;
- the other writes go through only if everything they touch is in :data:`OPEN_WHEN_CLOSED`:
  signing in, sessions, tokens, the processing log (reading records is still logged) and the
  operation's own state. Anything else is refused when the session flushes or executes it.

The erasure at the end of the retention period passes ``closed_ok`` to ``write``: it is the one
change a closed operation still expects. On PostgreSQL the state row is read ``FOR SHARE``, so
closing waits for writes already under way and every later write sees the operation closed.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import Integer, String, Text, event, select
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from layers.core.errors import RuleError
from layers.core.models import Base, UTCDateTime

logger = logging.getLogger(__name__)

STATE_ID = 1
OPEN_WHEN_CLOSED: frozenset[str] = frozenset(
    {
        "users",
        "user_sessions",
        "api_tokens",
        "login_attempts",
        "sign_in_backoff",
        "processing_log",
        "operation_state",
    }
)
"""Tables a closed operation may still write: accounts and sign-in, and the processing log."""


class OperationState(Base):
    """The single row saying whether the operation is open, closed or erased."""

    __tablename__ = "operation_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(80))
    erase_after: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    erasure_mode: Mapped[str | None] = mapped_column(String(16))
    records_pack: Mapped[str | None] = mapped_column(Text)
    records_pack_sha256: Mapped[str | None] = mapped_column(String(64))
    erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    erased_by: Mapped[str | None] = mapped_column(String(80))


class OperationClosed(RuleError):
    """A change refused because the operation is closed (HTTP 423)."""

    def __init__(self, closed_at: dt.datetime, closed_by: str | None) -> None:
        self.closed_at = closed_at
        self.closed_by = closed_by or "an administrator"
        super().__init__(notice(closed_at, closed_by))


def notice(closed_at: dt.datetime, closed_by: str | None) -> str:
    """The sentence every front end shows while the operation is closed."""
    return (
        f"The operation was closed by {closed_by or 'an administrator'} on "
        f"{closed_at:%d %B %Y at %H:%M} UTC: OpsMap is read-only, nothing can be changed."
    )


def state(session: Session, *, lock: bool = False) -> OperationState | None:
    """The operation's state row (``lock``: hold it ``FOR SHARE`` until the transaction ends)."""
    query = select(OperationState).where(OperationState.id == STATE_ID)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(read=True)
    return session.scalars(query.execution_options(populate_existing=True)).first()


def _tables(objects: Any) -> set[str]:
    return {getattr(type(obj), "__tablename__", "?") for obj in objects}


def guard(session: Session, bump: bool) -> None:
    """Refuse (now or at flush) what a closed operation may not write; nothing when open."""
    row = state(session, lock=True)
    if row is None or row.closed_at is None:
        return
    refusal = OperationClosed(row.closed_at, row.closed_by)
    if bump:
        raise refusal

    def before_flush(sess: Session, _context: Any, _instances: Any) -> None:
        touched = _tables(sess.new) | _tables(sess.dirty) | _tables(sess.deleted)
        if touched - OPEN_WHEN_CLOSED:
            raise refusal

    def do_orm_execute(execute_state: ORMExecuteState) -> None:
        target = getattr(execute_state.statement, "table", None)
        is_dml = execute_state.is_insert or execute_state.is_update or execute_state.is_delete
        if is_dml and getattr(target, "name", None) not in OPEN_WHEN_CLOSED:
            raise refusal

    event.listen(session, "before_flush", before_flush)
    event.listen(session, "do_orm_execute", do_orm_execute)
