"""foundation: locations, history, imports, custom layers

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from layers.core.ddl import (
    TZ,
    created,
    drop_index,
    event,
    foreign_key,
    index,
    key,
    owned_table,
    point,
    primary_key,
    unique,
)


revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None

GRADES = ("source", "intel", "handling")


def upgrade() -> None:
    op.create_table(
        "data_revision",
        key(),
        sa.Column("revision", sa.Integer(), nullable=False),
        primary_key("data_revision"),
    )
    op.bulk_insert(
        sa.table(
            "data_revision",
            sa.column("id", sa.Integer),
            sa.column("revision", sa.Integer),
        ),
        [{"id": 1, "revision": 0}],
    )
    op.create_table(
        "imports",
        key(),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("layer_name", sa.String(length=120), nullable=True),
        *created(),
        sa.Column("rows_accepted", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("undone_by", sa.String(length=80), nullable=True),
        sa.Column("undone_at", TZ, nullable=True),
        sa.Column("report", sa.Text(), nullable=True),
        primary_key("imports"),
    )
    op.create_table(
        "operations",
        key(),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        primary_key("operations"),
    )
    op.create_table(
        "custom_layers",
        key(),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("geometry_type", sa.String(length=32), nullable=False),
        sa.Column("style", sa.Text(), nullable=False),
        sa.Column("visible", sa.Boolean(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        *created(),
        foreign_key("custom_layers", "import_id", "imports"),
        primary_key("custom_layers"),
        unique("custom_layers", "name"),
    )
    index("custom_layers", "import_id")
    _locations()
    owned_table(
        "custom_features",
        "layer_id",
        "custom_layers",
        key(),
        key("layer_id"),
        sa.Column("geometry_wkb", sa.LargeBinary(), nullable=False),
        sa.Column("properties", sa.Text(), nullable=False),
        sa.Column("district_code", sa.String(length=16), nullable=False),
    )
    op.create_table(
        "location_history",
        key(),
        key("location_id"),
        *event(),
        sa.Column("from_status", sa.String(length=24), nullable=True),
        sa.Column("to_status", sa.String(length=24), nullable=True),
        sa.Column("from_version", sa.Integer(), nullable=False),
        sa.Column("to_version", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        foreign_key("location_history", "location_id", "locations"),
        primary_key("location_history"),
    )
    index("location_history", "at", "location_id")


def _locations() -> None:
    op.create_table(
        "locations",
        key(),
        sa.Column("kind", sa.String(length=16), nullable=False),
        *point(),
        sa.Column("district_code", sa.String(length=16), nullable=False),
        sa.Column("division", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=True),
        sa.Column("outcome_detail", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=True),
        sa.Column("observed_at", TZ, nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("postcode", sa.String(length=10), nullable=True),
        sa.Column("premises_type", sa.String(length=40), nullable=True),
        sa.Column("risk", sa.String(length=8), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=True),
        *(sa.Column(f"grade_{part}", sa.String(length=1), nullable=True) for part in GRADES),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("linked_premises_id", sa.Integer(), nullable=True),
        sa.Column("site", sa.String(length=64), nullable=True),
        sa.Column("phone_hash", sa.String(length=64), nullable=True),
        sa.Column("phone_last3", sa.String(length=3), nullable=True),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=False),
        *created(),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        foreign_key("locations", "import_id", "imports"),
        foreign_key("locations", "linked_premises_id", "locations", ondelete="SET NULL"),
        primary_key("locations"),
    )
    index("locations", "import_id")
    op.create_index(
        "ix_locations_kind_district_status",
        "locations",
        ["kind", "district_code", "status"],
        unique=False,
    )
    op.create_index("ix_locations_kind_ref", "locations", ["kind", "ref"], unique=False)
    index("locations", "observed_at", "phone_hash", "status")


def downgrade() -> None:
    drop_index("location_history", "location_id", "at")
    op.drop_table("location_history")
    drop_index("custom_features", "layer_id")
    op.drop_table("custom_features")
    drop_index("locations", "status", "phone_hash", "observed_at")
    op.drop_index("ix_locations_kind_ref", table_name="locations")
    op.drop_index("ix_locations_kind_district_status", table_name="locations")
    drop_index("locations", "import_id")
    op.drop_table("locations")
    drop_index("custom_layers", "import_id")
    op.drop_table("custom_layers")
    op.drop_table("operations")
    op.drop_table("imports")
    op.drop_table("data_revision")
