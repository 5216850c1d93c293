"""Optional single sign-on through OpenID Connect, for forces whose identity provider offers it.

Configured only by the environment (``OPSMAP_OIDC_ISSUER``, ``OPSMAP_OIDC_CLIENT_ID``,
``OPSMAP_OIDC_CLIENT_SECRET``; optionally ``OPSMAP_OIDC_USERNAME_CLAIM``, default
``preferred_username``). Without them nothing here is active and local accounts are the only
way in; with them local accounts keep working beside single sign-on.

The identity provider proves *who* someone is; OpsMap still decides *what they may do*. Only
people an administrator has added (same username) may sign in, with the role OpsMap holds for
them; on the first single sign-on the account is bound to the provider's subject identifier, so
a later change of username at the provider cannot take over another account.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, Response, current_app, redirect, request, url_for

from dashboard.context import services
from dashboard.login import FAILED_MESSAGE, login_failed_page, set_session_cookie
from layers import accounts

logger = logging.getLogger(__name__)

EXTENSION = "opsmap_oidc"
oidc_blueprint = Blueprint("oidc", __name__)


@dataclass(frozen=True)
class OidcSettings:
    """Where the identity provider is and how OpsMap is registered with it."""

    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    username_claim: str = "preferred_username"

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
        claim = env.get("OPSMAP_OIDC_USERNAME_CLAIM", "").strip() or "preferred_username"
        return cls(issuer, client_id, secret, claim)


def init_oidc(server: Flask, settings: OidcSettings | None = None) -> bool:
    """Register the single sign-on routes when configured; returns whether it is enabled."""
    settings = settings or OidcSettings.from_env()
    if settings is None:
        return False
    oauth = OAuth(server)
    oauth.register(
        "idp",
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        server_metadata_url=f"{settings.issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid profile email"},
    )
    server.extensions[EXTENSION] = (oauth, settings)
    server.register_blueprint(oidc_blueprint)
    logger.info("single sign-on enabled with %s", settings.issuer)
    return True


def enabled() -> bool:
    """Whether this application offers single sign-on (the login page shows a button)."""
    return EXTENSION in current_app.extensions


@oidc_blueprint.get("/login/oidc")
def start() -> Response:
    """Send the browser to the identity provider (state and nonce kept in a signed cookie)."""
    oauth, _settings = current_app.extensions[EXTENSION]
    return oauth.idp.authorize_redirect(url_for("oidc.callback", _external=True))


@oidc_blueprint.get("/login/oidc/callback")
def callback() -> Response:
    """Check the provider's answer (state, nonce, ID token signature) and open a session."""
    oauth, settings = current_app.extensions[EXTENSION]
    try:
        token = oauth.idp.authorize_access_token()
    except (OAuthError, ValueError, KeyError) as exc:
        logger.warning("single sign-on refused: %s", exc)
        return login_failed_page(FAILED_MESSAGE)
    claims = token.get("userinfo") or {}
    subject = f"{settings.issuer}|{claims.get('sub', '')}"
    username = str(claims.get(settings.username_claim) or "")
    with services().db.write(bump=False) as session:
        identity = accounts.oidc_identity(session, subject, username)
        cookie = (
            accounts.create_session(session, identity.user_id, source=request.remote_addr)
            if identity is not None
            else None
        )
    if identity is None or cookie is None:
        logger.warning("single sign-on for %r (%s) has no enabled OpsMap account",
                       username, subject)
        return login_failed_page(FAILED_MESSAGE)
    logger.info("%s signed in by single sign-on (%s)", identity.username, identity.role)
    response = redirect("/", code=303)
    set_session_cookie(response, cookie)
    return response
