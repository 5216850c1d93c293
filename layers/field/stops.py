"""What a team sees: its own stops for today's shift, with only the fields a visit needs.

The query names every column it returns, so tip-off text (``summary``), advert text, notes,
phone hashes, other teams' plans and other days can never leak through a later schema change:
a new column stays server-side until someone adds it here on purpose.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from layers.core.clock import today_local
from layers.core.errors import NotFound
from layers.core.kinds import KIND_NAMES
from layers.core.models import Location
from layers.field.tables import Visit
from layers.networks.views import premises_network_facts
from layers.planning.models import Assignment, Team
from layers.planning.priority import network_part

DEFAULT_VISIT_MINUTES = 45
"""Expected length of a visit when planning gives none (issue 14)."""

KIND_LABELS = {name: name.replace("_", " ") for name in KIND_NAMES}


@dataclass(frozen=True)
class Stop:
    """One stop of a team's shift, as the phone shows it."""

    location_id: int
    position: int
    version: int
    status: str
    outcome: str | None
    kind: str
    address: str | None
    postcode: str | None
    premises_type: str | None
    risk: str | None
    safety_note: str | None
    network: str | None  # "linked to network N12: 23 adverts, 3 districts": facts, never text
    lon: float
    lat: float
    eta: str | None
    expected_minutes: int
    on_way_at: str | None
    arrived_at: str | None
    due_at: str | None
    left_at: str | None

    def as_dict(self) -> dict[str, Any]:
        """The stop as JSON."""
        return asdict(self)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def latest_visits(session: Session, team_id: int, location_ids: list[int]) -> dict[int, Visit]:
    """The team's most recent visit row for each of ``location_ids``."""
    rows = session.scalars(
        select(Visit)
        .where(Visit.team_id == team_id, Visit.location_id.in_(location_ids))
        .order_by(Visit.id)
    )
    return {v.location_id: v for v in rows}


def shift_stops(session: Session, team: Team, now: dt.datetime) -> list[Stop]:
    """``team``'s stops planned for today (London), in route order."""
    rows = session.execute(
        select(
            Assignment.location_id, Assignment.position, Assignment.safety_note, Assignment.eta,
            Location.version, Location.status, Location.outcome, Location.kind,
            Location.address, Location.postcode, Location.premises_type, Location.risk,
            Location.lon, Location.lat,
        )
        .join(Location, Location.id == Assignment.location_id)
        .where(Assignment.team_id == team.id, Assignment.day == today_local(now))
        .order_by(Assignment.position, Assignment.id)
    ).all()
    visits = latest_visits(session, team.id, [r.location_id for r in rows])
    ids = np.array([r.location_id for r in rows], dtype=np.int64)
    _points, notes = network_part(ids, premises_network_facts(session))
    stops = []
    for r, note in zip(rows, notes, strict=True):
        visit = visits.get(r.location_id)
        stops.append(
            Stop(
                location_id=r.location_id, position=r.position, version=r.version,
                status=r.status, outcome=r.outcome, kind=KIND_LABELS.get(r.kind, r.kind),
                address=r.address, postcode=r.postcode, premises_type=r.premises_type,
                risk=r.risk, safety_note=r.safety_note, network=note or None,
                lon=r.lon, lat=r.lat, eta=_iso(r.eta),
                expected_minutes=visit.expected_minutes if visit else DEFAULT_VISIT_MINUTES,
                on_way_at=_iso(visit.on_way_at if visit else None),
                arrived_at=_iso(visit.arrived_at if visit else None),
                due_at=_iso(visit.due_at if visit else None),
                left_at=_iso(visit.left_at if visit else None),
            )
        )
    return stops


def require_own_stop(session: Session, team: Team, location_id: int, now: dt.datetime) -> None:
    """Refuse a location that is not on ``team``'s plan for today, as if it did not exist.

    Another team's stop answers exactly like a missing one, so a phone cannot probe the plan.
    """
    found = session.scalar(
        select(Assignment.id).where(
            Assignment.location_id == location_id,
            Assignment.team_id == team.id,
            Assignment.day == today_local(now),
        )
    )
    if found is None:
        raise NotFound(f"no stop {location_id} on your plan today")
