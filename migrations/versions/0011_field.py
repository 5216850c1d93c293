"""field mode: team links, visits with check-in timers, the idempotent action log, alerts

Revision ID: 0011_field
Revises: 0009_operation_close
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from layers.core.ddl import TZ, foreign_key, index, key, primary_key, unique

revision = "0011_field"
down_revision = "0009_operation_close"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "field_team_links",
        key("user_id"),
        key("team_id"),
        sa.Column("linked_by", sa.String(length=80), nullable=False),
        sa.Column("linked_at", TZ, nullable=False),
        foreign_key("field_team_links", "user_id", "users"),
        foreign_key("field_team_links", "team_id", "planning_teams"),
        primary_key("field_team_links", "user_id"),
    )
    index("field_team_links", "team_id")
    op.create_table(
        "field_visits",
        key(),
        key("location_id"),
        key("team_id"),
        sa.Column("on_way_at", TZ, nullable=True),
        sa.Column("arrived_at", TZ, nullable=True),
        sa.Column("expected_minutes", sa.Integer(), nullable=False),
        sa.Column("due_at", TZ, nullable=True),
        sa.Column("left_at", TZ, nullable=True),
        sa.Column("result", sa.String(length=24), nullable=True),
        foreign_key("field_visits", "location_id", "locations"),
        foreign_key("field_visits", "team_id", "planning_teams"),
        primary_key("field_visits"),
    )
    index("field_visits", "location_id", "team_id")
    op.create_table(
        "field_actions",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        key("team_id"),
        key("location_id"),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("done_at", TZ, nullable=False),
        sa.Column("received_at", TZ, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        primary_key("field_actions", "key"),
    )
    index("field_actions", "team_id", "location_id")
    op.create_table(
        "field_alerts",
        key(),
        key("visit_id"),
        key("team_id"),
        key("location_id"),
        sa.Column("raised_at", TZ, nullable=False),
        sa.Column("acknowledged_by", sa.String(length=80), nullable=True),
        sa.Column("acknowledged_at", TZ, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        foreign_key("field_alerts", "visit_id", "field_visits"),
        primary_key("field_alerts"),
        unique("field_alerts", "visit_id"),
    )
    index("field_alerts", "team_id")


def downgrade() -> None:
    op.drop_table("field_alerts")
    op.drop_table("field_actions")
    op.drop_table("field_visits")
    op.drop_table("field_team_links")
