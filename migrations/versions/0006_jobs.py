"""jobs: the generic background-job queue (see layers.jobs)

Revision ID: 0006_jobs
Revises: 0006_imports_undo
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from layers.core.ddl import TZ, created, drop_index, index, key, primary_key

revision = "0006_jobs"
down_revision = "0006_imports_undo"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        key(),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("worker", sa.String(length=120), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        *created(),
        sa.Column("started_at", TZ, nullable=True),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("finished_at", TZ, nullable=True),
        primary_key("jobs"),
    )
    op.create_index("ix_jobs_state_id", "jobs", ["state", "id"], unique=False)
    index("jobs", "kind")


def downgrade() -> None:
    drop_index("jobs", "kind")
    op.drop_index("ix_jobs_state_id", table_name="jobs")
    op.drop_table("jobs")
