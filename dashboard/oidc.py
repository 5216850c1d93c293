"""Optional single sign-on through OpenID Connect, for forces whose identity provider offers it.

Configured only by the environment (``OPSMAP_OIDC_ISSUER``, ``OPSMAP_OIDC_CLIENT_ID``,
``OPSMAP_OIDC_CLIENT_SECRET``; optionally ``OPSMAP_OIDC_USERNAME_CLAIM``, see
:class:`~layers.accounts.single_sign_on.OidcSettings`). Without them nothing here is active and
local accounts are the only way in; with them local accounts keep working beside single sign-on.

The identity provider proves *who* someone is; OpsMap still decides *what they may do*. Only an
account bound to the provider's (issuer, ``sub``) opens, with the role OpsMap holds for it; how
accounts get bound is :mod:`layers.accounts.single_sign_on`'s business.
"""

from __future__ import annotations

import logging

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, current_app, redirect, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from dashboard.context import services
from dashboard.login import FAILED_MESSAGE, login_failed_page, set_session_cookie
from layers import accounts
from layers.accounts import OidcSettings

logger = logging.getLogger(__name__)

EXTENSION = "opsmap_oidc"
oidc_blueprint = Blueprint("oidc", __name__)

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


def configured_issuer() -> str | None:
    """The issuer accounts are linked to (the admin page's "link" needs it), if configured."""
    entry = current_app.extensions.get(EXTENSION)
    return entry[1].issuer if entry else None


@oidc_blueprint.get("/login/oidc")
def start() -> BaseResponse:
    """Send the browser to the identity provider (state and nonce kept in a signed cookie)."""
    oauth, _settings = current_app.extensions[EXTENSION]
    return oauth.idp.authorize_redirect(url_for("oidc.callback", _external=True))


@oidc_blueprint.get("/login/oidc/callback")
def callback() -> BaseResponse:
    """Check the provider's answer (state, nonce, ID token signature) and open a session."""
    oauth, settings = current_app.extensions[EXTENSION]
    try:
        token = oauth.idp.authorize_access_token()
    except (OAuthError, ValueError, KeyError) as exc:
        logger.warning("single sign-on refused: %s", exc)
        return login_failed_page(FAILED_MESSAGE)
    claims = token.get("userinfo") or {}
    sub = str(claims.get("sub") or "")
    link_value = str(claims.get(settings.link_claim) or "") if settings.link_claim else None
    with services().db.write(bump=False) as session:
        identity = accounts.sso_identity(session, settings.issuer, sub,
                                         linked_username=link_value or None)
        cookie = (
            accounts.create_session(session, identity.user_id, source=request.remote_addr)
            if identity is not None
            else None
        )
    if identity is None or cookie is None:
        logger.warning("single sign-on subject %r of %s has no enabled OpsMap account "
                       "(an admin can link it)", sub, settings.issuer)
        return login_failed_page(FAILED_MESSAGE)
    logger.info("%s signed in by single sign-on (%s)", identity.username, identity.role)
    response = redirect("/", code=303)
    set_session_cookie(response, cookie)
    return response
