"""planning: teams and assignments of locations to team, day and position

Revision ID: 0003_planning
Revises: 0001_foundation
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from layers.core.ddl import (
    TZ,
    created,
    drop_index,
    foreign_key,
    index,
    key,
    point,
    primary_key,
    unique,
)

revision = "0003_planning"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "planning_teams",
        key(),
        sa.Column("call_sign", sa.String(length=40), nullable=False),
        sa.Column("division", sa.String(length=16), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("partners", sa.Text(), nullable=False),
        sa.Column("daily_capacity", sa.Integer(), nullable=False),
        sa.Column("shift_start", sa.String(length=5), nullable=False),
        sa.Column("shift_end", sa.String(length=5), nullable=False),
        *point("start_"),
        sa.Column("start_label", sa.String(length=120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *created(),
        primary_key("planning_teams"),
        unique("planning_teams", "call_sign"),
    )
    op.create_table(
        "planning_assignments",
        key(),
        key("location_id"),
        key("team_id"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("safety_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *created(),
        sa.Column("updated_at", TZ, nullable=False),
        foreign_key("planning_assignments", "location_id", "locations"),
        foreign_key("planning_assignments", "team_id", "planning_teams"),
        primary_key("planning_assignments"),
        unique("planning_assignments", "location_id"),
    )
    op.create_index(
        "ix_planning_assignments_team_day",
        "planning_assignments",
        ["team_id", "day", "position"],
        unique=False,
    )
    index("planning_assignments", "day")


def downgrade() -> None:
    drop_index("planning_assignments", "day")
    op.drop_index("ix_planning_assignments_team_day", table_name="planning_assignments")
    op.drop_table("planning_assignments")
    op.drop_table("planning_teams")
