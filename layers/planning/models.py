"""The planning tables: teams and the assignment of locations to a team, a day and a position.

An assignment is one row per location (``location_id`` is unique), so a location can never be
planned twice, whatever two commanders do at once. Each assignment carries its own ``version``:
a move or reorder based on a stale version is refused rather than applied over a colleague's.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from layers.core.models import Base, UTCDateTime, utcnow


class Team(Base):
    """A visiting team: who they are, their base (start and end of every shift), their shift
    (``shift_end`` not after ``shift_start`` ends the next morning), break, skills, and the
    optional cap on visits a day (``daily_capacity``; the shift itself limits the rest)."""

    __tablename__ = "planning_teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_sign: Mapped[str] = mapped_column(String(40), unique=True)
    division: Mapped[str] = mapped_column(String(16))
    members: Mapped[int] = mapped_column(Integer, default=2)
    partners: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of agency names
    daily_capacity: Mapped[int] = mapped_column(Integer, default=6)
    shift_start: Mapped[str] = mapped_column(String(5), default="08:00")
    shift_end: Mapped[str] = mapped_column(String(5), default="16:00")
    break_minutes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    skills: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")  # JSON list
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
    eta: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    """When the plan has the team start the visit (on the premises), UTC; ``None``: not timed."""
    etd: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    """When the plan has the team leave the premises, UTC."""
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class VisitSettings(Base):
    """What a commander set for one location's visit; a ``None`` column keeps the default of
    its premises type and risk (:mod:`layers.planning.visit_rules`)."""

    __tablename__ = "planning_visit_settings"

    location_id: Mapped[int] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), primary_key=True
    )
    window_from: Mapped[str | None] = mapped_column(String(5))
    window_until: Mapped[str | None] = mapped_column(String(5))
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    skills: Mapped[str | None] = mapped_column(Text)  # JSON list
    latest_day: Mapped[dt.date | None] = mapped_column(Date)
    on_day: Mapped[dt.date | None] = mapped_column(Date)
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
