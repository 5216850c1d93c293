"""Account self-protection (issue 9): a rule in the domain, the same from every front end."""

from __future__ import annotations

import pytest

import app as app_module
from layers import accounts
from layers.accounts import protection
from layers.accounts.admin import (
    AccountAction,
    AccountForm,
    AdminContext,
    TokenAction,
    TokenForm,
    apply_account_action,
    apply_token_action,
    token_id_of,
)
from layers.accounts.tables import User
from layers.services import Services

PASSWORD = "long enough password"


def _user(name: str, role: str = "admin", active: bool = True) -> User:
    return User(username=name, role=role, active=active)


@pytest.mark.parametrize(
    ("change", "message"),
    [({"disable": True}, "cannot disable your own"), ({"new_role": "analyst"}, "own role")],
)
def test_sec150_cannot_disable_or_demote_yourself(change: dict, message: str) -> None:
    with pytest.raises(accounts.AccountError, match=message):
        protection.check_change("ann", _user("ann"), active_admins=3, **change)
    protection.check_change("bob", _user("ann"), active_admins=3, **change)  # another admin may


@pytest.mark.parametrize("change", [{"disable": True}, {"new_role": "commander"}])
def test_sec151_last_enabled_admin_stays(change: dict) -> None:
    with pytest.raises(accounts.AccountError, match="last enabled admin"):
        protection.check_change("bob", _user("ann"), active_admins=1, **change)
    with pytest.raises(accounts.AccountError, match="last enabled admin"):
        protection.check_change(None, _user("ann"), active_admins=1, **change)  # the CLI too
    protection.check_change(None, _user("ann"), active_admins=2, **change)


def test_sec152_changes_that_lose_no_admin_pass() -> None:
    protection.check_change("ann", _user("ann"), new_role="admin", active_admins=1)
    protection.check_change(None, _user("cy", role="analyst"), disable=True, active_admins=1)
    protection.check_change(None, _user("ex", active=False), new_role="analyst", active_admins=1)
    protection.check_change(None, _user("cy", role="analyst"), new_role="admin", active_admins=0)


def test_sec153_admin_actions_apply_the_rules_on_both_backends(services: Services) -> None:
    ctx = AdminContext("ann")
    with services.db.write(bump=False) as session:
        accounts.create_user(session, "ann", "admin", PASSWORD)
        accounts.create_user(session, "cy", "analyst", PASSWORD)
    with services.db.write(bump=False) as session:
        for action in (AccountAction.DISABLE, AccountAction.SET_ROLE):
            form = AccountForm(user="ann", role="briefing")
            with pytest.raises(accounts.AccountError, match="your own"):
                apply_account_action(session, action, form, ctx)
        with pytest.raises(accounts.AccountError, match="last enabled admin"):
            accounts.disable_user(session, "ann")
        with pytest.raises(accounts.AccountError, match="choose a user"):
            apply_account_action(session, AccountAction.DISABLE, AccountForm(), ctx)
        added = apply_account_action(
            session, AccountAction.ADD, AccountForm(new_name="dee", new_role="admin"), ctx
        )
        assert "One-time password" in added
        apply_account_action(
            session, AccountAction.SET_ROLE, AccountForm(user="cy", role="commander"), ctx
        )
    # Another admin now exists, so ann may be demoted, by someone else.
    with services.db.write(bump=False) as session:
        apply_account_action(
            session, AccountAction.SET_ROLE, AccountForm(user="ann", role="analyst"),
            AdminContext("dee"),
        )
    with services.db.read() as session:
        roles = {u.username: (u.role, u.active) for u in accounts.list_users(session)}
    assert roles == {
        "ann": ("analyst", True), "cy": ("commander", True), "dee": ("admin", True),
    }


def test_sec154_cli_cannot_remove_the_last_admin(
    sqlite_services: Services, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_services.config.database_url)
    with sqlite_services.db.write(bump=False) as session:
        accounts.create_user(session, "only", "admin", PASSWORD)
    assert app_module.main(["users", "disable", "only"]) == 1
    assert app_module.main(["users", "role", "only", "analyst"]) == 1
    assert "last enabled admin" in capsys.readouterr().err


def test_sec155_token_form_bounds_what_a_request_can_send(services: Services) -> None:
    for bad in (None, "", "x", "1.5", 0, -3, 2**40, float("inf"), "1e999"):
        with pytest.raises(accounts.AccountError, match="whole number"):
            token_id_of(bad)  # type: ignore[arg-type]
    assert token_id_of("7") == 7 and token_id_of(7.0) == 7
    assert TokenForm.from_values({"token_id": True}).token_id is None
    assert AccountForm.from_values({"user": ["x"], "role": "admin"}) == AccountForm(role="admin")
    ctx = AdminContext("boss")
    with services.db.write(bump=False) as session:
        accounts.create_user(session, "boss", "admin", PASSWORD)
        created = apply_token_action(
            session, TokenAction.CREATE, TokenForm(name="qgis", user="boss"), ctx
        )
        assert created.token is not None and created.token.startswith("opsmap_")
        with pytest.raises(accounts.AccountError, match="no API token"):
            accounts.revoke_token(session, 2**40)
        with pytest.raises(accounts.AccountError, match="choose the user"):
            apply_token_action(session, TokenAction.CREATE, TokenForm(name="x"), ctx)
    with services.db.write(bump=False) as session:
        token_id = accounts.list_tokens(session)[0].id
        revoked = apply_token_action(
            session, TokenAction.REVOKE, TokenForm(token_id=str(token_id)), ctx
        )
        assert revoked.message == f"Token {token_id} revoked." and revoked.token is None
