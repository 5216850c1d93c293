"""Yesterday's visits, outcomes and results, and the week's result figures.

A visit closed yesterday is a location whose status moved to actioned or no further action that
day (counted once, by its last close). Every closed visit has exactly one outcome, so the
outcome counts add up to the closed visits: an actioned close is "actioned"; a close with no
further action takes the outcome recorded with it, else the location's own if it is one that
closes that way, else "not recorded" (shown, never dropped).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from layers.briefing.sources import sum_results
from layers.core.status import ACTIONED, NFA, OUTCOME_STATUS, OUTCOMES, VISITED

NOT_RECORDED = "not_recorded"
CLOSED_OUTCOMES: dict[str, str] = {
    **{k: v for k, v in OUTCOMES.items() if OUTCOME_STATUS[k] in (ACTIONED, NFA)},
    NOT_RECORDED: "Outcome not recorded",
}
"""The outcomes a closed visit can have, in the order the briefing shows them."""


def _outcome(to_status: str, recorded: object, current: object) -> str:
    if to_status == ACTIONED:
        return ACTIONED
    for outcome in (recorded, current):
        if isinstance(outcome, str) and OUTCOME_STATUS.get(outcome) == to_status:
            return outcome
    return NOT_RECORDED


def closes(hist: pd.DataFrame) -> pd.DataFrame:
    """The visits closed each day: per London day, each location's last close that day."""
    if not len(hist):
        return hist
    closed = hist.loc[hist["to_status"].isin([ACTIONED, NFA])]
    return closed.drop_duplicates(["day", "location_id"], keep="last")


def yesterday(
    hist: pd.DataFrame, premises: pd.DataFrame, day: dt.date
) -> dict[str, dict[str, int]]:
    """Visits made, visits closed (with their outcomes) and results recorded on ``day``."""
    rows = hist.loc[hist["day"] == day] if len(hist) else hist
    visited = rows.loc[rows["to_status"] == VISITED, "location_id"].nunique() if len(rows) else 0
    closed = closes(rows)
    current = premises.set_index("id")
    outcomes = dict.fromkeys(CLOSED_OUTCOMES, 0)
    results = []
    for row in closed.itertuples():
        known = row.location_id in current.index
        outcome = _outcome(row.to_status, row.outcome,
                           current.at[row.location_id, "outcome"] if known else None)
        outcomes[outcome] += 1
        if row.results:
            results.append(row.results)
        elif row.to_status == ACTIONED and known:
            results.append(current.at[row.location_id, "results"])  # older entries
    return {
        "summary": {"visits": int(visited), "closed": len(closed)},
        "outcomes": outcomes,
        "results": sum_results(results),
    }


def week_results(premises: pd.DataFrame) -> dict[str, int]:
    """The result figures of every actioned premises (what the week has achieved; the same
    rule as the progress board's)."""
    return sum_results(premises.loc[premises["outcome"] == ACTIONED, "results"])
