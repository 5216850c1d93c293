"""networks: advert text, photos and phones; networks, members, evidence, moves, alerts,
links and analysts' decisions

Revision ID: 0007_networks
Revises: 0006_jobs
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_networks"
down_revision = "0006_jobs"
branch_labels = None
depends_on = None

LOCATION_COLUMNS = ("title", "text", "image_hashes", "phone_hashes")


def _network_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["network_id"],
        ["networks.id"],
        name=op.f(f"fk_{table}_network_id_networks"),
        ondelete="CASCADE",
    )


def _location_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["location_id"],
        ["locations.id"],
        name=op.f(f"fk_{table}_location_id_locations"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    for name in LOCATION_COLUMNS:
        op.add_column("locations", sa.Column(name, sa.Text(), nullable=True))
    op.create_table(
        "networks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("review", sa.String(length=16), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("districts", sa.Text(), nullable=False),
        sa.Column("moves", sa.Integer(), nullable=False),
        sa.Column("linked_premises", sa.Integer(), nullable=False),
        sa.Column("linked_tipoffs", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("template", sa.Text(), nullable=True),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_networks")),
    )
    op.create_index("ix_networks_state", "networks", ["state"], unique=False)
    op.create_table(
        "network_members",
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        _location_fk("network_members"),
        _network_fk("network_members"),
        sa.PrimaryKeyConstraint("location_id", name=op.f("pk_network_members")),
    )
    op.create_index(
        "ix_network_members_network_id", "network_members", ["network_id"], unique=False
    )
    op.create_table(
        "network_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("adverts", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        _network_fk("network_evidence"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_evidence")),
    )
    op.create_index(
        "ix_network_evidence_network_id", "network_evidence", ["network_id"], unique=False
    )
    op.create_table(
        "network_moves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("from_district", sa.String(length=16), nullable=False),
        sa.Column("to_district", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        _network_fk("network_moves"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_moves")),
    )
    op.create_index("ix_network_moves_network_id", "network_moves", ["network_id"], unique=False)
    op.create_table(
        "network_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("district_code", sa.String(length=16), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        _location_fk("network_alerts"),
        _network_fk("network_alerts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_alerts")),
    )
    op.create_index(
        "ix_network_alerts_network_id", "network_alerts", ["network_id"], unique=False
    )
    op.create_table(
        "network_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=True),
        _location_fk("network_links"),
        _network_fk("network_links"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_links")),
    )
    op.create_index("ix_network_links_network_id", "network_links", ["network_id"], unique=False)
    op.create_index(
        "ix_network_links_location_id", "network_links", ["location_id"], unique=False
    )
    op.create_table(
        "network_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("adverts", sa.Text(), nullable=False),
        sa.Column("others", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_decisions")),
    )
    op.create_index("ix_network_decisions_at", "network_decisions", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_network_decisions_at", table_name="network_decisions")
    op.drop_table("network_decisions")
    for table in ("network_links", "network_alerts", "network_moves", "network_evidence"):
        op.drop_table(table)
    op.drop_index("ix_network_members_network_id", table_name="network_members")
    op.drop_table("network_members")
    op.drop_index("ix_networks_state", table_name="networks")
    op.drop_table("networks")
    with op.batch_alter_table("locations") as batch:
        for name in LOCATION_COLUMNS:
            batch.drop_column(name)
