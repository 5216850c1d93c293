"""The locations a commander plans from: each with its priority and where it is planned.

One read gives the planning page, the suggestion and the API the same picture: premises (and
anything else already on the plan), their priority and its parts, and their current assignment.
"""

from __future__ import annotations

import datetime as dt
import logging

import numpy as np
import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from layers.core.kinds import ADVERTS, PREMISES, TIPOFFS
from layers.core.models import Location
from layers.core.status import UNPLANNED
from layers.networks.views import premises_network_facts
from layers.planning.allocation import Candidate, Suggestion, TeamSlot, suggest_allocation
from layers.planning.models import Assignment, Team
from layers.planning.priority import HIGH_PRIORITY, score_candidates

logger = logging.getLogger(__name__)

CANDIDATE_COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "ref",
    "address",
    "postcode",
    "premises_type",
    "risk",
    "notes",
    "lon",
    "lat",
    "easting",
    "northing",
    "district_code",
    "division",
    "status",
    "outcome",
    "version",
)


def _frame(session: Session, stmt) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    result = session.execute(stmt)
    return pd.DataFrame.from_records(result.fetchall(), columns=list(result.keys()))


def candidate_frame(session: Session, kinds: tuple[str, ...] = (PREMISES,)) -> pd.DataFrame:
    """Plannable locations with priority parts and assignment columns, highest priority first.

    Includes every location of ``kinds`` plus any other location that is already on the plan.
    """
    cols = [getattr(Location, c) for c in CANDIDATE_COLUMNS]
    stmt = (
        select(
            *cols,
            Assignment.id.label("assignment_id"),
            Assignment.version.label("assignment_version"),
            Assignment.team_id,
            Team.call_sign,
            Assignment.day,
            Assignment.position,
            Assignment.safety_note,
        )
        .outerjoin(Assignment, Assignment.location_id == Location.id)
        .outerjoin(Team, Team.id == Assignment.team_id)
        .where(or_(Location.kind.in_(kinds), Assignment.id.is_not(None)))
        .order_by(Location.id)
    )
    frame = _frame(session, stmt)
    tipoffs = _frame(
        session,
        select(
            Location.easting, Location.northing, Location.grade_intel, Location.linked_premises_id
        ).where(Location.kind == TIPOFFS),
    )
    adverts = _frame(
        session, select(Location.easting, Location.northing).where(Location.kind == ADVERTS)
    )
    if frame.empty:
        return frame.assign(
            priority=[],
            risk_points=[],
            tipoffs_near=[],
            adverts_near=[],
            network_points=[],
            network_note=[],
        )
    parts = score_candidates(frame, tipoffs, adverts, premises_network_facts(session)).frame()
    frame = pd.concat([frame.reset_index(drop=True), parts], axis=1)
    frame["assignment_id"] = frame["assignment_id"].astype("Int64")
    frame["assignment_version"] = frame["assignment_version"].astype("Int64")
    frame["team_id"] = frame["team_id"].astype("Int64")
    frame["position"] = frame["position"].astype("Int64")
    return frame.sort_values(["priority", "id"], ascending=[False, True], ignore_index=True)


def team_slots(session: Session) -> list[TeamSlot]:
    """Every team as the allocation sees it."""
    return [
        TeamSlot(t.id, t.division, t.daily_capacity, t.start_easting, t.start_northing)
        for t in session.scalars(select(Team).order_by(Team.id))
    ]


def planned_loads(session: Session) -> dict[tuple[int, dt.date], int]:
    """How many visits each (team, day) already has."""
    from sqlalchemy import func

    rows = session.execute(
        select(Assignment.team_id, Assignment.day, func.count()).group_by(
            Assignment.team_id, Assignment.day
        )
    ).all()
    return {(int(t), d): int(n) for t, d, n in rows}


def suggest_for(
    session: Session,
    days: list[dt.date],
    threshold: float = HIGH_PRIORITY,
    frame: pd.DataFrame | None = None,
) -> Suggestion:
    """The suggested allocation of every unplanned location at or above ``threshold`` priority."""
    frame = candidate_frame(session) if frame is None else frame
    todo = frame[(frame["status"] == UNPLANNED) & (frame["priority"] >= threshold)]
    todo = todo[todo["assignment_id"].isna()]
    cand = Candidate(
        ids=todo["id"].to_numpy(dtype=np.int64),
        easting=todo["easting"].to_numpy(dtype="float64"),
        northing=todo["northing"].to_numpy(dtype="float64"),
        division=todo["division"].astype(str).to_numpy(dtype=object),
        priority=todo["priority"].to_numpy(dtype="float64"),
        version=todo["version"].to_numpy(dtype=np.int64),
    )
    return suggest_allocation(cand, team_slots(session), days, planned_loads(session))
