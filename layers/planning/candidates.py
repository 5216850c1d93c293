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
from layers.core.queries import current_frame
from layers.networks.views import premises_network_facts
from layers.planning.models import Assignment, Team
from layers.planning.priority import score_candidates

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
            Assignment.eta,
            Assignment.etd,
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


def current_priorities(db: Database) -> pd.DataFrame:
    """Every premises' (and planned location's) priority, its parts in words and its tip-off
    count, by location id: the one score the map, its panel and the briefing show.

    Scored from the worker's map frame (:func:`layers.core.queries.current_frame`), not read
    again. Cached in :data:`layers.cache.PRIORITIES` per data revision, and under the content of
    the score's inputs (positions, risks, grades, links, networks): a status change or a plan
    change moves the revision but not the scores, so the next redraw reuses them instead of
    scoring every premises again.
    """
    revision, frame = current_frame(db)
    table = PRIORITIES.get((db.url, revision))
    if table is None:
        with db.read() as session:
            on_plan = session.scalars(select(Assignment.location_id)).all()
            networks = premises_network_facts(session)
        candidates, tipoffs, adverts = scoring_inputs(frame, np.asarray(on_plan, dtype=np.int64))
        key = (db.url, "inputs", inputs_fingerprint((candidates, tipoffs, adverts, networks)))
        table = PRIORITIES.get_or_build(
            key, lambda: priority_table(candidates, tipoffs, adverts, networks)
        )
        PRIORITIES.put((db.url, revision), table)
    if not isinstance(table, pd.DataFrame):  # the cache holds what this module put there
        raise TypeError(f"cached value is {type(table).__name__}, not a DataFrame")
    return table


def scoring_inputs(
    frame: pd.DataFrame, on_plan: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """What a score reads, from the map frame: the candidates (premises and anything on the
    plan), the tip-offs and the advert geotags, with only the columns the score uses."""
    kind = frame["kind"].astype(str).to_numpy()
    chosen = (kind == PREMISES) | frame["id"].isin(on_plan).to_numpy()
    candidates = frame.loc[chosen, ["id", "easting", "northing", "risk"]]
    tipoffs = frame.loc[
        kind == TIPOFFS, ["easting", "northing", "grade_intel", "linked_premises_id"]
    ]
    adverts = frame.loc[kind == ADVERTS, ["easting", "northing"]]
    return (
        candidates.reset_index(drop=True),
        tipoffs.reset_index(drop=True),
        adverts.reset_index(drop=True),
    )


def inputs_fingerprint(parts: tuple[pd.DataFrame, ...]) -> tuple[tuple[int, int], ...]:
    """A content hash per input frame (row order and values), cheap next to scoring."""
    return tuple(
        (len(part), int(pd.util.hash_pandas_object(part, index=False).sum()))
        for part in parts
    )


def priority_table(
    candidates: pd.DataFrame, tipoffs: pd.DataFrame, adverts: pd.DataFrame,
    networks: pd.DataFrame,
) -> pd.DataFrame:
    """``priority``, ``priority_why`` and ``tipoffs_near`` by location id for ``candidates``."""
    parts = score_candidates(candidates, tipoffs, adverts, networks).frame()
    parts.index = candidates["id"].to_numpy()
    return parts[["priority", "priority_why", "tipoffs_near"]]


def planned_loads(session: Session) -> dict[tuple[int, dt.date], int]:
    """How many visits each (team, day) already has."""
    rows = session.execute(
        select(Assignment.team_id, Assignment.day, func.count()).group_by(
            Assignment.team_id, Assignment.day
        )
    ).all()
    return {(int(t), d): int(n) for t, d, n in rows}


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
