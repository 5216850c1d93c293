"""The planning tables: teams and the assignment of locations to a team, a day and a position.

An assignment is one row per location (``location_id`` is unique), so a location can never be
planned twice, whatever two commanders do at once. Each assignment carries its own ``version``:
a move or reorder based on a stale version is refused rather than applied over a colleague's.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from layers.core.models import Base, utcnow


class Team(Base):
    """A visiting team: who they are, where they start, how many visits a day they can make."""

    __tablename__ = "planning_teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_sign: Mapped[str] = mapped_column(String(40), unique=True)
    division: Mapped[str] = mapped_column(String(16))
    members: Mapped[int] = mapped_column(Integer, default=2)
    partners: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of agency names
    daily_capacity: Mapped[int] = mapped_column(Integer, default=6)
    shift_start: Mapped[str] = mapped_column(String(5), default="08:00")
    shift_end: Mapped[str] = mapped_column(String(5), default="16:00")
    start_lon: Mapped[float] = mapped_column(Float)
    start_lat: Mapped[float] = mapped_column(Float)
    start_easting: Mapped[float] = mapped_column(Float)
    start_northing: Mapped[float] = mapped_column(Float)
    start_label: Mapped[str] = mapped_column(String(120), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Assignment(Base):
    """One location planned for one team on one day, at a position in that team-day's route."""

    __tablename__ = "planning_assignments"
    __table_args__ = (Index("ix_planning_assignments_team_day", "team_id", "day", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location_id: Mapped[int] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), unique=True
    )
    team_id: Mapped[int] = mapped_column(ForeignKey("planning_teams.id", ondelete="CASCADE"))
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    safety_note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
