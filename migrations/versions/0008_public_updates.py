"""public updates: drafts with their frozen texts and decisions, and each step taken

Revision ID: 0008_public_updates
Revises: 0007_networks
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_public_updates"
down_revision = "0007_networks"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "public_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("release", sa.Text(), nullable=False),
        sa.Column("x_text", sa.Text(), nullable=False),
        sa.Column("facebook_text", sa.Text(), nullable=False),
        sa.Column("cards", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("drafted_by", sa.String(length=80), nullable=False),
        sa.Column("drafted_at", TZ, nullable=False),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.Column("decided_at", TZ, nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("exports", sa.Integer(), nullable=False),
        sa.Column("data_revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_updates")),
    )
    with op.batch_alter_table("public_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_public_updates_status"), ["status"], unique=False)
    op.create_table(
        "public_update_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("update_id", sa.Integer(), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["update_id"],
            ["public_updates.id"],
            name=op.f("fk_public_update_events_update_id_public_updates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_update_events")),
    )
    with op.batch_alter_table("public_update_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_public_update_events_update_id"), ["update_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("public_update_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_public_update_events_update_id"))
    op.drop_table("public_update_events")
    with op.batch_alter_table("public_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_public_updates_status"))
    op.drop_table("public_updates")
