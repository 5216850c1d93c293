"""field mode: team links, visits with check-in timers, the idempotent action log, alerts

Revision ID: 0011_field
Revises: 0009_operation_close
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_field"
down_revision = "0009_operation_close"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "field_team_links",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("linked_by", sa.String(length=80), nullable=False),
        sa.Column("linked_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_field_team_links_user_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["planning_teams.id"],
                                name=op.f("fk_field_team_links_team_id_planning_teams"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_field_team_links")),
    )
    op.create_index(op.f("ix_field_team_links_team_id"), "field_team_links", ["team_id"])
    op.create_table(
        "field_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("on_way_at", TZ, nullable=True),
        sa.Column("arrived_at", TZ, nullable=True),
        sa.Column("expected_minutes", sa.Integer(), nullable=False),
        sa.Column("due_at", TZ, nullable=True),
        sa.Column("left_at", TZ, nullable=True),
        sa.Column("result", sa.String(length=24), nullable=True),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"],
                                name=op.f("fk_field_visits_location_id_locations"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["planning_teams.id"],
                                name=op.f("fk_field_visits_team_id_planning_teams"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_visits")),
    )
    op.create_index(op.f("ix_field_visits_location_id"), "field_visits", ["location_id"])
    op.create_index(op.f("ix_field_visits_team_id"), "field_visits", ["team_id"])
    op.create_table(
        "field_actions",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("done_at", TZ, nullable=False),
        sa.Column("received_at", TZ, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_field_actions")),
    )
    op.create_index(op.f("ix_field_actions_team_id"), "field_actions", ["team_id"])
    op.create_index(op.f("ix_field_actions_location_id"), "field_actions", ["location_id"])
    op.create_table(
        "field_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("raised_at", TZ, nullable=False),
        sa.Column("acknowledged_by", sa.String(length=80), nullable=True),
        sa.Column("acknowledged_at", TZ, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["visit_id"], ["field_visits.id"],
                                name=op.f("fk_field_alerts_visit_id_field_visits"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_alerts")),
        sa.UniqueConstraint("visit_id", name=op.f("uq_field_alerts_visit_id")),
    )
    op.create_index(op.f("ix_field_alerts_team_id"), "field_alerts", ["team_id"])


def downgrade() -> None:
    op.drop_table("field_alerts")
    op.drop_table("field_actions")
    op.drop_table("field_visits")
    op.drop_table("field_team_links")
