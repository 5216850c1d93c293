"""The field tables: team links, visits with their timers, the action log and overdue alerts.

Created by migration ``0011_field``. ``field_actions`` is the idempotency table: its primary
key is the phone's idempotency key, so a replayed action finds its first answer instead of
applying twice, whatever the network did.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from layers.core.models import Base, UTCDateTime, owned_by, utcnow


class TeamLink(Base):
    """A ``team`` account and the one team it belongs to."""

    __tablename__ = "field_team_links"

    user_id: Mapped[int] = owned_by("users", primary_key=True)
    team_id: Mapped[int] = owned_by("planning_teams", index=True)
    linked_by: Mapped[str] = mapped_column(String(80))
    linked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Visit(Base):
    """One team's visit to one location: on the way, arrived (timer running), left."""

    __tablename__ = "field_visits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location_id: Mapped[int] = owned_by("locations", index=True)
    team_id: Mapped[int] = owned_by("planning_teams", index=True)
    on_way_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    arrived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    expected_minutes: Mapped[int] = mapped_column(Integer, default=45)
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    left_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    result: Mapped[str | None] = mapped_column(String(24))


class FieldAction(Base):
    """One action a phone sent, keyed by its idempotency key, with the answer it got."""

    __tablename__ = "field_actions"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    team_id: Mapped[int] = mapped_column(Integer, index=True)
    location_id: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    done_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(16))
    version: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str | None] = mapped_column(Text)


class OverdueAlert(Base):
    """A team past its visit's deadline plus grace; open until a commander acknowledges it."""

    __tablename__ = "field_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = owned_by("field_visits", unique=True)
    team_id: Mapped[int] = mapped_column(Integer, index=True)
    location_id: Mapped[int] = mapped_column(Integer)
    raised_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(80))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)
