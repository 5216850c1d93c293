"""Single sign-on identities: which OpsMap account a provider's (issuer, ``sub``) opens.

The identity provider proves *who* someone is; OpsMap still decides *what they may do*. An
account is bound to exactly one (issuer, ``sub``) pair, the only claims a provider promises are
stable and unique. A display name such as ``preferred_username`` is never trusted on its own:
a user can often change it at the provider and so claim somebody else's account. A local
account is linked to a provider identity only

- by an admin (:func:`link_subject`, from the admin page or ``users link``), or
- through a claim mapping the admin configured (``OPSMAP_OIDC_USERNAME_CLAIM``, e.g. an
  employee number the provider controls): the first sign-on whose claim equals the username of
  an account not yet bound binds it.

Nobody is created here: an admin adds accounts.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from layers.accounts import throttling
from layers.accounts.errors import AccountError
from layers.accounts.roles import Identity
from layers.accounts.tables import User
from layers.accounts.users import actor_label, get_user, require_user
from layers.core.models import utcnow

logger = logging.getLogger(__name__)

SEPARATOR = "|"
SSO_SOURCE = "oidc"


@dataclass(frozen=True)
class OidcSettings:
    """Where the identity provider is, how OpsMap is registered with it, how accounts link."""

    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    link_claim: str | None = None
    """The admin-chosen claim whose value links an unbound account of that username."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> OidcSettings | None:
        """The settings, or ``None`` when single sign-on is not configured."""
        env = os.environ if env is None else env
        issuer = env.get("OPSMAP_OIDC_ISSUER", "").strip().rstrip("/")
        client_id = env.get("OPSMAP_OIDC_CLIENT_ID", "").strip()
        secret = env.get("OPSMAP_OIDC_CLIENT_SECRET", "").strip()
        if not issuer:
            return None
        if not client_id or not secret:
            raise ValueError(
                "OPSMAP_OIDC_ISSUER is set: also set OPSMAP_OIDC_CLIENT_ID and "
                "OPSMAP_OIDC_CLIENT_SECRET (or unset the issuer to use local accounts only)"
            )
        claim = env.get("OPSMAP_OIDC_USERNAME_CLAIM", "").strip() or None
        return cls(issuer, client_id, secret, claim)


def subject_key(issuer: str, sub: str) -> str:
    """The stored binding for a provider identity; :class:`AccountError` when either is empty."""
    issuer = issuer.strip().rstrip("/")
    if not issuer or not sub or SEPARATOR in issuer:
        raise AccountError("a single sign-on identity needs an issuer and a subject (sub)")
    return f"{issuer}{SEPARATOR}{sub}"


def _bound_user(session: Session, key: str) -> User | None:
    return session.scalar(select(User).where(User.oidc_subject == key))


def sso_identity(
    session: Session, issuer: str, sub: str, *, linked_username: str | None = None
) -> Identity | None:
    """The enabled account bound to (``issuer``, ``sub``), or ``None``.

    ``linked_username`` is the value of the admin-configured link claim (``None`` when no
    mapping is configured): an account of that name, not yet bound, is bound now.
    """
    try:
        key = subject_key(issuer, sub)
    except AccountError:
        return None
    user = _bound_user(session, key)
    if user is None and linked_username:
        candidate = get_user(session, linked_username)
        if candidate is not None and candidate.oidc_subject is None:
            candidate.oidc_subject = key
            user = candidate
            logger.info("account %s bound to %s by the configured claim mapping",
                        candidate.username, key)
    if user is None or not user.active:
        return None
    now = utcnow()
    user.last_login_at = now
    throttling.record_attempt(session, user.username, SSO_SOURCE, True, now)
    return Identity(user.username, user.role, user.id)


def link_subject(
    session: Session, username: str, issuer: str, sub: str, *, by: str | None = None
) -> User:
    """Bind an account to a provider identity (an admin's action); replaces any earlier one."""
    key = subject_key(issuer, sub.strip())
    user = require_user(session, username)
    holder = _bound_user(session, key)
    if holder is not None and holder.id != user.id:
        raise AccountError(f"that identity already opens {holder.username}; unlink it first")
    user.oidc_subject = key
    logger.info("account %s linked to %s by %s", username, key, actor_label(by))
    return user


def unlink_subject(session: Session, username: str, *, by: str | None = None) -> User:
    """Remove an account's single sign-on identity (local sign-in, if any, keeps working)."""
    user = require_user(session, username)
    user.oidc_subject = None
    logger.info("account %s unlinked from single sign-on by %s", username, actor_label(by))
    return user
