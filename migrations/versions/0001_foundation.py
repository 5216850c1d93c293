"""foundation: locations, history, imports, custom layers

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_revision")),
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
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("layer_name", sa.String(length=120), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows_accepted", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("undone_by", sa.String(length=80), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("report", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    op.create_table(
        "operations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations")),
    )
    op.create_table(
        "custom_layers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("geometry_type", sa.String(length=32), nullable=False),
        sa.Column("style", sa.Text(), nullable=False),
        sa.Column("visible", sa.Boolean(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
            name=op.f("fk_custom_layers_import_id_imports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_layers")),
        sa.UniqueConstraint("name", name=op.f("uq_custom_layers_name")),
    )
    with op.batch_alter_table("custom_layers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_custom_layers_import_id"), ["import_id"], unique=False
        )

    op.create_table(
        "locations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("easting", sa.Float(), nullable=False),
        sa.Column("northing", sa.Float(), nullable=False),
        sa.Column("district_code", sa.String(length=16), nullable=False),
        sa.Column("division", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=True),
        sa.Column("outcome_detail", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=True),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("postcode", sa.String(length=10), nullable=True),
        sa.Column("premises_type", sa.String(length=40), nullable=True),
        sa.Column("risk", sa.String(length=8), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("grade_source", sa.String(length=1), nullable=True),
        sa.Column("grade_intel", sa.String(length=1), nullable=True),
        sa.Column("grade_handling", sa.String(length=1), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("linked_premises_id", sa.Integer(), nullable=True),
        sa.Column("site", sa.String(length=64), nullable=True),
        sa.Column("phone_hash", sa.String(length=64), nullable=True),
        sa.Column("phone_last3", sa.String(length=3), nullable=True),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
            name=op.f("fk_locations_import_id_imports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["linked_premises_id"],
            ["locations.id"],
            name=op.f("fk_locations_linked_premises_id_locations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locations")),
    )
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_locations_import_id"), ["import_id"], unique=False
        )
        batch_op.create_index(
            "ix_locations_kind_district_status",
            ["kind", "district_code", "status"],
            unique=False,
        )
        batch_op.create_index("ix_locations_kind_ref", ["kind", "ref"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_locations_observed_at"), ["observed_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_locations_phone_hash"), ["phone_hash"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_locations_status"), ["status"], unique=False
        )

    op.create_table(
        "custom_features",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("layer_id", sa.Integer(), nullable=False),
        sa.Column("geometry_wkb", sa.LargeBinary(), nullable=False),
        sa.Column("properties", sa.Text(), nullable=False),
        sa.Column("district_code", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["layer_id"],
            ["custom_layers.id"],
            name=op.f("fk_custom_features_layer_id_custom_layers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_features")),
    )
    with op.batch_alter_table("custom_features", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_custom_features_layer_id"), ["layer_id"], unique=False
        )

    op.create_table(
        "location_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("from_status", sa.String(length=24), nullable=True),
        sa.Column("to_status", sa.String(length=24), nullable=True),
        sa.Column("from_version", sa.Integer(), nullable=False),
        sa.Column("to_version", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_location_history_location_id_locations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location_history")),
    )
    with op.batch_alter_table("location_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_location_history_at"), ["at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_location_history_location_id"), ["location_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("location_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_location_history_location_id"))
        batch_op.drop_index(batch_op.f("ix_location_history_at"))

    op.drop_table("location_history")
    with op.batch_alter_table("custom_features", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custom_features_layer_id"))

    op.drop_table("custom_features")
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_locations_status"))
        batch_op.drop_index(batch_op.f("ix_locations_phone_hash"))
        batch_op.drop_index(batch_op.f("ix_locations_observed_at"))
        batch_op.drop_index("ix_locations_kind_ref")
        batch_op.drop_index("ix_locations_kind_district_status")
        batch_op.drop_index(batch_op.f("ix_locations_import_id"))

    op.drop_table("locations")
    with op.batch_alter_table("custom_layers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custom_layers_import_id"))

    op.drop_table("custom_layers")
    op.drop_table("operations")
    op.drop_table("imports")
    op.drop_table("data_revision")
