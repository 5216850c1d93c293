"""planning: teams and assignments of locations to team, day and position

Revision ID: 0003_planning
Revises: 0001_foundation
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_planning"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "planning_teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_sign", sa.String(length=40), nullable=False),
        sa.Column("division", sa.String(length=16), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("partners", sa.Text(), nullable=False),
        sa.Column("daily_capacity", sa.Integer(), nullable=False),
        sa.Column("shift_start", sa.String(length=5), nullable=False),
        sa.Column("shift_end", sa.String(length=5), nullable=False),
        sa.Column("start_lon", sa.Float(), nullable=False),
        sa.Column("start_lat", sa.Float(), nullable=False),
        sa.Column("start_easting", sa.Float(), nullable=False),
        sa.Column("start_northing", sa.Float(), nullable=False),
        sa.Column("start_label", sa.String(length=120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planning_teams")),
        sa.UniqueConstraint("call_sign", name=op.f("uq_planning_teams_call_sign")),
    )
    op.create_table(
        "planning_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("safety_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_planning_assignments_location_id_locations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["planning_teams.id"],
            name=op.f("fk_planning_assignments_team_id_planning_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planning_assignments")),
        sa.UniqueConstraint("location_id", name=op.f("uq_planning_assignments_location_id")),
    )
    with op.batch_alter_table("planning_assignments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_planning_assignments_team_day", ["team_id", "day", "position"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_planning_assignments_day"), ["day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("planning_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planning_assignments_day"))
        batch_op.drop_index("ix_planning_assignments_team_day")
    op.drop_table("planning_assignments")
    op.drop_table("planning_teams")
