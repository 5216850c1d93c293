"""Authentication and hardening for every request: who is calling, and the headers we answer with.

A Dash callback is an HTTP endpoint anyone can POST to, so nothing here trusts the UI. Each
request is authenticated *before* Flask or Dash routes it: a server-side session cookie (pages
and callbacks) or ``Authorization: Bearer`` (the JSON API). The role is re-read from the
database on every request, so disabling an account or changing a role takes effect at once.
The per-callback and per-view role checks are :func:`dashboard.access.require`; this module only
establishes :class:`~dashboard.access.Principal` on ``flask.g``.

Unauthenticated requests may reach only the sign-in page, ``/healthz``, ``/readyz`` and the
favicon: pages redirect to ``/login``; the API and Dash's endpoints answer 401 with JSON.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import quote, urlsplit

from flask import Flask, Response, g, jsonify, redirect, request
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response as BaseResponse

from dashboard.access import Principal
from dashboard.context import services
from dashboard.login import SESSION_COOKIE, login_blueprint, render_error_page
from dashboard.oidc import init_oidc
from layers import accounts

logger = logging.getLogger(__name__)

PUBLIC_PATHS: frozenset[str] = frozenset(
    {
        "/login",
        "/logout",
        "/healthz",
        "/readyz",
        "/_favicon.ico",
        "/login/oidc",
        "/login/oidc/callback",
    }
)
"""Reachable without signing in (the sign-in page needs no other asset: its CSS is inline)."""
MACHINE_PREFIXES: tuple[str, ...] = ("/api/", "/_dash-", "/_reload-hash", "/_alive", "/_mcp")
"""Paths called by scripts or by Dash's renderer: they get JSON errors, never redirects."""
TOKEN_PREFIXES: tuple[str, ...] = ("/api/",)
"""Where ``Authorization: Bearer`` tokens are accepted (scripts use the API, not the UI)."""
CALLBACK_PATH = "/_dash-update-component"
DASH_CATCH_ALL = "/<path:path>"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CACHEABLE_PREFIXES: tuple[str, ...] = ("/_dash-component-suites/", "/assets/", "/_favicon.ico")
"""Static, fingerprinted files; every other response carries ``Cache-Control: no-store``."""


def is_machine_path(path: str) -> bool:
    """Whether ``path`` is called by scripts or the Dash renderer rather than a person."""
    return path.startswith(MACHINE_PREFIXES)


def _refuse(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="opsmap"'
    return response


def _same_origin(value: str) -> bool:
    """Whether an ``Origin`` value names this server (scheme, host and port)."""
    got = urlsplit(value)
    own = urlsplit(request.host_url)
    return (got.scheme, got.netloc.lower()) == (own.scheme, own.netloc.lower())


def _cross_site_refusal() -> Response | None:
    """Refuse state-changing requests sent from another site (CSRF), and odd callback bodies."""
    if request.method not in UNSAFE_METHODS:
        return None
    # Browsers send ``Origin: null`` on same-origin form posts under ``no-referrer``; then
    # ``Sec-Fetch-Site`` (sent by every current browser) decides.
    origin = request.headers.get("Origin")
    site = request.headers.get("Sec-Fetch-Site")
    foreign = (
        site in ("cross-site", "same-site")
        or (origin is not None and origin != "null" and not _same_origin(origin))
        or (origin == "null" and site != "same-origin")
    )
    if foreign:
        logger.warning("refused %s %s from origin %r (%s)", request.method, request.path,
                       origin, site)
        return _refuse(403, "Cross-site requests are refused.")
    if request.path == CALLBACK_PATH and request.mimetype != "application/json":
        return _refuse(415, "Callback requests must be JSON.")
    return None


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or ""


def _identify() -> tuple[accounts.Identity | None, str | None]:
    """Return the caller's identity (or None) and how they authenticated.

    The check runs in a read transaction; only when it has something to record (a last-seen
    time, an expired session) is it repeated in a write transaction. On SQLite this keeps
    ordinary requests from queueing for the database's single write lock.
    """
    svc = services()
    token = _bearer()
    if token is not None:
        if not request.path.startswith(TOKEN_PREFIXES):
            return None, "token"
        return _checked(lambda session: accounts.validate_token(session, token)), "token"
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None, None

    def check(session: Session) -> accounts.Identity | None:
        return accounts.validate_session(
            session,
            cookie,
            idle_minutes=svc.config.session_idle_minutes,
            absolute_hours=svc.config.session_absolute_hours,
        )

    return _checked(check), "session"


def _checked(check: Callable[[Session], accounts.Identity | None]) -> accounts.Identity | None:
    db = services().db
    with db.read() as session:
        identity = check(session)
        changed = bool(session.dirty)
    if changed:
        with db.write(bump=False) as session:
            identity = check(session)
    return identity


def _unknown_machine_path() -> Response | None:
    """API paths that only Dash's catch-all page route matched are 404s, not the app's HTML."""
    rule = request.url_rule
    if is_machine_path(request.path) and (rule is None or rule.rule == DASH_CATCH_ALL):
        return _refuse(404, "Not found.")
    return None


def _authenticate() -> BaseResponse | None:
    """``before_request``: put the caller on ``g.principal`` or refuse the request."""
    g.principal = None
    g.auth_method = None
    refusal = _cross_site_refusal()
    if refusal is not None:
        return refusal
    identity, method = _identify()
    if identity is not None:
        g.principal = Principal(identity.username, identity.role)
        g.auth_method = method
        return _unknown_machine_path()
    if request.path in PUBLIC_PATHS:
        rule = request.url_rule
        if rule is None or rule.rule == DASH_CATCH_ALL:  # e.g. single sign-on not configured
            return _refuse(404, "Not found.")
        return None
    if method == "token":
        return _refuse(401, "The API token is not valid.")
    if is_machine_path(request.path) or request.method != "GET":
        return _refuse(401, "Sign in to use OpsMap.")
    target = request.full_path if request.query_string else request.path
    return redirect(f"/login?next={quote(target, safe='/')}", code=303)


def content_security_policy(server: Flask) -> str:
    """The CSP: only this origin, and of inline scripts only Dash's own (by hash).

    Computed per response (a few hashes): Dash adds inline scripts (page routing's clientside
    functions) during its first-request set-up, so a policy cached earlier would miss them.
    """
    dash_app = server.extensions.get("dash")
    hashes = list(dash_app.csp_hashes()) if dash_app is not None else []
    tiles = ""
    tile_url = services().config.tiles
    if tile_url:
        parts = urlsplit(tile_url)
        if parts.scheme in ("https", "http") and parts.netloc:
            tiles = f" {parts.scheme}://{parts.netloc}"
    policy = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' " + " ".join(hashes),
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob:{tiles}",
            "font-src 'self' data:",
            f"connect-src 'self'{tiles}",
            "worker-src 'self' blob:",
            "child-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
    return policy


def _headers(response: Response) -> Response:
    """``after_request``: security headers on every response."""
    from flask import current_app

    headers = response.headers
    headers["Content-Security-Policy"] = content_security_policy(current_app)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    if not request.path.startswith(CACHEABLE_PREFIXES):
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def _http_error(exc: HTTPException) -> Response:
    """Generic error answers: JSON for machines, a plain page for people, never a traceback."""
    code = exc.code or 500
    message = exc.description if code < 500 else "Something went wrong. It has been logged."
    if is_machine_path(request.path):
        response = _refuse(code, message or exc.name)
    else:
        response = render_error_page(code, exc.name, message or "")
    return response


def _server_error(exc: InternalServerError) -> Response:
    original = getattr(exc, "original_exception", None)
    if original is not None:
        logger.error("unhandled error on %s %s", request.method, request.path,
                     exc_info=original)
    return _http_error(exc)


def init_security(server: Flask) -> None:
    """Install authentication, the sign-in routes, security headers and error pages."""
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    server.before_request(_authenticate)
    server.after_request(_headers)
    server.register_blueprint(login_blueprint)
    init_oidc(server)
    server.register_error_handler(InternalServerError, _server_error)
    server.register_error_handler(HTTPException, _http_error)
