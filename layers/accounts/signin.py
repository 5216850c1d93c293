"""Sign-in with a username and password: one answer, one cost, whatever the reason for refusal.

Every attempt runs the same steps in the same order: look the user up, verify the password
(against a dummy hash when there is no account), read both throttles, record the attempt. So an
unknown user, a disabled account, an address that must wait and a wrong password all take one
argon2 verification, and the caller learns only "refused".
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from layers.accounts import passwords, throttling
from layers.accounts.roles import Identity
from layers.accounts.tables import User
from layers.accounts.users import get_user
from layers.core.models import utcnow

logger = logging.getLogger(__name__)


def _refusal(
    user: User | None, password_ok: bool, source_throttled: bool, pair_waiting: bool
) -> str | None:
    """Why an attempt is refused (for the server log only), or ``None`` to let it in."""
    if source_throttled:
        return "too many failures from this address"
    if pair_waiting:
        return "this address must wait after repeated failures for this user"
    if user is None:
        return "unknown user"
    if not password_ok:
        return "wrong password"
    if not user.active:
        return "account disabled"
    return None


def authenticate(
    session: Session, username: str, password: str, *, source: str | None = None
) -> Identity | None:
    """Check a username and password; ``None`` for any failure (the caller says nothing more).

    ``source`` is the caller's address: throttling is per account *and* address, so failures
    from elsewhere never lock the account's owner out (see :mod:`layers.accounts.throttling`).
    """
    now = utcnow()
    username = (username or "").strip()[:80]
    source = (source or "")[:64] or None
    user = get_user(session, username) if username else None
    password_ok = passwords.verify(user.password_hash if user is not None else None, password or "")
    refusal = _refusal(
        user,
        password_ok,
        throttling.source_throttled(session, source, now),
        throttling.pair_waiting(session, username, source, now),
    )
    throttling.record_attempt(session, username, source, refusal is None, now)
    if refusal is not None or user is None:
        throttling.note_failure(session, username, source, now)
        logger.warning("sign-in refused for %r from %s: %s", username, source, refusal)
        return None
    throttling.clear_pair(session, username, source)
    user.last_login_at = now
    if user.password_hash and passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return Identity(user.username, user.role, user.id)
