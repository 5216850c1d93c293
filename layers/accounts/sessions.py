"""Server-side sessions: the cookie carries a random token, the database only its SHA-256.

Why server-side rather than a signed cookie: a logout, a disabled account or a role change must
take effect on the very next request, and a copied cookie must stop working. A leaked database
backup holds no usable session, because only hashes are stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from layers.accounts.roles import Identity
from layers.accounts.tables import UserSession
from layers.core.models import utcnow

TOUCH_EVERY = dt.timedelta(seconds=60)
"""A session's last-seen time is written at most this often (saves a write per request)."""
MAX_TOKEN_LENGTH = 200
"""Longer presented tokens are refused before hashing (real ones are 43 or 50 characters)."""


def hash_token(token: str) -> str:
    """SHA-256 hex of a session or API token (tokens are 256-bit random, so no salt needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_session(session: Session, user_id: int, *, source: str | None = None) -> str:
    """Open a session for a user and return the token for the cookie (shown only here)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        UserSession(
            id=hash_token(token),
            user_id=user_id,
            created_at=now,
            last_seen_at=now,
            source=(source or "")[:64] or None,
        )
    )
    return token


def validate_session(
    session: Session,
    token: str,
    *,
    idle_minutes: int,
    absolute_hours: int,
) -> Identity | None:
    """The identity behind a session cookie, or ``None`` when it is unknown, ended or expired.

    Refreshes the session's last-seen time (at most every :data:`TOUCH_EVERY`), so the caller
    should commit. The role comes from the user row, so a role change applies at once.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = session.get(UserSession, hash_token(token))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    now = utcnow()
    idle = now - row.last_seen_at > dt.timedelta(minutes=idle_minutes)
    if idle or now - row.created_at > dt.timedelta(hours=absolute_hours):
        row.revoked_at = now
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
    return Identity(row.user.username, row.user.role, row.user.id)


def revoke_session(session: Session, token: str) -> bool:
    """End one session (logout); returns whether it was open."""
    row = session.get(UserSession, hash_token(token)) if token else None
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    return True


def revoke_user_sessions(session: Session, user_id: int) -> int:
    """End every session of a user at once; returns how many were open."""
    result = session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return result.rowcount if isinstance(result, CursorResult) else 0
