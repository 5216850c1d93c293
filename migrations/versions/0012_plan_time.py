"""plan in time: team breaks and skills, visit settings, planned arrival and departure

Revision ID: 0012_plan_time
Revises: 0011_field
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_plan_time"
down_revision = "0011_field"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("planning_teams", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("break_minutes", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("skills", sa.Text(), nullable=False, server_default="[]"))
    with op.batch_alter_table("planning_assignments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("eta", TZ, nullable=True))
        batch_op.add_column(sa.Column("etd", TZ, nullable=True))
    op.create_table(
        "planning_visit_settings",
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("window_from", sa.String(length=5), nullable=True),
        sa.Column("window_until", sa.String(length=5), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("skills", sa.Text(), nullable=True),
        sa.Column("latest_day", sa.Date(), nullable=True),
        sa.Column("on_day", sa.Date(), nullable=True),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"],
                                name=op.f("fk_planning_visit_settings_location_id_locations"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("location_id", name=op.f("pk_planning_visit_settings")),
    )


def downgrade() -> None:
    op.drop_table("planning_visit_settings")
    with op.batch_alter_table("planning_assignments", schema=None) as batch_op:
        batch_op.drop_column("etd")
        batch_op.drop_column("eta")
    with op.batch_alter_table("planning_teams", schema=None) as batch_op:
        batch_op.drop_column("skills")
        batch_op.drop_column("break_minutes")
