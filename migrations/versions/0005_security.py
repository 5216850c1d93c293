"""security: REPLACE cannot rewrite the processing log; per-address sign-in back-off

Revision ID: 0005_security
Revises: 0004_lean_location_indexes
Create Date: 2026-12-01

- SQLite: ``INSERT OR REPLACE`` (and ``REPLACE INTO``) with an existing id deleted and rewrote a
  log row without firing the DELETE trigger. A BEFORE INSERT trigger now refuses any insert
  whose id already exists. (PostgreSQL has no REPLACE; ``ON CONFLICT DO UPDATE`` fires the
  existing UPDATE trigger.)
- The per-account lockout (``users.failed_logins``, ``users.locked_until``), which anyone could
  trigger, gives way to ``sign_in_backoff``: failures per username *and* address.
- API tokens of accounts disabled before this revision are revoked, as disabling now does.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from layers.core.ddl import TZ, drop_index, index, primary_key

revision = "0005_security"
down_revision = "0004_lean_location_indexes"
branch_labels = None
depends_on = None


def _revoke_tokens_of_disabled_users() -> None:
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("active", sa.Boolean))
    tokens = sa.table(
        "api_tokens", sa.column("user_id", sa.Integer), sa.column("revoked_at", TZ)
    )
    disabled = sa.select(users.c.id).where(users.c.active == sa.false())
    op.execute(
        tokens.update()
        .where(tokens.c.revoked_at.is_(None), tokens.c.user_id.in_(disabled))
        .values(revoked_at=sa.func.current_timestamp())
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER processing_log_no_replace BEFORE INSERT ON processing_log "
            "WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM processing_log WHERE id = NEW.id) "
            "BEGIN SELECT RAISE(ABORT, 'processing_log is append-only (REPLACE refused)'); END"
        )
    op.create_table(
        "sign_in_backoff",
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", TZ, nullable=False),
        primary_key("sign_in_backoff", "username", "source"),
    )
    index("sign_in_backoff", "last_failure_at")
    op.drop_column("users", "failed_logins")
    op.drop_column("users", "locked_until")
    _revoke_tokens_of_disabled_users()


def downgrade() -> None:
    op.add_column("users", sa.Column("locked_until", TZ, nullable=True))
    op.add_column(
        "users",
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
    )
    drop_index("sign_in_backoff", "last_failure_at")
    op.drop_table("sign_in_backoff")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER processing_log_no_replace")
