"""The progress board: planned against done, and outcomes, by day, team, district and division.

Everything is counted by the database (``GROUP BY`` over the current state of locations and
assignments), never by loading history into Python, so the board stays fast whatever the number
of status changes: a few grouped queries whose results are small tables.

"Done" is visited, actioned or no further action. Outcomes count the current outcome of done
visits, plus postponed visits (back on the plan). Result figures (victims safeguarded, NRM
referrals, ...) are summed from each distinct ``outcome_detail`` value times its count.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from layers.core.kinds import PREMISES
from layers.core.models import Location
from layers.core.status import (
    DONE_STATUSES,
    IN_PROGRESS,
    OUTCOMES,
    PLANNED,
    RESULT_FIELDS,
    UNPLANNED,
)
from layers.planning.models import Assignment, Team

logger = logging.getLogger(__name__)

COUNT_COLUMNS: tuple[str, ...] = ("unplanned", "planned", "in_progress", "done", "total")
OUTCOME_COLUMNS: tuple[str, ...] = tuple(OUTCOMES)


@dataclass
class Board:
    """Progress tables (plain records for JSON and grids) and force-wide totals."""

    by_day: list[dict[str, Any]] = field(default_factory=list)
    by_team: list[dict[str, Any]] = field(default_factory=list)
    by_district: list[dict[str, Any]] = field(default_factory=list)
    by_division: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)
    results: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The board as JSON (``GET /api/board``)."""
        return {
            "by_day": self.by_day,
            "by_team": self.by_team,
            "by_district": self.by_district,
            "by_division": self.by_division,
            "totals": self.totals,
            "results": self.results,
        }


def _bucket(status: str) -> str:
    if status in DONE_STATUSES:
        return "done"
    return status if status in (UNPLANNED, PLANNED, IN_PROGRESS) else "done"


def _tabulate(rows: list[tuple[Any, ...]], names: list[str]) -> list[dict[str, Any]]:
    """Grouped ``(key..., status, outcome, n)`` rows into one record per key with counts.

    The grouped rows are few (hundreds), so plain dictionaries: a pandas pivot here cost
    ten times the SQL.
    """
    width = len(names)
    table: dict[tuple[Any, ...], dict[str, int]] = {}
    for row in rows:
        key, status, outcome, n = tuple(row[:width]), row[width], row[width + 1], int(row[-1])
        counts = table.setdefault(key, dict.fromkeys((*COUNT_COLUMNS, *OUTCOME_COLUMNS), 0))
        bucket = _bucket(status)
        counts[bucket] += n
        counts["total"] += n
        if outcome in counts and (bucket == "done" or outcome == "postponed"):
            counts[outcome] += n
    records = []
    for key in sorted(table, key=lambda k: tuple(str(v) for v in k)):
        record: dict[str, Any] = {name: _plain(v) for name, v in zip(names, key, strict=True)}
        record.update(table[key])
        records.append(record)
    return records


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _regroup(rows: list[tuple[Any, ...]], keep: list[int]) -> list[tuple[Any, ...]]:
    """Re-sum grouped ``(..., status, outcome, n)`` rows over the key positions in ``keep``."""
    summed: dict[tuple[Any, ...], int] = {}
    for row in rows:
        key = (*(row[i] for i in keep), row[-3], row[-2])
        summed[key] = summed.get(key, 0) + int(row[-1])
    return [(*key, n) for key, n in summed.items()]


def _results(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(Location.outcome_detail, func.count())
        .where(Location.outcome == "actioned", Location.outcome_detail.is_not(None))
        .group_by(Location.outcome_detail)
    ).all()
    totals = dict.fromkeys(RESULT_FIELDS, 0)
    for detail, n in rows:
        if detail is None:
            continue
        try:
            values = json.loads(detail)
        except ValueError:
            logger.warning("unreadable outcome detail %r", detail[:80])
            continue
        for key, value in values.items():
            if key in totals:
                totals[key] += int(value) * int(n)
    return totals


def progress_board(session: Session) -> Board:
    """The whole board in four grouped queries plus one for result figures."""
    planned_rows = session.execute(
        select(Assignment.day, Assignment.team_id, Location.status, Location.outcome, func.count())
        .join(Location, Location.id == Assignment.location_id)
        .group_by(Assignment.day, Assignment.team_id, Location.status, Location.outcome)
    ).all()
    in_scope = or_(
        Location.kind == PREMISES, Assignment.id.is_not(None), Location.status != UNPLANNED
    )
    area_rows = session.execute(
        select(
            Location.district_code,
            Location.division,
            Location.status,
            Location.outcome,
            func.count(),
        )
        .outerjoin(Assignment, Assignment.location_id == Location.id)
        .where(in_scope)
        .group_by(Location.district_code, Location.division, Location.status, Location.outcome)
    ).all()
    teams = {t.id: (t.call_sign, t.division) for t in session.scalars(select(Team))}

    planned = [tuple(r) for r in planned_rows]
    area = [tuple(r) for r in area_rows]
    by_day = _tabulate(_regroup(planned, [0]), ["day"])
    by_team = _tabulate(_regroup(planned, [1]), ["team_id"])
    for row in by_team:
        row["call_sign"], row["division"] = teams.get(row["team_id"], ("?", ""))
    for row in (*by_day, *by_team):
        del row["unplanned"]
    by_district = _tabulate(area, ["district_code", "division"])
    by_division = _tabulate(_regroup(area, [1]), ["division"])
    totals: dict[str, int] = {
        c: sum(int(r[c]) for r in by_division) for c in (*COUNT_COLUMNS, *OUTCOME_COLUMNS)
    }
    totals["on_plan"] = sum(row[4] for row in planned_rows)
    return Board(
        by_day=by_day,
        by_team=by_team,
        by_district=by_district,
        by_division=by_division,
        totals=totals,
        results=_results(session),
    )


def left_to_do(session: Session, day: dt.date | None = None) -> pd.DataFrame:
    """Visits on the plan that are not done yet: for ``day``, or (``None``) the whole week."""
    stmt = (
        select(
            Assignment.day,
            Team.call_sign,
            Assignment.position,
            Location.id,
            Location.ref,
            Location.address,
            Location.postcode,
            Location.district_code,
            Location.status,
            Location.version,
            Location.lon,
            Location.lat,
        )
        .join(Location, Location.id == Assignment.location_id)
        .join(Team, Team.id == Assignment.team_id)
        .where(Location.status.not_in(DONE_STATUSES))
        .order_by(Assignment.day, Team.call_sign, Assignment.position)
    )
    if day is not None:
        stmt = stmt.where(and_(Assignment.day == day))
    result = session.execute(stmt)
    frame = pd.DataFrame.from_records(result.fetchall(), columns=list(result.keys()))
    if not frame.empty:
        frame["stop"] = frame["position"] + 1
    return frame
