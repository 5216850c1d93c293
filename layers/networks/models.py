"""The networks tables: networks, their members, evidence, moves, alerts, links, decisions.

Everything but the decisions is recomputed by each rebuild. A network keeps its number across
rebuilds when it keeps most of its adverts (so "N12" in a briefing stays N12); analysts'
decisions are stored with the adverts they were about, so they can be applied again to any
later linking, and are never deleted (their history).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from layers.core.models import Base, UTCDateTime, owned_by, utcnow

ACTIVE = "active"
RETIRED = "retired"
UNREVIEWED = "unreviewed"
CONFIRMED = "confirmed"
DISMISSED = "dismissed"
PREMISES_LINK = "premises"
TIPOFF_LINK = "tipoff"


class Network(Base):
    """One network of adverts (two or more) as the latest rebuild found it."""

    __tablename__ = "networks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default=ACTIVE, index=True)
    review: Mapped[str] = mapped_column(String(16), default=UNREVIEWED)
    size: Mapped[int] = mapped_column(Integer, default=0)
    districts: Mapped[str] = mapped_column(Text, default="[]")
    moves: Mapped[int] = mapped_column(Integer, default=0)
    linked_premises: Mapped[int] = mapped_column(Integer, default=0)
    linked_tipoffs: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_seen: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    template: Mapped[str | None] = mapped_column(Text)
    built_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


def live_network() -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """Where a network counts for the briefing and the map's facts: active (two or more
    adverts in the latest rebuild) and not dismissed by an analyst."""
    return (Network.state == ACTIVE, Network.review != DISMISSED)


class NetworkMember(Base):
    """An advert in a network (an advert is in at most one)."""

    __tablename__ = "network_members"

    location_id: Mapped[int] = owned_by("locations", primary_key=True)
    network_id: Mapped[int] = owned_by("networks", index=True)


class NetworkEvidence(Base):
    """Why a network holds together: a phone (last three digits), a photo or its template."""

    __tablename__ = "network_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = owned_by("networks", index=True)
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(Text)
    adverts: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[str] = mapped_column(Text, default="{}")


class NetworkMove(Base):
    """A network's move from one district to another on a day."""

    __tablename__ = "network_moves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = owned_by("networks", index=True)
    from_district: Mapped[str] = mapped_column(String(16))
    to_district: Mapped[str] = mapped_column(String(16))
    day: Mapped[dt.date] = mapped_column(Date)


class NetworkAlert(Base):
    """ "New in town": a network's first advert in a district where it had not been seen."""

    __tablename__ = "network_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = owned_by("networks", index=True)
    district_code: Mapped[str] = mapped_column(String(16))
    location_id: Mapped[int] = owned_by("locations")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class NetworkLink(Base):
    """A premises or tip-off the network points to, and why."""

    __tablename__ = "network_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = owned_by("networks", index=True)
    location_id: Mapped[int] = owned_by("locations", index=True)
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    distance_m: Mapped[float | None] = mapped_column(Float)


class NetworkDecision(Base):
    """An analyst's confirm, split, merge or dismiss, with the adverts it was about.

    ``adverts`` are the location ids the decision names (the network confirmed or dismissed,
    the adverts split off, the first network merged); ``others`` the rest of a split network
    or the second network of a merge. Append-only: the history of every decision.
    """

    __tablename__ = "network_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(16))
    network_id: Mapped[int] = mapped_column(Integer)
    adverts: Mapped[str] = mapped_column(Text, default="[]")
    others: Mapped[str] = mapped_column(Text, default="[]")
    note: Mapped[str | None] = mapped_column(Text)
    username: Mapped[str] = mapped_column(String(80))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
