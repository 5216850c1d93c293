"""The locations a commander plans from: each with its priority and where it is planned.

One read gives the planning page, the suggestion and the API the same picture: premises (and
anything else already on the plan), their priority and its parts, and their current assignment.
"""

from __future__ import annotations

import datetime as dt
import logging

import numpy as np
import pandas as pd
from sqlalchemy import Executable, func, or_, select
from sqlalchemy.orm import Session

from layers.cache import PRIORITIES
from layers.core.db import Database
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


def _frame(session: Session, stmt: Executable) -> pd.DataFrame:
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
        parts = score_candidates(frame, tipoffs.iloc[0:0], adverts.iloc[0:0]).frame()
        return pd.concat([frame, parts], axis=1)
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


def current_priorities(db: Database) -> pd.DataFrame:
    """Every premises' priority and its parts (``priority``, ``priority_why``) by location id.

    Cached per data revision (:data:`layers.cache.PRIORITIES`), so the operations map can say
    why a premises is high priority on every redraw without scoring again.
    """
    revision = db.revision()

    def build() -> pd.DataFrame:
        with db.read() as session:
            frame = candidate_frame(session)
        return frame.set_index("id")[["priority", "priority_why"]]

    table = PRIORITIES.get_or_build((db.url, revision), build)
    if not isinstance(table, pd.DataFrame):  # the cache holds what this module put there
        raise TypeError(f"cached value is {type(table).__name__}, not a DataFrame")
    return table


def planned_loads(session: Session) -> dict[tuple[int, dt.date], int]:
    """How many visits each (team, day) already has."""
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


def in_area(
    frame: pd.DataFrame,
    divisions: list[str] | None = None,
    districts: list[str] | None = None,
    statuses: list[str] | None = None,
) -> np.ndarray:
    """Mask of the candidates in the chosen divisions, districts and statuses (empty: all).

    The planning page narrows its grid and map with the same area filters as the operations
    map, so a commander who chose Blackpool there plans Blackpool here.
    """
    mask = np.ones(len(frame), dtype=bool)
    for column, wanted in (
        ("division", divisions),
        ("district_code", districts),
        ("status", statuses),
    ):
        if wanted:
            mask &= frame[column].astype(object).isin(list(wanted)).to_numpy(dtype=bool)
    return mask
