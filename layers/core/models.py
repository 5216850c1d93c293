"""The database tables of the operation's data (SQLAlchemy 2 declarative models).

One wide ``locations`` table holds the three built-in kinds: the kinds share geometry, district,
status and provenance, and one table lets a filter, a count or a bulk import touch all of them
with one indexed query. Which columns belong to which kind is declared in :mod:`layers.core.kinds`.
The schema itself is created and upgraded only by the Alembic migrations in ``migrations/``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedColumn, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def owned_by(table: str, **column: Any) -> MappedColumn[int]:
    """A reference to the row of ``table`` this row belongs to: deleting that row deletes this
    one (``ON DELETE CASCADE``). ``column`` passes on (``index=True``, ``primary_key=True``...)."""
    return mapped_column(ForeignKey(f"{table}.id", ondelete="CASCADE"), **column)


def utcnow() -> dt.datetime:
    """Timezone-aware now in UTC: every stored time is UTC."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp that is always timezone-aware UTC in Python, on SQLite and PostgreSQL alike.

    SQLite keeps no time zone, so values are converted to UTC on the way in and marked UTC on
    the way out; naive datetimes are refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: OpsMap stores only timezone-aware times")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Base of every OpsMap table, with constraint names Alembic can rely on."""

    metadata = MetaData(naming_convention=NAMING)


class Revision(Base):
    """A single counter bumped by every write, so readers can tell cached data is current."""

    __tablename__ = "data_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)


class Operation(Base):
    """The week of action: its name and dates (a Monday-to-Sunday week unless set)."""

    __tablename__ = "operations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ImportBatch(Base):
    """One committed import of a file: what every imported row points to, so it can be undone."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))
    layer_name: Mapped[str | None] = mapped_column(String(120))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    rows_accepted: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="committed")
    undone_by: Mapped[str | None] = mapped_column(String(80))
    undone_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    report: Mapped[str | None] = mapped_column(Text)


class Location(Base):
    """A place on the map of one built-in kind: premises, tip-off or advert geotag."""

    __tablename__ = "locations"
    __table_args__ = (
        Index("ix_locations_kind_district_status", "kind", "district_code", "status"),
        Index("ix_locations_kind_ref", "kind", "ref"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    easting: Mapped[float] = mapped_column(Float)
    northing: Mapped[float] = mapped_column(Float)
    district_code: Mapped[str] = mapped_column(String(16))
    division: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(24), default="unplanned")
    outcome: Mapped[str | None] = mapped_column(String(24))
    outcome_detail: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Common
    ref: Mapped[str | None] = mapped_column(String(64))
    observed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    notes: Mapped[str | None] = mapped_column(Text)
    # Suspected premises
    address: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(10))
    premises_type: Mapped[str | None] = mapped_column(String(40))
    risk: Mapped[str | None] = mapped_column(String(8))
    # Tip-offs
    channel: Mapped[str | None] = mapped_column(String(32))
    grade_source: Mapped[str | None] = mapped_column(String(1))
    grade_intel: Mapped[str | None] = mapped_column(String(1))
    grade_handling: Mapped[str | None] = mapped_column(String(1))
    summary: Mapped[str | None] = mapped_column(Text)
    linked_premises_id: Mapped[int | None] = mapped_column(
        ForeignKey("locations.id", ondelete="SET NULL")
    )
    # Advert geotags
    site: Mapped[str | None] = mapped_column(String(64))
    phone_hash: Mapped[str | None] = mapped_column(String(64))
    phone_last3: Mapped[str | None] = mapped_column(String(3))
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)  # numbers masked before it is stored
    image_hashes: Mapped[str | None] = mapped_column(Text)
    # Adverts and tip-offs: every number found, as "last3:keyed hash" entries joined by ";"
    phone_hashes: Mapped[str | None] = mapped_column(Text)
    # Provenance
    source: Mapped[str] = mapped_column(String(255))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("imports.id", ondelete="CASCADE"), index=True
    )
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    original_values: Mapped[str | None] = mapped_column(Text)
    """JSON: the file's own text of choice values the vocabulary lacked (the field holds
    ``other`` or nothing), so an import never loses what the analyst's file said."""


class HistoryEntry(Base):
    """One append-only entry of a location's history: who changed what, when, from and to."""

    __tablename__ = "location_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location_id: Mapped[int] = mapped_column(
        ForeignKey("locations.id", ondelete="RESTRICT"), index=True
    )
    """RESTRICT: history is never cascaded away; a location with history cannot be deleted."""
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str | None] = mapped_column(String(24))
    from_version: Mapped[int] = mapped_column(Integer)
    to_version: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)


class CustomLayer(Base):
    """An analyst's own layer (any geometry type) with its style and visibility."""

    __tablename__ = "custom_layers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    geometry_type: Mapped[str] = mapped_column(String(32))
    style: Mapped[str] = mapped_column(Text, default="{}")
    visible: Mapped[bool] = mapped_column(Boolean, default=True)
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("imports.id", ondelete="CASCADE"), index=True
    )
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CustomFeature(Base):
    """One feature of a custom layer: geometry as WKB in EPSG:4326 and its attributes as JSON."""

    __tablename__ = "custom_features"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    layer_id: Mapped[int] = mapped_column(
        ForeignKey("custom_layers.id", ondelete="CASCADE"), index=True
    )
    geometry_wkb: Mapped[bytes] = mapped_column(LargeBinary)
    properties: Mapped[str] = mapped_column(Text, default="{}")
    district_code: Mapped[str] = mapped_column(String(16))
