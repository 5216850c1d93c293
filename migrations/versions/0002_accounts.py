"""accounts: users, sessions, API tokens, login attempts and the append-only processing log

Revision ID: 0002_accounts
Revises: 0001_foundation
Create Date: 2026-11-29

The processing log refuses UPDATE and DELETE through database triggers, so the application
(or anyone with its credentials) cannot rewrite it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from layers.core.ddl import (
    TZ,
    event,
    foreign_key,
    index,
    key,
    owned_table,
    primary_key,
    unique,
)

revision = "0002_accounts"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def _append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION processing_log_append_only() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'processing_log is append-only (% refused)', TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END;
            $$
            """
        )
        op.execute(
            "CREATE TRIGGER processing_log_no_update BEFORE UPDATE OR DELETE ON processing_log "
            "FOR EACH ROW EXECUTE FUNCTION processing_log_append_only()"
        )
        op.execute(
            "CREATE TRIGGER processing_log_no_truncate BEFORE TRUNCATE ON processing_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION processing_log_append_only()"
        )
    else:
        op.execute(
            "CREATE TRIGGER processing_log_no_update BEFORE UPDATE ON processing_log "
            "BEGIN SELECT RAISE(ABORT, 'processing_log is append-only (UPDATE refused)'); END"
        )
        op.execute(
            "CREATE TRIGGER processing_log_no_delete BEFORE DELETE ON processing_log "
            "BEGIN SELECT RAISE(ABORT, 'processing_log is append-only (DELETE refused)'); END"
        )


def upgrade() -> None:
    op.create_table(
        "users",
        key(),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", TZ, nullable=True),
        sa.Column("oidc_subject", sa.String(length=255), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("disabled_at", TZ, nullable=True),
        sa.Column("last_login_at", TZ, nullable=True),
        primary_key("users"),
        unique("users", "username"),
        unique("users", "oidc_subject"),
    )
    owned_table(
        "user_sessions",
        "user_id",
        "users",
        sa.Column("id", sa.String(length=64), nullable=False),
        key("user_id"),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("last_seen_at", TZ, nullable=False),
        sa.Column("revoked_at", TZ, nullable=True),
        sa.Column("source", sa.String(length=64), nullable=True),
    )
    op.create_table(
        "api_tokens",
        key(),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        key("user_id"),
        sa.Column("role", sa.String(length=16), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("last_used_at", TZ, nullable=True),
        sa.Column("revoked_at", TZ, nullable=True),
        foreign_key("api_tokens", "user_id", "users"),
        primary_key("api_tokens"),
        unique("api_tokens", "token_hash"),
    )
    index("api_tokens", "user_id")
    op.create_table(
        "login_attempts",
        key(),
        sa.Column("at", TZ, nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.Column("success", sa.Boolean(), nullable=False),
        primary_key("login_attempts"),
    )
    index("login_attempts", "at", "source")
    op.create_table(
        "processing_log",
        key(),
        *event(),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("record_ids", sa.Text(), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("justification", sa.Text(), nullable=True),
        primary_key("processing_log"),
    )
    index("processing_log", "at", "username", "action")
    _append_only_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE processing_log")
        op.execute("DROP FUNCTION processing_log_append_only()")
    else:
        op.execute("DROP TRIGGER processing_log_no_update")
        op.execute("DROP TRIGGER processing_log_no_delete")
        op.drop_table("processing_log")
    op.drop_table("login_attempts")
    op.drop_table("api_tokens")
    op.drop_table("user_sessions")
    op.drop_table("users")
