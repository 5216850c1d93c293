"""imports: undo never cascades history away; original text of unfamiliar values; mapping presets

- ``location_history.location_id`` becomes ``ON DELETE RESTRICT``: a location's history can
  never be deleted by deleting the location (undo keeps what others acted on instead).
- ``locations.original_values``: the file's own text of choice values the vocabulary lacked
  (JSON), so an import keeps the row and nothing the analyst wrote is lost.
- ``import_presets``: named column and value mappings saved for next week's exports.

Revision ID: 0006_imports_undo
Revises: 0005_security
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from layers.core.ddl import created, key, primary_key, unique

revision = "0006_imports_undo"
down_revision = "0005_security"
branch_labels = None
depends_on = None

HISTORY_FK = "fk_location_history_location_id_locations"


def _history_fk(ondelete: str) -> None:
    with op.batch_alter_table("location_history", schema=None) as batch_op:
        batch_op.drop_constraint(HISTORY_FK, type_="foreignkey")
        batch_op.create_foreign_key(
            HISTORY_FK, "locations", ["location_id"], ["id"], ondelete=ondelete
        )


def upgrade() -> None:
    _history_fk("RESTRICT")
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("original_values", sa.Text(), nullable=True))
    op.create_table(
        "import_presets",
        key(),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("value_map", sa.Text(), nullable=False),
        *created(),
        primary_key("import_presets"),
        unique("import_presets", "name"),
    )


def downgrade() -> None:
    op.drop_table("import_presets")
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.drop_column("original_values")
    _history_fk("CASCADE")
