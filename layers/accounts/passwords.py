"""Password hashing (argon2id), the password policy, and the one verification every sign-in runs.

:func:`verify` is called on every sign-in path, with a dummy hash when there is no account to
check against, so an unknown, disabled or backed-off account costs the same argon2 work as a
wrong password and the answer time says nothing about which it was.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from layers.accounts.errors import AccountError

MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
"""Verified against when there is no real hash, so that path takes as long as a real check."""


def check_password(password: str) -> None:
    """Refuse a password shorter than :data:`MIN_PASSWORD_LENGTH` characters."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"passwords need at least {MIN_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    """The argon2id hash to store for ``password``."""
    return _hasher.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; ``None`` still costs a full argon2 check."""
    try:
        matched = _hasher.verify(password_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return matched and password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    """Whether a stored hash uses weaker parameters than today's (rehash on the next sign-in)."""
    return _hasher.check_needs_rehash(password_hash)


def generate_password() -> str:
    """A random password for bootstrap and demo accounts (about 120 bits)."""
    return secrets.token_urlsafe(15)
