"""Sign-in that takes one time whatever the refusal, back-off per account and address, unlocking,
sign-out by POST only, and tokens of disabled accounts (issue 10 items 10, 11 and 14)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

import app as app_module
from dashboard.login import SESSION_COOKIE
from layers import accounts
from layers.accounts import passwords, throttling
from layers.accounts.admin import AccountAction, AccountForm, AdminContext, apply_account_action
from layers.core.models import utcnow
from layers.services import Services

PASSWORD = "the right passphrase"


def _login(app: Flask, username: str, password: str, ip: str) -> TestResponse:
    return app.test_client().post(
        "/login", data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )


def _add(app: Flask, username: str, role: str = "analyst") -> None:
    with app.extensions["opsmap"].db.write(bump=False) as session:
        accounts.create_user(session, username, role, PASSWORD)


def _accounts(services: Services, **roles: str) -> None:
    """One account per ``username=role``, all with :data:`PASSWORD`."""
    with services.db.write(bump=False) as session:
        for username, role in roles.items():
            accounts.create_user(session, username, role, PASSWORD)


def _wrong_passwords(services: Services, username: str, source: str) -> None:
    """As many refused sign-ins (a wrong password each) as lock ``username`` out at ``source``."""
    for _ in range(accounts.MAX_FAILURES):
        with services.db.write(bump=False) as session:
            accounts.authenticate(session, username, "wrong-wrong-wrong", source=source)


def test_sec140_attacker_elsewhere_cannot_lock_the_owner_out(app: Flask) -> None:
    _add(app, "owner")
    for _ in range(accounts.MAX_FAILURES * 3):
        assert _login(app, "owner", "guessing-away-123", "203.0.113.66").status_code == 401
    assert _login(app, "owner", PASSWORD, "198.51.100.20").status_code == 303
    # The attacker's own address has to wait, even with the right password.
    assert _login(app, "owner", PASSWORD, "203.0.113.66").status_code == 401


def test_sec141_backoff_doubles_and_is_capped() -> None:
    assert throttling.backoff_delay(throttling.MAX_FAILURES - 1).total_seconds() == 0
    first = throttling.backoff_delay(throttling.MAX_FAILURES)
    assert first == throttling.BACKOFF_FIRST
    assert throttling.backoff_delay(throttling.MAX_FAILURES + 1) == 2 * first
    assert throttling.backoff_delay(throttling.MAX_FAILURES + 2) == 4 * first
    assert throttling.backoff_delay(10**9) == throttling.BACKOFF_MAX
    now = utcnow()
    last = now - first / 2
    assert throttling.waiting_until(throttling.MAX_FAILURES, last, now) == last + first
    assert throttling.waiting_until(throttling.MAX_FAILURES, now - 2 * first, now) is None
    assert throttling.waiting_until(99, now - throttling.BACKOFF_RESET, now) is None


def test_sec142_backoff_on_both_backends_and_success_clears_it(services: Services) -> None:
    with services.db.write(bump=False) as session:
        accounts.create_user(session, "pat", "analyst", PASSWORD)
    for _ in range(accounts.MAX_FAILURES):
        with services.db.write(bump=False) as session:
            refused = accounts.authenticate(session, "pat", "nope-nope-nope", source="10.0.0.9")
            assert refused is None
    with services.db.write(bump=False) as session:
        assert accounts.authenticate(session, "pat", PASSWORD, source="10.0.0.9") is None
        assert accounts.authenticate(session, "pat", PASSWORD, source="10.0.0.10") is not None
    with services.db.read() as session:
        row = session.get(accounts.SignInBackoff, ("pat", "10.0.0.9"))
        assert row is not None and row.failures == accounts.MAX_FAILURES + 1
        assert session.get(accounts.SignInBackoff, ("pat", "10.0.0.10")) is None
        assert throttling.waiting_addresses(session, utcnow()) == {"pat": 1}


class _CountingHasher(PasswordHasher):
    """The real argon2 hasher, counting its verifications."""

    calls = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        type(self).calls += 1
        return super().verify(hash, password)


def test_sec143_every_sign_in_path_verifies_one_hash(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unknown, disabled, waiting, throttled, wrong and right: one argon2 check each."""
    _accounts(services, kim="analyst", gone="analyst")
    with services.db.write(bump=False) as session:
        accounts.disable_user(session, "gone")
    _wrong_passwords(services, "kim", "10.7.0.1")
    for i in range(accounts.MAX_FAILURES_PER_SOURCE):
        with services.db.write(bump=False) as session:
            accounts.authenticate(session, f"spray{i}", "wrong-wrong-wrong", source="10.8.0.1")
    monkeypatch.setattr(passwords, "_hasher", _CountingHasher())
    attempts = {
        "unknown": ("nobody-here", PASSWORD, "10.0.1.1"),
        "disabled": ("gone", PASSWORD, "10.0.1.2"),
        "waiting": ("kim", PASSWORD, "10.7.0.1"),
        "throttled": ("kim", PASSWORD, "10.8.0.1"),
        "wrong": ("kim", "wrong-wrong-wrong", "10.0.1.3"),
        "right": ("kim", PASSWORD, "10.0.1.4"),
    }
    for path, (username, password, source) in attempts.items():
        _CountingHasher.calls = 0
        with services.db.write(bump=False) as session:
            identity = accounts.authenticate(session, username, password, source=source)
        assert (identity is not None) == (path == "right"), path
        assert _CountingHasher.calls == 1, path


def test_sec144_locked_unknown_and_wrong_take_the_same_time(app: Flask) -> None:
    """Through the real route: the medians of the three refusals agree within 50%."""
    _add(app, "victim")
    _add(app, "bystander")
    for _ in range(accounts.MAX_FAILURES):
        _login(app, "victim", "guessing-away-123", "10.9.9.9")
    cases: dict[str, Callable[[int], TestResponse]] = {
        "locked": lambda i: _login(app, "victim", PASSWORD, "10.9.9.9"),
        "unknown": lambda i: _login(app, "nobody-at-all", PASSWORD, f"10.2.{i}.1"),
        "wrong": lambda i: _login(app, "bystander", "guessing-away-123", f"10.3.{i}.1"),
    }
    timings: dict[str, list[float]] = {name: [] for name in cases}
    for i in range(9):
        for name, attempt in cases.items():
            start = time.perf_counter()
            assert attempt(i).status_code == 401
            timings[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(values) for name, values in timings.items()}
    assert max(medians.values()) / min(medians.values()) < 1.5, medians


def test_sec145_admin_unlocks_on_the_admin_page_and_by_cli(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _accounts(services, boss="admin", lee="analyst")

    def lock_out() -> None:
        _wrong_passwords(services, "lee", "10.4.0.1")
        with services.db.write(bump=False) as session:
            assert accounts.authenticate(session, "lee", PASSWORD, source="10.4.0.1") is None

    def can_sign_in() -> bool:
        with services.db.write(bump=False) as session:
            return accounts.authenticate(session, "lee", PASSWORD, source="10.4.0.1") is not None

    lock_out()
    with services.db.write(bump=False) as session:
        message = apply_account_action(
            session, AccountAction.UNLOCK, AccountForm(user="lee"), AdminContext("boss")
        )
    assert "1 address" in message
    assert can_sign_in()
    lock_out()
    monkeypatch.setenv("DATABASE_URL", services.config.database_url)
    assert app_module.main(["users", "unlock", "lee"]) == 0
    assert can_sign_in()


def test_sec146_logout_only_by_post(
    app: Flask, client_as: Callable[[str], FlaskClient]
) -> None:
    """Issue 10 item 10: a GET (a foreign page's image or link) does not sign anyone out."""
    client = client_as("analyst")
    page = client.get("/logout")
    assert page.status_code == 200
    assert "method='post' action='/logout'" in page.get_data(as_text=True)
    assert client.get("/_dash-layout").status_code == 200
    foreign = client.post("/logout", headers={"Origin": "https://evil.example",
                                              "Sec-Fetch-Site": "cross-site"})
    assert foreign.status_code == 403
    assert client.get("/_dash-layout").status_code == 200
    done = client.post("/logout", headers={"Sec-Fetch-Site": "same-origin"})
    assert done.status_code == 303 and done.headers["Location"] == "/login"
    assert client.get_cookie(SESSION_COOKIE) is None
    assert client.get("/_dash-layout").status_code == 401


def test_sec147_disabled_accounts_tokens_stay_revoked_after_enable(services: Services) -> None:
    """Issue 10 item 14: re-enabling an account does not bring its old API tokens back."""
    with services.db.write(bump=False) as session:
        accounts.create_user(session, "leaver", "analyst", PASSWORD)
        _row, token = accounts.create_token(session, "script", "leaver")
        _row, scoped = accounts.create_token(session, "pack", "leaver", role="briefing")
    with services.db.write(bump=False) as session:
        accounts.disable_user(session, "leaver")
    with services.db.write(bump=False) as session:
        accounts.enable_user(session, "leaver")
    with services.db.write(bump=False) as session:
        assert accounts.validate_token(session, token) is None
        assert accounts.validate_token(session, scoped) is None
        assert all(t.revoked_at is not None for t in accounts.list_tokens(session))
        _row, fresh = accounts.create_token(session, "new script", "leaver")
    with services.db.write(bump=False) as session:
        assert accounts.validate_token(session, fresh) is not None
