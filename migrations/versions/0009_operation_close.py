"""operation close: the operation's state (open, closed, erased) and its retained statistics

Revision ID: 0009_operation_close
Revises: 0008_public_updates
Create Date: 2026-12-01

``operation_state`` has exactly one row (id 1), inserted here: every write reads it to refuse
changes once the operation is closed. ``operation_statistics`` keeps the anonymous counts that
remain after records are erased, when the force chooses statistics over plain deletion.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from layers.core.ddl import TZ, key, primary_key

revision = "0009_operation_close"
down_revision = "0008_public_updates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    state = op.create_table(
        "operation_state",
        key(),
        sa.Column("closed_at", TZ, nullable=True),
        sa.Column("closed_by", sa.String(length=80), nullable=True),
        sa.Column("erase_after", TZ, nullable=True),
        sa.Column("erasure_mode", sa.String(length=16), nullable=True),
        sa.Column("records_pack", sa.Text(), nullable=True),
        sa.Column("records_pack_sha256", sa.String(length=64), nullable=True),
        sa.Column("erased_at", TZ, nullable=True),
        sa.Column("erased_by", sa.String(length=80), nullable=True),
        primary_key("operation_state"),
    )
    op.bulk_insert(state, [{"id": 1}])
    op.create_table(
        "operation_statistics",
        key(),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("district_code", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("measure", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        primary_key("operation_statistics"),
    )


def downgrade() -> None:
    op.drop_table("operation_statistics")
    op.drop_table("operation_state")
