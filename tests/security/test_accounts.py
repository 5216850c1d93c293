"""Accounts as plain functions on the store (both backends), and the CLI commands."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import app as app_module
from dashboard.access import ROLES as ACCESS_ROLES
from layers import accounts
from layers.services import Services


def test_sec080_roles_agree_with_access_module() -> None:
    assert accounts.ROLES == ACCESS_ROLES


def test_sec081_passwords_are_argon2_and_checked(services: Services) -> None:
    with services.db.write(bump=False) as session:
        user = accounts.create_user(session, "alice", "analyst", "a long passphrase")
        assert user.password_hash is not None
        assert user.password_hash.startswith("$argon2id$")
        assert "a long passphrase" not in user.password_hash
    with services.db.write(bump=False) as session:
        assert accounts.authenticate(session, "alice", "a long passphrase") == accounts.Identity(
            "alice", "analyst", user.id
        )
        assert accounts.authenticate(session, "alice", "wrong") is None
        assert accounts.authenticate(session, "nobody", "a long passphrase") is None


@pytest.mark.parametrize(
    ("name", "role", "password"),
    [("x", "analyst", "long enough password"), ("bob", "superuser", "long enough password"),
     ("bob", "analyst", "short"), ("bob", "analyst", None), ("bad name", "admin", "x" * 20)],
)
def test_sec082_bad_accounts_refused(
    services: Services, name: str, role: str, password: str | None
) -> None:
    with pytest.raises(accounts.AccountError), services.db.write() as session:
        accounts.create_user(session, name, role, password)


def test_sec083_duplicate_user_refused(services: Services) -> None:
    with services.db.write() as session:
        accounts.create_user(session, "carol", "briefing", "long enough password")
    with pytest.raises(accounts.AccountError), services.db.write() as session:
        accounts.create_user(session, "carol", "admin", "long enough password")


def test_sec084_sessions_and_tokens_stored_hashed(services: Services) -> None:
    with services.db.write(bump=False) as session:
        user = accounts.create_user(session, "dave", "commander", "long enough password")
        cookie = accounts.create_session(session, user.id)
        _row, token = accounts.create_token(session, "script", "dave")
    with services.db.write(bump=False) as session:
        assert session.get(accounts.UserSession, cookie) is None
        assert accounts.validate_session(session, cookie, idle_minutes=30, absolute_hours=12)
        assert accounts.validate_token(session, token).role == "commander"
        accounts.disable_user(session, "dave")
    with services.db.write(bump=False) as session:
        assert accounts.validate_session(session, cookie, idle_minutes=30, absolute_hours=12) \
            is None
        assert accounts.validate_token(session, token) is None


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_services: Services) -> Services:
    """The CLI pointed at a migrated SQLite database."""
    monkeypatch.setenv("DATABASE_URL", sqlite_services.config.database_url)
    monkeypatch.setenv("OPSMAP_INSTANCE", str(tmp_path / "cli-instance"))
    return sqlite_services


def test_sec085_cli_users_and_tokens(
    cli_env: Services, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert app_module.main(["users", "bootstrap"]) == 0
    first = capsys.readouterr().out
    assert "username: admin" in first and "password: " in first
    password = first.split("password: ")[1].split()[0]
    assert app_module.main(["users", "bootstrap"]) == 0
    assert "password" not in capsys.readouterr().out  # printed once only
    with cli_env.db.write(bump=False) as session:
        assert accounts.authenticate(session, "admin", password) is not None

    monkeypatch.setattr("sys.stdin", io.StringIO("a scripted passphrase\n"))
    assert app_module.main(["users", "add", "erin", "--role", "analyst",
                            "--password-stdin"]) == 0
    assert app_module.main(["users", "add", "erin", "--role", "analyst",
                            "--password-stdin"]) == 1
    monkeypatch.setattr("sys.stdin", io.StringIO("a changed passphrase\n"))
    assert app_module.main(["users", "password", "erin", "--password-stdin"]) == 0
    with cli_env.db.write(bump=False) as session:
        assert accounts.authenticate(session, "erin", "a changed passphrase") is not None
    assert app_module.main(["users", "demo"]) == 0
    demo = capsys.readouterr().out
    for role in accounts.ROLES:
        assert f"demo-{role}" in demo
    assert app_module.main(["users", "disable", "erin"]) == 0
    assert app_module.main(["users", "list"]) == 0
    listing = capsys.readouterr().out
    assert "erin" in listing and "disabled" in listing

    assert app_module.main(["tokens", "create", "qgis", "--user", "demo-analyst"]) == 0
    out = capsys.readouterr().out
    token = out.strip().splitlines()[-1]
    assert token.startswith("opsmap_")
    assert app_module.main(["tokens", "list"]) == 0
    assert token not in capsys.readouterr().out
    with cli_env.db.read() as session:
        token_id = accounts.list_tokens(session)[0].id
    assert app_module.main(["tokens", "revoke", str(token_id)]) == 0
    with cli_env.db.write(bump=False) as session:
        assert accounts.validate_token(session, token) is None
