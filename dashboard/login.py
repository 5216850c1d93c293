"""The sign-in and sign-out routes and the plain server-rendered pages around them.

The sign-in page is plain HTML rendered by Flask rather than a Dash page: it must work before
the caller may load any of the dashboard, needs no script at all, and carries the protective
marking. Every failure gets the same message, so the page tells an attacker nothing about which
accounts exist or are locked.
"""

from __future__ import annotations

import logging
from urllib.parse import unquote, urlsplit

from flask import Blueprint, Response, current_app, g, make_response, redirect, request
from markupsafe import escape
from werkzeug.wrappers import Response as BaseResponse

from dashboard.access import BRIEFING, TEAM
from dashboard.context import services
from layers import accounts

logger = logging.getLogger(__name__)

SESSION_COOKIE = "opsmap_session"
FAILED_MESSAGE = "Sign-in failed. Check your username and password, or try again later."

login_blueprint = Blueprint("login", __name__)

_STYLE = """
body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1d21}
.marking{background:#8a1c1c;color:#fff;text-align:center;font-weight:700;padding:4px;
letter-spacing:.08em}
main{max-width:360px;margin:12vh auto;background:#fff;padding:28px;border-radius:6px;
box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{font-size:1.4rem;margin:0 0 16px}
label{display:block;margin:12px 0 4px;font-weight:600}
input{width:100%;box-sizing:border-box;padding:8px;font-size:1rem}
button{margin-top:18px;width:100%;padding:10px;font-size:1rem;background:#1f4e99;color:#fff;
border:0;border-radius:4px;cursor:pointer}
.error{background:#fde8e8;border:1px solid #c53030;padding:8px;margin-bottom:8px}
:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}
"""


def _page(title: str, body: str, status: int = 200) -> Response:
    marking = escape(services().config.marking)
    html = (
        "<!doctype html><html lang='en-GB'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)} · OpsMap</title><style>{_STYLE}</style></head><body>"
        f"<div class='marking' role='note'>{marking}</div><main>{body}</main>"
        f"<div class='marking' role='note'>{marking}</div></body></html>"
    )
    response = make_response(html, status)
    response.mimetype = "text/html"
    return response


def render_error_page(code: int, name: str, message: str) -> Response:
    """A generic error page (no traceback, no internals)."""
    body = (
        f"<h1>{code} {escape(name)}</h1><p>{escape(message)}</p>"
        "<p><a href='/'>Back to OpsMap</a></p>"
    )
    return _page(name, body, code)


def _has_control(text: str) -> bool:
    return any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in text)


def safe_next(target: str | None) -> str:
    r"""``target`` when it is a path on this site, otherwise ``"/"`` (no open redirect).

    Browsers drop tabs and newlines inside a URL, read ``\`` as ``/`` and a leading ``//`` as
    another host, so ``/\t/evil.example`` would leave as ``//evil.example``. The target is
    judged as a browser would read it: a control character or a backslash refuses it, and so
    does a scheme, a host or a leading ``//``, in the target as given or percent-decoded
    (``/%2f/evil.example``).
    """
    if not target:
        return "/"
    decoded = target
    for _ in range(3):  # %252f decodes twice; a real path never needs deeper encoding
        decoded = unquote(decoded)
    for form in (target, decoded):
        parts = urlsplit(form)
        if _has_control(form) or "\\" in form or parts.scheme or parts.netloc:
            return "/"
        if not form.startswith("/") or form.startswith("//"):
            return "/"
    return target


def _login_form(error: str | None, next_url: str, username: str = "", status: int = 200
                ) -> Response:
    notice = f"<div class='error' role='alert'>{escape(error)}</div>" if error else ""
    body = (
        "<h1>Sign in to OpsMap</h1>"
        f"{notice}"
        "<form method='post' action='/login' autocomplete='on'>"
        f"<input type='hidden' name='next' value='{escape(next_url)}'>"
        "<label for='username'>Username</label>"
        f"<input id='username' name='username' value='{escape(username)}' required "
        "autocomplete='username' autofocus>"
        "<label for='password'>Password</label>"
        "<input id='password' name='password' type='password' required "
        "autocomplete='current-password'>"
        "<button type='submit' id='sign-in'>Sign in</button>"
        "</form>"
    )
    if current_app.extensions.get("opsmap_oidc"):
        body += "<p><a href='/login/oidc' id='sso'>Sign in with single sign-on</a></p>"
    return _page("Sign in", body, status)


def login_failed_page(message: str) -> Response:
    """The sign-in form with a (generic) failure message, answered 401."""
    return _login_form(message, "/", status=401)


def _source() -> str | None:
    return request.remote_addr


def set_session_cookie(response: BaseResponse, token: str) -> None:
    """The session cookie: HttpOnly, SameSite=Lax, Secure over TLS, no client-side expiry."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
        path="/",
    )


def home_for(role: str, next_url: str) -> str:
    """Where a role lands after signing in: the briefing screen is the briefing role's home,
    and a team's phone always lands on ``/field`` (it may open nothing else)."""
    if role == TEAM:
        return "/field"
    return "/briefing" if role == BRIEFING and next_url == "/" else next_url


@login_blueprint.get("/login")
def login_form() -> BaseResponse:
    """The sign-in form (already signed-in callers go straight on)."""
    next_url = safe_next(request.args.get("next"))
    principal = g.get("principal")
    if principal is not None:
        return redirect(home_for(principal.role, next_url), code=303)
    return _login_form(None, next_url)


@login_blueprint.post("/login")
def login_submit() -> BaseResponse:
    """Check the credentials; on success open a new server-side session (never reuse one)."""
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    next_url = safe_next(request.form.get("next"))
    svc = services()
    with svc.db.write(bump=False) as session:
        identity = accounts.authenticate(session, username, password, source=_source())
        token = (
            accounts.create_session(session, identity.user_id, source=_source())
            if identity is not None
            else None
        )
        old = request.cookies.get(SESSION_COOKIE)
        if old:
            accounts.revoke_session(session, old)
    if identity is None or token is None:
        logger.info("sign-in failed for %r from %s", username[:80], _source())
        return _login_form(FAILED_MESSAGE, next_url, username[:80], status=401)
    logger.info("%s signed in (%s) from %s", identity.username, identity.role, _source())
    response = redirect(home_for(identity.role, next_url), code=303)
    set_session_cookie(response, token)
    return response


def _sign_out_form() -> str:
    return (
        "<form method='post' action='/logout'>"
        "<button type='submit' id='sign-out'>Sign out</button></form>"
    )


@login_blueprint.get("/logout")
def logout_form() -> Response:
    """Ask before signing out: a GET changes nothing, so another site cannot sign anyone out."""
    if g.get("principal") is None:
        return _page("Signed out", "<h1>You are signed out</h1><p><a href='/login'>Sign in</a></p>")
    return _page("Sign out", "<h1>Sign out of OpsMap?</h1>" + _sign_out_form())


@login_blueprint.post("/logout")
def logout() -> BaseResponse:
    """End the server-side session (a copy of the cookie stops working too).

    Only by POST, which :mod:`dashboard.security` refuses from other sites.
    """
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with services().db.write(bump=False) as session:
            accounts.revoke_session(session, token)
    principal = g.get("principal")
    if principal is not None:
        logger.info("%s signed out", principal.username)
    response = redirect("/login", code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="Lax",
                           secure=request.is_secure)
    return response
