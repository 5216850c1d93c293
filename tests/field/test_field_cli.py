"""``users add NAME --role team --team CALL_SIGN`` and ``users team``: accounts tied to a team."""

from __future__ import annotations

import io

import pytest

import app as app_module
from layers.accounts import get_user
from layers.field.links import links
from layers.services import Services
from tests.planning.conftest import add_team


@pytest.fixture
def cli_db(services: Services, monkeypatch: pytest.MonkeyPatch) -> Services:
    """The CLI pointed at the test database (either backend)."""
    monkeypatch.setenv("DATABASE_URL", services.config.database_url)
    monkeypatch.setenv("OPSMAP_INSTANCE", str(services.config.instance_dir))
    return services


def test_fld040_cli_adds_team_accounts_linked_to_their_team(
    cli_db: Services, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    add_team(cli_db, "ALPHA1")
    add_team(cli_db, "BRAVO1", "chorley")

    def add(*args: str) -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO("a phone passphrase\n"))
        return app_module.main(["users", "add", *args, "--password-stdin"])

    assert add("phone-a", "--role", "team", "--team", "alpha1") == 0
    assert "in team alpha1" in capsys.readouterr().out
    assert add("phone-b", "--role", "team") == 1  # a team account needs its team
    assert add("phone-c", "--role", "team", "--team", "NOPE") == 1
    assert "no team with call sign" in capsys.readouterr().err
    assert add("desk-d", "--role", "analyst", "--team", "ALPHA1") == 1
    assert app_module.main(["users", "team", "phone-a", "BRAVO1"]) == 0
    with cli_db.db.read() as session:
        assert links(session) == {"phone-a": "BRAVO1"}
        assert get_user(session, "phone-b") is None and get_user(session, "phone-c") is None
