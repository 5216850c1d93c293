"""Migration 0005_security on both backends: data carried over, tables equal to the models."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from layers import accounts
from layers.accounts import tables
from layers.core.db import alembic_config
from layers.core.models import Base
from layers.services import Services

BEFORE = "0004_lean_location_indexes"
ACCOUNT_TABLES = {
    t.name for t in (tables.User.__table__, tables.UserSession.__table__,
                     tables.ApiToken.__table__, tables.LoginAttempt.__table__,
                     tables.SignInBackoff.__table__)
}


def test_sec210_upgrade_revokes_tokens_of_disabled_accounts_and_drops_lockout(
    services: Services,
) -> None:
    cfg = alembic_config(services.config.database_url)
    command.downgrade(cfg, BEFORE)
    assert "sign_in_backoff" not in inspect(services.db.engine).get_table_names()
    with services.db.engine.begin() as conn:
        for user_id, active in ((1, True), (2, False)):
            conn.execute(text(
                "INSERT INTO users (id, username, role, password_hash, active, failed_logins, "
                "created_at, created_by) VALUES (:id, :name, 'analyst', 'x', :active, 3, "
                "CURRENT_TIMESTAMP, 'test')"
            ), {"id": user_id, "name": f"user{user_id}", "active": active})
            conn.execute(text(
                "INSERT INTO api_tokens (name, token_hash, prefix, user_id, created_at, "
                "created_by) VALUES ('t', :hash, 'opsmap_x', :id, CURRENT_TIMESTAMP, 'test')"
            ), {"hash": f"{user_id:064d}", "id": user_id})
    command.upgrade(cfg, "heads")
    with services.db.read() as session:
        states = {t.user.username: t.revoked_at is not None
                  for t in accounts.list_tokens(session)}
    assert states == {"user1": False, "user2": True}
    columns = {c["name"] for c in inspect(services.db.engine).get_columns("users")}
    assert not columns & {"failed_logins", "locked_until"}
    command.downgrade(cfg, BEFORE)  # and back again: the downgrade works too
    command.upgrade(cfg, "heads")


def _table_named(change: object) -> str | None:
    """The table an autogenerate difference is about (its tuples name it in various places)."""
    item = change[0] if isinstance(change, list) else change
    for part in item[1:] if isinstance(item, tuple) else ():
        if isinstance(part, str) and part in ACCOUNT_TABLES:
            return part
        table = getattr(part, "table", part)
        name = getattr(table, "name", None)
        if name in ACCOUNT_TABLES:
            return str(name)
    return None


def test_sec211_account_tables_match_the_migrations(services: Services) -> None:
    with services.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [change for change in diff if _table_named(change) in ACCOUNT_TABLES] == []
