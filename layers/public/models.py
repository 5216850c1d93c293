"""The tables of public updates: the drafts with their frozen texts, and each step taken.

A draft stores the released figures and the exact texts (posts, card texts, alt texts) at the
moment it is drafted: the approver approves those texts, and an export renders those texts,
never figures recomputed later. Each step (drafted, approved, rejected, exported) is a row of
``public_update_events`` as well as an entry of the processing log.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from layers.core.models import Base, UTCDateTime, owned_by, utcnow


class PublicUpdate(Base):
    """One public update: period, scope, released figures, texts, and its decision."""

    __tablename__ = "public_updates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    scope: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16))
    k: Mapped[int] = mapped_column(Integer)
    release: Mapped[str] = mapped_column(Text)
    x_text: Mapped[str] = mapped_column(Text)
    facebook_text: Mapped[str] = mapped_column(Text)
    cards: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    drafted_by: Mapped[str] = mapped_column(String(80))
    drafted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(Text)
    exports: Mapped[int] = mapped_column(Integer, default=0)
    data_revision: Mapped[int] = mapped_column(Integer, default=0)


class PublicUpdateEvent(Base):
    """One step of an update's life: who drafted, approved, rejected or exported it, and when."""

    __tablename__ = "public_update_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    update_id: Mapped[int] = owned_by("public_updates", index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    username: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
