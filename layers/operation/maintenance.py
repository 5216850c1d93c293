"""Scheduled housekeeping: prune what is past its time (``python app.py maintenance prune``).

- Sign-in sessions that were ended, or have passed the idle or absolute timeout, are deleted:
  they can never be used again, and each one names a person and an address.
- Sign-in attempts older than ``OPSMAP_LOGIN_ATTEMPTS_DAYS`` are deleted; throttling needs only
  the last quarter of an hour, the rest was kept for audit.
- A closed operation's records are erased once their retention period is over
  (:func:`layers.operation.closing.erase_due`).

Each run that deletes anything says so in the processing log. Safe to run as often as wished
(cron, or the jobs runner), and while the app serves requests.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import delete, or_

from config import Config
from layers.accounts import LoginAttempt, UserSession
from layers.accounts.throttling import THROTTLE_WINDOW
from layers.audit import processing_log
from layers.core.db import Database
from layers.core.models import utcnow
from layers.operation.closing import ErasureReport, deleted, erase_due

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PruneReport:
    """What one run removed."""

    sessions: int
    login_attempts: int
    erasure: ErasureReport | None


def prune_sign_ins(
    db: Database, config: Config, username: str, now: dt.datetime
) -> tuple[int, int]:
    """Delete ended or expired sessions and old sign-in attempts; log it when anything went."""
    idle = now - dt.timedelta(minutes=config.session_idle_minutes)
    absolute = now - dt.timedelta(hours=config.session_absolute_hours)
    attempts_before = now - max(dt.timedelta(days=config.login_attempts_days), THROTTLE_WINDOW)
    with db.write(bump=False) as session:
        sessions = deleted(
            session,
            delete(UserSession).where(
                or_(
                    UserSession.revoked_at.is_not(None),
                    UserSession.last_seen_at < idle,
                    UserSession.created_at < absolute,
                )
            ),
        )
        attempts = deleted(session, delete(LoginAttempt).where(LoginAttempt.at < attempts_before))
        if sessions or attempts:
            processing_log.record(
                session, username, processing_log.ERASURE,
                f"maintenance: {sessions} ended or expired sign-in sessions and {attempts} "
                f"sign-in attempts older than {config.login_attempts_days} days deleted",
                count=sessions + attempts,
            )
    return sessions, attempts


def prune(
    db: Database, config: Config, username: str, now: dt.datetime | None = None
) -> PruneReport:
    """One scheduled run: sign-in housekeeping, then the erasure if it has fallen due."""
    now = now or utcnow()
    sessions, attempts = prune_sign_ins(db, config, username, now)
    erasure = erase_due(db, username, now)
    logger.info("maintenance: %d sessions, %d attempts pruned; erasure %s", sessions, attempts,
                "done" if erasure else "not due")
    return PruneReport(sessions, attempts, erasure)
