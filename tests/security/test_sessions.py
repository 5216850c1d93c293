"""Sign-in, server-side sessions, API tokens and throttling through the real routes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from dashboard.login import FAILED_MESSAGE, SESSION_COOKIE
from layers import accounts
from layers.accounts import LoginAttempt, UserSession
from layers.core.models import utcnow
from tests.conftest import MakeUser

ME = "/api/summary"


def _db(app: Flask):
    return app.extensions["opsmap"].db


def _login(app: Flask, username: str, password: str, ip: str = "10.0.0.1"):
    client = app.test_client()
    response = client.post(
        "/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )
    return client, response


def test_sec020_login_page_has_form_and_marking(app: Flask) -> None:
    response = app.test_client().get("/login")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "name='username'" in page and "name='password'" in page
    assert app.extensions["opsmap"].config.marking in page
    assert "<script" not in page


def test_sec021_unauthenticated_pages_redirect_and_api_401(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/admin")
    assert page.status_code in (302, 303)
    assert page.headers["Location"] == "/login?next=/admin"
    deep = client.get("/admin?tab=log&x=1")
    assert deep.headers["Location"] == "/login?next=/admin%3Ftab%3Dlog%26x%3D1"
    for path in (ME, "/_dash-layout", "/_dash-dependencies"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response.is_json
    assert client.get("/healthz").status_code in (200, 503)


def test_sec022_login_sets_hardened_cookie_and_redirects_safely(
    app: Flask, make_user: MakeUser
) -> None:
    password = make_user("cookie-user", "analyst")
    client = app.test_client()
    response = client.post(
        "/login",
        data={"username": "cookie-user", "password": password, "next": "//evil.example/x"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http here; https requests get Secure
    secure = app.test_client().post(
        "/login", data={"username": "cookie-user", "password": password},
        base_url="https://localhost",
    )
    assert "Secure" in secure.headers["Set-Cookie"]
    assert client.get(ME).status_code != 401


def test_sec023_logout_ends_session_even_for_a_copied_cookie(
    app: Flask, make_user: MakeUser
) -> None:
    password = make_user("copy-user", "analyst")
    client, _ = _login(app, "copy-user", password)
    token = client.get_cookie(SESSION_COOKIE).value
    thief = app.test_client()
    thief.set_cookie(SESSION_COOKIE, token)
    assert thief.get("/_dash-layout").status_code == 200
    client.post("/logout")
    assert thief.get("/_dash-layout").status_code == 401


def test_sec024_disabled_user_old_cookie_refused(app: Flask, make_user: MakeUser) -> None:
    password = make_user("leaver", "commander")
    client, _ = _login(app, "leaver", password)
    assert client.get("/_dash-layout").status_code == 200
    with _db(app).write(bump=False) as session:
        accounts.disable_user(session, "leaver")
    assert client.get("/_dash-layout").status_code == 401
    _, again = _login(app, "leaver", password)
    assert again.status_code == 401


def test_sec025_role_change_applies_on_next_request(app: Flask, make_user: MakeUser) -> None:
    password = make_user("mover", "analyst")
    client, _ = _login(app, "mover", password)
    assert client.get(ME).status_code not in (401, 403)
    with _db(app).write(bump=False) as session:
        accounts.set_role(session, "mover", "briefing")
    assert client.get(ME).status_code == 403


def test_sec026_idle_and_absolute_timeouts(app: Flask, make_user: MakeUser) -> None:
    password = make_user("sleepy", "analyst")
    config = app.extensions["opsmap"].config
    client, _ = _login(app, "sleepy", password)
    idle = dt.timedelta(minutes=config.session_idle_minutes + 1)
    with _db(app).write(bump=False) as session:
        session.execute(update(UserSession).values(last_seen_at=utcnow() - idle))
    assert client.get("/_dash-layout").status_code == 401

    client, _ = _login(app, "sleepy", password)
    old = dt.timedelta(hours=config.session_absolute_hours, minutes=1)
    with _db(app).write(bump=False) as session:
        session.execute(
            update(UserSession)
            .where(UserSession.revoked_at.is_(None))
            .values(created_at=utcnow() - old)
        )
    assert client.get("/_dash-layout").status_code == 401


def test_sec027_lockout_after_repeated_failures(app: Flask, make_user: MakeUser) -> None:
    password = make_user("target", "analyst")
    for _ in range(accounts.MAX_FAILURES):
        _, response = _login(app, "target", "wrong-password-123")
        assert response.status_code == 401
        assert FAILED_MESSAGE in response.get_data(as_text=True)
    _, locked = _login(app, "target", password)
    assert locked.status_code == 401
    assert FAILED_MESSAGE in locked.get_data(as_text=True)  # same message: nothing leaks
    with _db(app).write(bump=False) as session:
        accounts.enable_user(session, "target")
    _, unlocked = _login(app, "target", password)
    assert unlocked.status_code == 303


def test_sec028_source_address_throttled(app: Flask, make_user: MakeUser) -> None:
    password = make_user("innocent", "analyst")
    for i in range(accounts.MAX_FAILURES_PER_SOURCE):
        _login(app, f"guess{i}", "nope-nope-nope", ip="203.0.113.9")
    _, refused = _login(app, "innocent", password, ip="203.0.113.9")
    assert refused.status_code == 401
    _, elsewhere = _login(app, "innocent", password, ip="198.51.100.7")
    assert elsewhere.status_code == 303
    with _db(app).read() as session:
        assert session.query(LoginAttempt).count() == accounts.MAX_FAILURES_PER_SOURCE + 2


def test_sec029_api_token_works_and_revoked_token_refused(app: Flask, make_user: MakeUser) -> None:
    make_user("scripter", "analyst")
    with _db(app).write(bump=False) as session:
        row, token = accounts.create_token(session, "qgis", "scripter")
        token_id = row.id
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get(ME, headers=auth).status_code == 200
    assert client.get(ME, headers={"Authorization": "Bearer opsmap_wrong"}).status_code == 401
    # Tokens are for the API only, not for the UI's callback endpoints.
    assert client.get("/_dash-layout", headers=auth).status_code == 401
    with _db(app).write(bump=False) as session:
        stored = session.get(accounts.ApiToken, token_id)
        assert stored is not None and token not in (stored.token_hash, stored.prefix)
        accounts.revoke_token(session, token_id)
    assert client.get(ME, headers=auth).status_code == 401


def test_sec030_token_scoped_to_briefing_cannot_read_operational_api(
    app: Flask, make_user: MakeUser
) -> None:
    make_user("scoped", "analyst")
    with _db(app).write(bump=False) as session:
        _row, token = accounts.create_token(session, "read-only", "scoped", role="briefing")
    response = app.test_client().get(ME, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


def test_sec031_client_as_fixture_signs_in(client_as: Callable[[str], FlaskClient]) -> None:
    client = client_as("commander")
    assert client.get("/_dash-layout").status_code == 200
