"""Join the accounts and planning branches; drop location indexes no query uses.

Every query on locations filters by kind first (served by ``kind, district_code, status`` and
``kind, ref``) or works on the in-memory map frame, so the single-column indexes on status,
observed_at and phone_hash only slowed bulk imports (each index is rebuilt per import).

Revision ID: 0004_lean_location_indexes
Revises: 0002_accounts, 0003_planning
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0004_lean_location_indexes"
down_revision = ("0002_accounts", "0003_planning")
branch_labels = None
depends_on = None

UNUSED = (
    ("ix_locations_status", ["status"]),
    ("ix_locations_observed_at", ["observed_at"]),
    ("ix_locations_phone_hash", ["phone_hash"]),
)


def upgrade() -> None:
    for name, _columns in UNUSED:
        op.drop_index(name, table_name="locations")


def downgrade() -> None:
    for name, columns in UNUSED:
        op.create_index(name, "locations", columns, unique=False)
