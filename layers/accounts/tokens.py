"""API tokens for scripts (``Authorization: Bearer``), stored as SHA-256 hashes only.

A token acts as its user, optionally scoped down to ``briefing``. It stops working when it is
revoked, when its user is disabled (which revokes it for good: re-enabling the user does not
bring it back) or when the user no longer holds the role it was scoped to.
"""

from __future__ import annotations

import logging
import secrets

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from layers.accounts.errors import AccountError
from layers.accounts.roles import BRIEFING, Identity, check_role
from layers.accounts.sessions import MAX_TOKEN_LENGTH, TOUCH_EVERY, hash_token
from layers.accounts.tables import ApiToken
from layers.accounts.users import actor_label, require_user
from layers.core.models import utcnow

logger = logging.getLogger(__name__)

MAX_ID = 2**31 - 1
"""Largest id the table holds: a larger one asked for is simply not found (never a 500)."""

def create_token(
    session: Session,
    name: str,
    username: str,
    *,
    role: str | None = None,
    created_by: str = "system",
) -> tuple[ApiToken, str]:
    """Create an API token for ``username``; returns the row and the token (shown only once)."""
    user = require_user(session, username)
    if not user.active:
        raise AccountError(f"user {username!r} is disabled")
    if role is not None:
        check_role(role)
        if role not in (user.role, BRIEFING):
            raise AccountError(f"a token for {username} may have role {user.role} or briefing")
    name = name.strip()
    if not name:
        raise AccountError("a token needs a name")
    token = "opsmap_" + secrets.token_urlsafe(32)
    row = ApiToken(
        name=name[:120],
        token_hash=hash_token(token),
        prefix=token[:12],
        user_id=user.id,
        role=role,
        created_by=created_by,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    logger.info("API token %s (%d) created for %s by %s", name, row.id, username, created_by)
    return row, token


def list_tokens(session: Session, *, include_revoked: bool = True) -> list[ApiToken]:
    """API tokens, newest first (hashes only; the tokens themselves are never stored)."""
    query = select(ApiToken).order_by(ApiToken.id.desc())
    if not include_revoked:
        query = query.where(ApiToken.revoked_at.is_(None))
    return list(session.scalars(query))


def revoke_token(session: Session, token_id: int, *, by: str | None = None) -> ApiToken:
    """Revoke an API token; it is refused from the next request."""
    row = session.get(ApiToken, token_id) if 0 < token_id <= MAX_ID else None
    if row is None:
        raise AccountError(f"no API token {token_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        logger.info("API token %d revoked by %s", token_id, actor_label(by))
    return row


def revoke_user_tokens(session: Session, user_id: int) -> int:
    """Revoke every live token of a user (on disable); returns how many were live."""
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow()),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount if isinstance(result, CursorResult) else 0


def validate_token(session: Session, token: str) -> Identity | None:
    """The identity behind a bearer token, or ``None`` when unknown, revoked or out of scope."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    role = row.role or row.user.role
    if role not in (row.user.role, BRIEFING):
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        row.last_used_at = now
    return Identity(row.user.username, role, row.user.id)
