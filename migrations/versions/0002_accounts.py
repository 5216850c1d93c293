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

revision = "0002_accounts"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


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
        sa.Column("id", sa.Integer(), nullable=False),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
        sa.UniqueConstraint("oidc_subject", name=op.f("uq_users_oidc_subject")),
    )
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("last_seen_at", TZ, nullable=False),
        sa.Column("revoked_at", TZ, nullable=True),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
    )
    op.create_index(op.f("ix_user_sessions_user_id"), "user_sessions", ["user_id"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("last_used_at", TZ, nullable=True),
        sa.Column("revoked_at", TZ, nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index(op.f("ix_api_tokens_user_id"), "api_tokens", ["user_id"])
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    op.create_index(op.f("ix_login_attempts_at"), "login_attempts", ["at"])
    op.create_index(op.f("ix_login_attempts_source"), "login_attempts", ["source"])
    op.create_table(
        "processing_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("record_ids", sa.Text(), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("justification", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processing_log")),
    )
    op.create_index(op.f("ix_processing_log_at"), "processing_log", ["at"])
    op.create_index(op.f("ix_processing_log_username"), "processing_log", ["username"])
    op.create_index(op.f("ix_processing_log_action"), "processing_log", ["action"])
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
