"""What a commander sees on opening one location: its fields, plan, priority, what is nearby and
its history, and the processing-log entries that opening it makes.

Opening a location is a consultation of personal data, and listing the tip-offs and adverts
around it combines records: both are logged here, in one transaction, whichever page opens it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from layers.audit import processing_log
from layers.core.db import Database
from layers.core.queries import current_frame, history, location_detail, nearby
from layers.planning.candidates import current_priorities
from layers.planning.models import Assignment, Team

logger = logging.getLogger(__name__)

NEARBY_M = 250.0


@dataclass(frozen=True)
class Plan:
    """Where a location is on the plan: team, day and stop number."""

    call_sign: str
    day: dt.date
    stop: int
    safety_note: str | None

    def describe(self) -> str:
        """The plan on one line, as the panel shows it."""
        return f"{self.call_sign} · {self.day:%a %d %b} · stop {self.stop}"


@dataclass(frozen=True)
class LocationView:
    """Everything the location panel shows."""

    detail: dict[str, Any]
    district: str
    plan: Plan | None
    priority: float | None
    priority_why: str | None
    tipoffs: pd.DataFrame
    adverts: pd.DataFrame
    history: list[dict[str, Any]]


def plan_of(session: Session, location_id: int) -> Plan | None:
    """The location's assignment as team, day and stop number (``None`` when not planned)."""
    row = session.execute(
        select(Team.call_sign, Assignment.day, Assignment.position, Assignment.safety_note)
        .join(Team, Team.id == Assignment.team_id)
        .where(Assignment.location_id == location_id)
    ).first()
    if row is None:
        return None
    return Plan(row.call_sign, row.day, int(row.position) + 1, row.safety_note)


def open_location(
    db: Database, location_id: int, username: str, district_names: Mapping[str, str]
) -> LocationView | None:
    """Read one location for its panel and log the consultation (``None`` when it is gone)."""
    with db.read() as session:
        detail = location_detail(session, location_id)
        if detail is None:
            return None
        entries = history(session, location_id)
        plan = plan_of(session, location_id)
    _rev, frame = current_frame(db)
    close = nearby(frame, detail["easting"], detail["northing"], NEARBY_M)
    close = close.loc[close["id"] != location_id]
    priorities = current_priorities(db)
    scored = location_id in priorities.index
    with db.write(bump=False) as session:
        processing_log.record(
            session,
            username,
            processing_log.CONSULTATION,
            f"viewed {detail['kind']} location details",
            records=[location_id],
        )
        if len(close):
            processing_log.record(
                session,
                username,
                processing_log.COMBINATION,
                f"tip-offs and adverts within {NEARBY_M:.0f} m of location {location_id}",
                records=[int(i) for i in close["id"]],
            )
    return LocationView(
        detail=detail,
        district=district_names.get(detail["district_code"], detail["district_code"]),
        plan=plan,
        priority=float(priorities.at[location_id, "priority"]) if scored else None,
        priority_why=str(priorities.at[location_id, "priority_why"]) if scored else None,
        tipoffs=close.loc[close["kind"] == "tipoffs"],
        adverts=close.loc[close["kind"] == "adverts"],
        history=entries,
    )
