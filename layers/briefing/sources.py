"""What the briefing reads from the store beyond the map frame, and nothing more.

Each query names only the columns the briefing needs. From a status change's detail only the
outcome and the integer result figures are taken; its note and the officer's name are never
read, so they cannot reach a briefing by mistake. Addresses and postcodes are read here and cut
down by :mod:`layers.briefing.redaction` before any frame leaves the briefing.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import pandas as pd
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from layers.core.clock import local_days
from layers.core.models import HistoryEntry
from layers.core.status import OUTCOMES, RESULT_FIELDS

logger = logging.getLogger(__name__)


def _json(detail: str | None) -> Any:
    if not detail:
        return None
    try:
        return json.loads(detail)
    except (TypeError, ValueError):
        return None


def results_of(detail: str | None) -> dict[str, int]:
    """Only the positive integer result figures of a stored JSON detail (nothing else is kept).

    Accepts both shapes the store holds: ``{"results": {...}}`` (history) and the bare figures
    (a location's ``outcome_detail``).
    """
    data = _json(detail)
    if isinstance(data, dict) and isinstance(data.get("results"), dict):
        data = data["results"]
    if not isinstance(data, dict):
        return {}
    out: dict[str, int] = {}
    for key in RESULT_FIELDS:
        try:
            value = int(data.get(key) or 0)
        except (TypeError, ValueError):
            value = 0
        if value > 0:
            out[key] = value
    return out


def outcome_of(detail: str | None) -> str | None:
    """The outcome named in a history entry's detail, if it is a known one."""
    data = _json(detail)
    value = data.get("outcome") if isinstance(data, dict) else None
    return value if value in OUTCOMES else None


def sum_results(items: pd.Series | list[dict[str, int]]) -> dict[str, int]:
    """Result figures added up, every field present (zero where none)."""
    totals = dict.fromkeys(RESULT_FIELDS, 0)
    for res in items:
        for key, value in (res or {}).items():
            totals[key] = totals.get(key, 0) + int(value)
    return totals


def premises_extras(session: Session) -> pd.DataFrame:
    """What the map frame lacks of premises: address, postcode, outcome and result figures
    (addresses are redacted right after, by the caller)."""
    rows = session.connection().exec_driver_sql(
        "SELECT id, address, postcode, outcome, outcome_detail "
        "FROM locations WHERE kind = 'premises' ORDER BY id"
    ).fetchall()
    frame = pd.DataFrame.from_records(
        rows, columns=["id", "address", "postcode", "outcome", "outcome_detail"]
    )
    premises = frame[["id", "address", "postcode", "outcome"]].copy()
    premises["results"] = [results_of(d) for d in frame["outcome_detail"]]
    return premises


def history(session: Session, start: dt.datetime, end: dt.datetime) -> pd.DataFrame:
    """Status changes in ``[start, end)``: location, time, London day, new status, outcome and
    results, in the order they were made."""
    rows = session.execute(
        select(HistoryEntry.location_id, HistoryEntry.at, HistoryEntry.to_status,
               HistoryEntry.detail)
        .where(HistoryEntry.at >= start, HistoryEntry.at < end)
        .order_by(HistoryEntry.id)
    ).all()
    frame = pd.DataFrame.from_records(rows, columns=["location_id", "at", "to_status", "detail"])
    frame["outcome"] = [outcome_of(d) for d in frame["detail"]]
    frame["results"] = [results_of(d) for d in frame["detail"]]
    if len(frame):
        frame["day"] = local_days(pd.to_datetime(frame["at"], utc=True, format="mixed"))
    else:
        frame["day"] = pd.Series(dtype=object)
    return frame.drop(columns=["detail"])


def assignments(session: Session, first: dt.date, last: dt.date) -> pd.DataFrame:
    """The planning assignments from ``first`` to ``last`` with their team's call sign (empty
    when the store has no planning tables)."""
    columns = ["location_id", "day", "order", "team", "division"]
    if not inspect(session.get_bind()).has_table("planning_assignments"):
        return pd.DataFrame(columns=columns)
    from layers.planning.models import Assignment, Team

    rows = session.execute(
        select(Assignment.location_id, Assignment.day, Assignment.position, Team.call_sign,
               Team.division)
        .join(Team, Team.id == Assignment.team_id)
        .where(Assignment.day >= first, Assignment.day <= last)
    ).all()
    return pd.DataFrame.from_records(rows, columns=columns)
