"""The building blocks every migration shares, so each migration spells only what is its own.

Constraint and index names are the ones ``Base.metadata``'s naming convention gives
(``layers.core.models.NAMING``), marked final with ``op.f`` so Alembic uses them as they are:
a migration built from these creates exactly the schema it would create spelling them out.
Migrations are history: what an applied migration uses here must never change (add a new
block instead).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import SchemaItem

TZ = sa.DateTime(timezone=True)
"""Every stored time: timezone-aware (UTC), see ``layers.core.models.UTCDateTime``."""


def key(name: str = "id") -> sa.Column:
    """The integer id column a table's primary key (or a reference to another table) uses."""
    return sa.Column(name, sa.Integer(), nullable=False)


def created() -> tuple[sa.Column, sa.Column]:
    """Who created the row and when, in that order."""
    return (
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )


def point(prefix: str = "") -> tuple[sa.Column, ...]:
    """A place as stored: WGS84 longitude and latitude, then British National Grid metres."""
    return tuple(
        sa.Column(f"{prefix}{axis}", sa.Float(), nullable=False)
        for axis in ("lon", "lat", "easting", "northing")
    )


def event() -> tuple[sa.Column, sa.Column, sa.Column]:
    """When, by whom and what: the head of every append-only trail (history, log, events)."""
    return (
        sa.Column("at", TZ, nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
    )


def primary_key(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    """The primary key of ``table``: ``id`` unless other columns are named."""
    return sa.PrimaryKeyConstraint(*(columns or ("id",)), name=op.f(f"pk_{table}"))


def unique(table: str, column: str) -> sa.UniqueConstraint:
    """A single-column unique constraint."""
    return sa.UniqueConstraint(column, name=op.f(f"uq_{table}_{column}"))


def foreign_key(
    table: str, column: str, target: str, ondelete: str = "CASCADE"
) -> sa.ForeignKeyConstraint:
    """``table.column`` refers to ``target.id``; deleting the target deletes the row by default."""
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def index(table: str, *columns: str) -> None:
    """One plain index per named column of ``table``."""
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def owned_table(table: str, column: str, owner: str, *items: SchemaItem) -> None:
    """Create ``table`` (its columns and constraints are ``items``, its key ``id``) whose rows
    belong to a row of ``owner`` through ``column``: indexed, and deleted with that row."""
    op.create_table(table, *items, foreign_key(table, column, owner), primary_key(table))
    index(table, column)


def drop_index(table: str, *columns: str) -> None:
    """Drop the indexes ``index`` created, in the order named."""
    for column in columns:
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
