"""Sign-in throttling that an attacker cannot turn against the account's owner.

Two limits, both keyed by the caller's address, so failures from one place never stop someone
signing in from another:

- **Back-off per account and address.** After :data:`MAX_FAILURES` failures for one username
  from one address, that pair waits before its next try: :data:`BACKOFF_FIRST`, doubling with
  each further failure, at most :data:`BACKOFF_MAX`. A success, an admin's unlock, a new
  password or :data:`BACKOFF_RESET` without failures clears it. Attempts made while waiting
  count as failures, so hammering only lengthens the wait for that address.
- **Per address.** :data:`MAX_FAILURES_PER_SOURCE` failures from one address (any usernames)
  within :data:`THROTTLE_WINDOW` refuse that address (guessing across many accounts).

The old per-account lockout let anyone lock any account with five wrong passwords.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from layers.accounts.tables import LoginAttempt, SignInBackoff

MAX_FAILURES = 5
"""Failures for one username from one address before that pair has to wait."""
BACKOFF_FIRST = dt.timedelta(minutes=1)
BACKOFF_MAX = dt.timedelta(minutes=15)
BACKOFF_RESET = dt.timedelta(hours=1)
"""A pair's failures are forgotten after this long without another."""
THROTTLE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_SOURCE = 20
"""Failed sign-ins from one address (any usernames) in the window before it is refused."""
UNKNOWN_SOURCE = ""


def backoff_delay(failures: int) -> dt.timedelta:
    """How long a pair with ``failures`` recent failures waits after the last one."""
    if failures < MAX_FAILURES:
        return dt.timedelta(0)
    doublings = min(failures - MAX_FAILURES, 16)
    return min(BACKOFF_FIRST * 2**doublings, BACKOFF_MAX)


def waiting_until(
    failures: int, last_failure_at: dt.datetime, now: dt.datetime
) -> dt.datetime | None:
    """When a pair may try again, or ``None`` when it need not wait."""
    if now - last_failure_at >= BACKOFF_RESET:
        return None
    until = last_failure_at + backoff_delay(failures)
    return until if until > now else None


def _source(source: str | None) -> str:
    return (source or UNKNOWN_SOURCE)[:64]


def pair_waiting(session: Session, username: str, source: str | None, now: dt.datetime) -> bool:
    """Whether ``username`` from ``source`` must wait before its next sign-in attempt."""
    row = session.get(SignInBackoff, (username, _source(source)))
    return row is not None and waiting_until(row.failures, row.last_failure_at, now) is not None


def source_throttled(session: Session, source: str | None, now: dt.datetime) -> bool:
    """Whether ``source`` has failed too often recently (across all usernames)."""
    if not source:
        return False
    failures = session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.source == source,
            LoginAttempt.success.is_(False),
            LoginAttempt.at >= now - THROTTLE_WINDOW,
        )
    )
    return int(failures or 0) >= MAX_FAILURES_PER_SOURCE


def record_attempt(
    session: Session, username: str, source: str | None, success: bool, now: dt.datetime
) -> None:
    """Keep one attempt for the audit trail and the per-address count."""
    session.add(LoginAttempt(at=now, username=username, source=source, success=success))


def note_failure(session: Session, username: str, source: str | None, now: dt.datetime) -> None:
    """Count a failure for the pair (one upsert, safe under concurrent attempts)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stale = SignInBackoff.last_failure_at <= now - BACKOFF_RESET
    statement = insert(SignInBackoff).values(
        username=username, source=_source(source), failures=1, last_failure_at=now
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[SignInBackoff.username, SignInBackoff.source],
            set_={
                "failures": case((stale, 1), else_=SignInBackoff.failures + 1),
                "last_failure_at": now,
            },
        )
    )
    session.execute(
        delete(SignInBackoff).where(SignInBackoff.last_failure_at <= now - BACKOFF_RESET),
        execution_options={"synchronize_session": False},
    )


def clear_pair(session: Session, username: str, source: str | None) -> None:
    """Forget a pair's failures (after it signed in successfully)."""
    session.execute(
        delete(SignInBackoff).where(
            SignInBackoff.username == username, SignInBackoff.source == _source(source)
        ),
        execution_options={"synchronize_session": False},
    )


def unlock(session: Session, username: str) -> int:
    """Let ``username`` try again at once from every address; returns how many were waiting."""
    result = session.execute(
        delete(SignInBackoff).where(SignInBackoff.username == username),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount if isinstance(result, CursorResult) else 0


def waiting_addresses(session: Session, now: dt.datetime) -> dict[str, int]:
    """For the admin page: per username, how many addresses must wait now."""
    counts: dict[str, int] = {}
    for row in session.scalars(select(SignInBackoff)):
        if waiting_until(row.failures, row.last_failure_at, now) is not None:
            counts[row.username] = counts.get(row.username, 0) + 1
    return counts
