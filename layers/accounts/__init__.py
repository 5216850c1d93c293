"""Accounts: users, server-side sessions, API tokens and login throttling.

Why server-side sessions rather than a signed cookie: a logout, a disabled account or a role
change must take effect on the very next request, and a copied cookie must stop working. The
cookie therefore carries only a random token; the database keeps its SHA-256 hash, so a leaked
database backup holds no usable session or API token. Passwords are hashed with argon2id.

Every function takes a SQLAlchemy ``Session`` and never commits: the caller's transaction
decides. The web layer (:mod:`dashboard.security`) and the CLI
(:mod:`cli.accounts`) are the callers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from layers.core.models import Base, utcnow

logger = logging.getLogger(__name__)

ROLES: tuple[str, ...] = ("admin", "commander", "analyst", "briefing")
"""Kept equal to :data:`dashboard.access.ROLES` (a test checks); layers do not import dashboard."""
BRIEFING = "briefing"

USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,79}$")
MIN_PASSWORD_LENGTH = 12

MAX_FAILURES = 5
"""Consecutive failed sign-ins before an account is locked."""
LOCKOUT = dt.timedelta(minutes=15)
"""How long a locked account stays locked (an admin may unlock sooner)."""
THROTTLE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_SOURCE = 20
"""Failed sign-ins from one address (any usernames) in the window before it is refused."""
TOUCH_EVERY = dt.timedelta(seconds=60)
"""A session's last-seen time is written at most this often (saves a write per request)."""

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A refused account operation, with a message safe to show to an administrator."""


class User(Base):
    """Someone who may sign in; ``role`` is one of :data:`ROLES`."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80), default="system")
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class UserSession(Base):
    """A signed-in browser. ``id`` is the SHA-256 of the cookie's token, never the token."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    source: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship(lazy="joined")


class ApiToken(Base):
    """A token for scripts (``Authorization: Bearer``); stored as its SHA-256 hash.

    ``role`` scopes the token: ``None`` means "the user's current role". A scoped token works
    only while the user still holds that role (or when it is scoped down to ``briefing``).
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80), default="system")
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(lazy="joined")


class LoginAttempt(Base):
    """One sign-in attempt (kept for throttling by source address and for audit)."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(80))
    source: Mapped[str | None] = mapped_column(String(64), index=True)
    success: Mapped[bool] = mapped_column(Boolean)


@dataclass(frozen=True)
class Identity:
    """Who a valid session or token belongs to, with their role as of now."""

    username: str
    role: str
    user_id: int


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite returns naive datetimes; every stored time is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def hash_token(token: str) -> str:
    """SHA-256 hex of a session or API token (tokens are 256-bit random, so no salt needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def generate_password() -> str:
    """A random password for bootstrap and demo accounts (about 120 bits)."""
    return secrets.token_urlsafe(15)


# --- users -----------------------------------------------------------------------------------


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    return role


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"passwords need at least {MIN_PASSWORD_LENGTH} characters")


def get_user(session: Session, username: str) -> User | None:
    """The user called ``username`` (exact match), or ``None``."""
    return session.scalar(select(User).where(User.username == username))


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
    _check_role(role)
    if password is None and oidc_subject is None:
        raise AccountError("a local account needs a password")
    if password is not None:
        _check_password(password)
    if get_user(session, username) is not None:
        raise AccountError(f"user {username!r} already exists")
    user = User(
        username=username,
        role=role,
        password_hash=_hasher.hash(password) if password is not None else None,
        active=True,
        failed_logins=0,
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


def _require_user(session: Session, username: str) -> User:
    user = get_user(session, username)
    if user is None:
        raise AccountError(f"no user {username!r}")
    return user


def revoke_user_sessions(session: Session, user_id: int) -> int:
    """End every session of a user at once; returns how many were open."""
    result = session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return int(result.rowcount or 0)


def disable_user(session: Session, username: str, *, by: str = "system") -> User:
    """Disable an account: its sessions end now and its tokens stop working."""
    user = _require_user(session, username)
    user.active = False
    user.disabled_at = utcnow()
    ended = revoke_user_sessions(session, user.id)
    logger.info("user %s disabled by %s (%d sessions ended)", username, by, ended)
    return user


def enable_user(session: Session, username: str, *, by: str = "system") -> User:
    """Re-enable an account and clear any lockout."""
    user = _require_user(session, username)
    user.active = True
    user.disabled_at = None
    user.failed_logins = 0
    user.locked_until = None
    logger.info("user %s enabled by %s", username, by)
    return user


def set_role(session: Session, username: str, role: str, *, by: str = "system") -> User:
    """Change a user's role; it applies from the user's next request."""
    user = _require_user(session, username)
    user.role = _check_role(role)
    logger.info("user %s now has role %s (by %s)", username, role, by)
    return user


def set_password(session: Session, username: str, password: str, *, by: str = "system") -> User:
    """Set a new password and end the user's sessions (they sign in again)."""
    _check_password(password)
    user = _require_user(session, username)
    user.password_hash = _hasher.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    revoke_user_sessions(session, user.id)
    logger.info("password of %s changed by %s", username, by)
    return user


# --- sign-in ---------------------------------------------------------------------------------


def _source_throttled(session: Session, source: str | None, now: dt.datetime) -> bool:
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


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def authenticate(
    session: Session, username: str, password: str, *, source: str | None = None
) -> Identity | None:
    """Check a username and password; ``None`` for any failure (the caller says nothing more).

    Refuses without checking the password when the account is locked or the source address
    has too many recent failures. ``MAX_FAILURES`` consecutive failures lock the account for
    :data:`LOCKOUT`. Unknown usernames cost the same argon2 work as known ones.
    """
    now = utcnow()
    username = (username or "").strip()[:80]
    source = (source or "")[:64] or None
    user = get_user(session, username) if username else None

    def attempt(success: bool) -> None:
        session.add(LoginAttempt(at=now, username=username, source=source, success=success))

    if _source_throttled(session, source, now):
        logger.warning("sign-in refused: too many failures from %s", source)
        attempt(False)
        return None
    locked_until = _aware(user.locked_until) if user is not None else None
    if user is not None and locked_until is not None and locked_until > now:
        logger.warning("sign-in refused: %s is locked until %s", username, locked_until)
        attempt(False)
        return None
    ok = _verify(user.password_hash if user is not None else None, password or "")
    if user is None or not ok or not user.active:
        attempt(False)
        if user is not None and not ok:
            user.failed_logins = (user.failed_logins or 0) + 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
                logger.warning("account %s locked after %d failures", username, MAX_FAILURES)
        return None
    attempt(True)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if _hasher.check_needs_rehash(user.password_hash or ""):
        user.password_hash = _hasher.hash(password)
    return Identity(user.username, user.role, user.id)


def oidc_identity(session: Session, subject: str, username: str) -> Identity | None:
    """The enabled account for a single sign-on ``subject`` (bound on first use), or ``None``.

    An account is bound to a provider subject the first time its username signs in that way;
    afterwards only that subject opens it. Nobody is created here: an admin adds accounts.
    """
    if not subject or subject.endswith("|"):
        return None
    user = session.scalar(select(User).where(User.oidc_subject == subject))
    if user is None and username:
        candidate = get_user(session, username)
        if candidate is not None and candidate.oidc_subject is None:
            candidate.oidc_subject = subject
            user = candidate
            logger.info("account %s bound to single sign-on subject %s", username, subject)
    if user is None or not user.active:
        return None
    user.last_login_at = utcnow()
    session.add(LoginAttempt(at=utcnow(), username=user.username, source="oidc", success=True))
    return Identity(user.username, user.role, user.id)


# --- sessions --------------------------------------------------------------------------------


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
    if not token or len(token) > 200:
        return None
    row = session.get(UserSession, hash_token(token))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    now = utcnow()
    last_seen = _aware(row.last_seen_at) or now
    created = _aware(row.created_at) or now
    if now - last_seen > dt.timedelta(minutes=idle_minutes) or now - created > dt.timedelta(
        hours=absolute_hours
    ):
        row.revoked_at = now
        return None
    if now - last_seen >= TOUCH_EVERY:
        row.last_seen_at = now
    return Identity(row.user.username, row.user.role, row.user.id)


def revoke_session(session: Session, token: str) -> bool:
    """End one session (logout); returns whether it was open."""
    row = session.get(UserSession, hash_token(token)) if token else None
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    return True


# --- API tokens ------------------------------------------------------------------------------


def create_token(
    session: Session,
    name: str,
    username: str,
    *,
    role: str | None = None,
    created_by: str = "system",
) -> tuple[ApiToken, str]:
    """Create an API token for ``username``; returns the row and the token (shown only once)."""
    user = _require_user(session, username)
    if not user.active:
        raise AccountError(f"user {username!r} is disabled")
    if role is not None:
        _check_role(role)
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


def revoke_token(session: Session, token_id: int, *, by: str = "system") -> ApiToken:
    """Revoke an API token; it is refused from the next request."""
    row = session.get(ApiToken, token_id)
    if row is None:
        raise AccountError(f"no API token {token_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        logger.info("API token %d revoked by %s", token_id, by)
    return row


def validate_token(session: Session, token: str) -> Identity | None:
    """The identity behind a bearer token, or ``None`` when unknown, revoked or out of scope."""
    if not token or len(token) > 200:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    role = row.role or row.user.role
    if role not in (row.user.role, BRIEFING):
        return None
    now = utcnow()
    last_used = _aware(row.last_used_at)
    if last_used is None or now - last_used >= TOUCH_EVERY:
        row.last_used_at = now
    return Identity(row.user.username, role, row.user.id)
