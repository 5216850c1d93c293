"""User accounts: creating, finding and listing them, and changing a role or a password.

Every function takes a SQLAlchemy ``Session`` and never commits: the caller's transaction
decides. ``by`` names the signed-in user making a change from the admin page, or is ``None``
for the command line and the system; it is what the self-protection rules compare against.
"""

from __future__ import annotations

import logging
import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from layers.accounts import passwords, protection, throttling
from layers.accounts.errors import AccountError
from layers.accounts.roles import ADMIN, check_role
from layers.accounts.sessions import revoke_user_sessions
from layers.accounts.tables import User
from layers.core.errors import found
from layers.core.models import utcnow

logger = logging.getLogger(__name__)

USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,79}$")


def actor_label(by: str | None) -> str:
    """How the log names whoever made a change."""
    return by or "the command line"


def get_user(session: Session, username: str) -> User | None:
    """The user called ``username`` (exact match), or ``None``."""
    return session.scalar(select(User).where(User.username == username))


def require_user(session: Session, username: str) -> User:
    """The user called ``username``; :class:`AccountError` when there is none."""
    return found(get_user(session, username), AccountError(f"no user {username!r}"))


def create_user(
    session: Session,
    username: str,
    role: str,
    password: str | None,
    *,
    created_by: str = "system",
    oidc_subject: str | None = None,
) -> User:
    """Add a user with an argon2 hash of ``password`` (``None`` only for single sign-on)."""
    username = username.strip()
    if not USERNAME_RE.match(username):
        raise AccountError(
            "usernames are 2-80 letters, digits or . _ @ - and start with a letter or digit"
        )
    check_role(role)
    if password is None and oidc_subject is None:
        raise AccountError("a local account needs a password")
    if password is not None:
        passwords.check_password(password)
    if get_user(session, username) is not None:
        raise AccountError(f"user {username!r} already exists")
    user = User(
        username=username,
        role=role,
        password_hash=passwords.hash_password(password) if password is not None else None,
        active=True,
        created_by=created_by,
        created_at=utcnow(),
        oidc_subject=oidc_subject,
    )
    session.add(user)
    session.flush()
    logger.info("user %s created with role %s by %s", username, role, created_by)
    return user


def list_users(session: Session) -> list[User]:
    """Every user, by username."""
    return list(session.scalars(select(User).order_by(User.username)))


def count_users(session: Session) -> int:
    """How many users exist (``users bootstrap`` acts only when there are none)."""
    return int(session.scalar(select(func.count(User.id))) or 0)


def count_active_admins(session: Session) -> int:
    """How many enabled admins there are, locking their rows on PostgreSQL.

    The lock makes two admins who remove each other at the same moment take turns, so the
    second sees that only one admin is left.
    """
    rows = session.scalars(
        select(User.id).where(User.role == ADMIN, User.active.is_(True)).with_for_update()
    )
    return len(list(rows))


def set_role(session: Session, username: str, role: str, *, by: str | None = None) -> User:
    """Change a user's role; it applies from the user's next request."""
    user = require_user(session, username)
    check_role(role)
    protection.check_change(by, user, new_role=role, active_admins=count_active_admins(session))
    user.role = role
    logger.info("user %s now has role %s (by %s)", username, role, actor_label(by))
    return user


def set_password(
    session: Session, username: str, password: str, *, by: str | None = None
) -> User:
    """Set a new password, end the user's sessions (they sign in again) and clear any back-off."""
    passwords.check_password(password)
    user = require_user(session, username)
    user.password_hash = passwords.hash_password(password)
    revoke_user_sessions(session, user.id)
    throttling.unlock(session, username)
    logger.info("password of %s changed by %s", username, actor_label(by))
    return user
