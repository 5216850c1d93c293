"""Disabling, enabling and unlocking: the changes that end or restore all of an account's access.

Disabling ends every session *and revokes every API token* at once; enabling does not bring the
tokens back (an admin issues new ones), so a token copied while the account was live cannot
outlast a disable/enable cycle.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from layers.accounts import protection, throttling
from layers.accounts.sessions import revoke_user_sessions
from layers.accounts.tables import User
from layers.accounts.tokens import revoke_user_tokens
from layers.accounts.users import actor_label, count_active_admins, require_user
from layers.core.models import utcnow

logger = logging.getLogger(__name__)


def disable_user(session: Session, username: str, *, by: str | None = None) -> User:
    """Disable an account: its sessions end now and its API tokens are revoked for good."""
    user = require_user(session, username)
    protection.check_change(by, user, disable=True, active_admins=count_active_admins(session))
    user.active = False
    user.disabled_at = utcnow()
    ended = revoke_user_sessions(session, user.id)
    revoked = revoke_user_tokens(session, user.id)
    logger.info(
        "user %s disabled by %s (%d sessions ended, %d API tokens revoked)",
        username, actor_label(by), ended, revoked,
    )
    return user


def enable_user(session: Session, username: str, *, by: str | None = None) -> User:
    """Re-enable an account and clear any sign-in back-off (its old tokens stay revoked)."""
    user = require_user(session, username)
    user.active = True
    user.disabled_at = None
    throttling.unlock(session, username)
    logger.info("user %s enabled by %s", username, actor_label(by))
    return user


def unlock_user(session: Session, username: str, *, by: str | None = None) -> int:
    """Let a user sign in again at once from every address; returns how many were waiting."""
    require_user(session, username)
    cleared = throttling.unlock(session, username)
    logger.info("sign-in back-off of %s cleared by %s (%d addresses)", username,
                actor_label(by), cleared)
    return cleared
