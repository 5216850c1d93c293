"""networks: advert text, photos and phones; networks, members, evidence, moves, alerts,
links and analysts' decisions

Revision ID: 0007_networks
Revises: 0006_jobs
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from layers.core.ddl import TZ, drop_index, foreign_key, index, key, owned_table, primary_key

revision = "0007_networks"
down_revision = "0006_jobs"
branch_labels = None
depends_on = None

LOCATION_COLUMNS = ("title", "text", "image_hashes", "phone_hashes")


def _of_a_network(table: str, *items: sa.Column | sa.ForeignKeyConstraint) -> None:
    """A table whose rows belong to one network: id, the network (indexed; deleting the network
    deletes them), then the table's own columns and constraints."""
    owned_table(table, "network_id", "networks", key(), key("network_id"), *items)


def upgrade() -> None:
    for name in LOCATION_COLUMNS:
        op.add_column("locations", sa.Column(name, sa.Text(), nullable=True))
    op.create_table(
        "networks",
        key(),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("review", sa.String(length=16), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("districts", sa.Text(), nullable=False),
        sa.Column("moves", sa.Integer(), nullable=False),
        sa.Column("linked_premises", sa.Integer(), nullable=False),
        sa.Column("linked_tipoffs", sa.Integer(), nullable=False),
        sa.Column("first_seen", TZ, nullable=True),
        sa.Column("last_seen", TZ, nullable=True),
        sa.Column("template", sa.Text(), nullable=True),
        sa.Column("built_at", TZ, nullable=False),
        primary_key("networks"),
    )
    index("networks", "state")
    op.create_table(
        "network_members",
        key("location_id"),
        key("network_id"),
        foreign_key("network_members", "location_id", "locations"),
        foreign_key("network_members", "network_id", "networks"),
        primary_key("network_members", "location_id"),
    )
    index("network_members", "network_id")
    _of_a_network(
        "network_evidence",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("adverts", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    _of_a_network(
        "network_moves",
        sa.Column("from_district", sa.String(length=16), nullable=False),
        sa.Column("to_district", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
    )
    _of_a_network(
        "network_alerts",
        sa.Column("district_code", sa.String(length=16), nullable=False),
        key("location_id"),
        sa.Column("at", TZ, nullable=False),
        foreign_key("network_alerts", "location_id", "locations"),
    )
    _of_a_network(
        "network_links",
        key("location_id"),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=True),
        foreign_key("network_links", "location_id", "locations"),
    )
    index("network_links", "location_id")
    op.create_table(
        "network_decisions",
        key(),
        sa.Column("action", sa.String(length=16), nullable=False),
        key("network_id"),
        sa.Column("adverts", sa.Text(), nullable=False),
        sa.Column("others", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("at", TZ, nullable=False),
        primary_key("network_decisions"),
    )
    index("network_decisions", "at")


def downgrade() -> None:
    drop_index("network_decisions", "at")
    op.drop_table("network_decisions")
    for table in ("network_links", "network_alerts", "network_moves", "network_evidence"):
        op.drop_table(table)
    drop_index("network_members", "network_id")
    op.drop_table("network_members")
    drop_index("networks", "state")
    op.drop_table("networks")
    with op.batch_alter_table("locations") as batch:
        for name in LOCATION_COLUMNS:
            batch.drop_column(name)
