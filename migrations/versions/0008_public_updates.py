"""public updates: drafts with their frozen texts and decisions, and each step taken

Revision ID: 0008_public_updates
Revises: 0007_networks
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from layers.core.ddl import TZ, drop_index, event, index, key, owned_table, primary_key

revision = "0008_public_updates"
down_revision = "0007_networks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "public_updates",
        key(),
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
        primary_key("public_updates"),
    )
    index("public_updates", "status")
    owned_table(
        "public_update_events",
        "update_id",
        "public_updates",
        key(),
        key("update_id"),
        *event(),
        sa.Column("note", sa.Text(), nullable=True),
    )


def downgrade() -> None:
    drop_index("public_update_events", "update_id")
    op.drop_table("public_update_events")
    drop_index("public_updates", "status")
    op.drop_table("public_updates")
