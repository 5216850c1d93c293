"""Yesterday's visits, outcomes and results, and the week's result figures."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from layers.briefing.sources import sum_results
from layers.core.status import OUTCOMES, PLANNED, RESULT_FIELDS

CLOSED_STATUSES: frozenset[str] = frozenset({"actioned", "no_further_action"})


def yesterday(
    hist: pd.DataFrame, premises: pd.DataFrame, day: dt.date
) -> dict[str, dict[str, int]]:
    """Visits, outcomes and results recorded on ``day``."""
    rows = hist.loc[hist["day"] == day] if len(hist) else hist
    visited = rows.loc[rows["to_status"] == "visited", "location_id"].nunique() if len(rows) else 0
    closed = rows.loc[rows["to_status"].isin(CLOSED_STATUSES)] if len(rows) else rows
    current_outcome = (
        premises.set_index("id")["outcome"] if len(premises) else pd.Series(dtype=object)
    )
    outcomes = dict.fromkeys(OUTCOMES, 0)
    pairs = zip(closed.get("location_id", []), closed.get("outcome", []), strict=False)
    for loc_id, outcome in pairs:
        outcome = outcome or current_outcome.get(loc_id)
        if outcome in outcomes:
            outcomes[outcome] += 1
    results = sum_results(closed["results"]) if len(closed) else dict.fromkeys(RESULT_FIELDS, 0)
    if len(closed) and not any(results.values()):
        # Older entries keep results only on the location itself.
        ids = set(closed.loc[closed["to_status"] == "actioned", "location_id"])
        results = sum_results(premises.loc[premises["id"].isin(ids), "results"])
    planned = rows.loc[rows["to_status"] == PLANNED, "location_id"].nunique() if len(rows) else 0
    return {
        "summary": {"visits": int(visited), "closed": len(closed), "planned": int(planned)},
        "outcomes": outcomes,
        "results": results,
    }


def week_results(premises: pd.DataFrame) -> dict[str, int]:
    """The result figures of every premises so far (what the week has achieved)."""
    return sum_results(premises["results"])
