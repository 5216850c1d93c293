"""Week-to-date progress for the briefing: per district and per day of the operation.

The same rules as the progress board (:mod:`layers.planning.board`), so the room and the
commanders read the same figures: a day's planned visits are its assignments; "done" is
visited, actioned or no further action; outcomes are each location's current one.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from layers.briefing.results import closes
from layers.core.clock import LONDON
from layers.core.status import ACTIONED, DONE_STATUSES, NFA, OUTCOMES, RESULT_FIELDS, VISITED


def by_district(premises: pd.DataFrame, districts: pd.DataFrame | None) -> pd.DataFrame:
    """Per district: premises, planned (anything past unplanned), done, outcomes and results."""
    prem = premises.assign(
        planned=premises["status"].astype(str) != "unplanned",
        done=premises["status"].astype(str).isin(DONE_STATUSES),
        high=premises["risk"].astype(str) == "high",
    )
    prem["district_code"] = prem["district_code"].astype(str)
    prem["high_outstanding"] = prem["high"] & ~prem["done"]
    for outcome in OUTCOMES:
        prem[outcome] = prem["outcome"] == outcome
    results = pd.DataFrame.from_records(
        [r or {} for r in prem["results"]], columns=list(RESULT_FIELDS), index=prem.index
    ).fillna(0)
    prem = prem.join(results)
    sums = ["planned", "done", "high_outstanding", *OUTCOMES, *RESULT_FIELDS]
    table = prem.groupby("district_code")[sums].sum()
    table.insert(0, "premises", prem.groupby("district_code").size())
    if districts is not None and not districts.empty:
        order = pd.DataFrame(
            {"district_code": districts["code"], "district": districts["name"],
             "division": districts["division"]}
        ).set_index("district_code")
        table = order.join(table, how="left")
    else:
        table["district"] = table.index
        table["division"] = ""
    table = table.fillna(0)
    numeric = [c for c in table.columns if c not in ("district", "division")]
    table[numeric] = table[numeric].astype(int)
    table["done_pct"] = np.where(
        table["planned"] > 0, np.round(100 * table["done"] / table["planned"].clip(lower=1)), 0
    ).astype(int)
    return table.reset_index(names="district_code")


def by_day(
    hist: pd.DataFrame, frame: pd.DataFrame, assignments: pd.DataFrame, week: list[dt.date],
    today: dt.date,
) -> pd.DataFrame:
    """Per day of the week: planned, visits, outcomes, tip-offs and adverts, and running totals
    up to ``today`` (the briefing's day; none drawn into days still to come)."""
    out = pd.DataFrame({"day": week})
    planned = assignments.groupby("day").size() if len(assignments) else pd.Series(dtype=int)
    out["planned"] = out["day"].map(planned).fillna(0).astype(int)
    if len(hist):
        visits = hist.loc[hist["to_status"] == VISITED].groupby("day")["location_id"].nunique()
        closed = closes(hist)
        actioned = closed.loc[closed["to_status"] == ACTIONED].groupby("day").size()
        nfa = closed.loc[closed["to_status"] == NFA].groupby("day").size()
    else:
        visits = actioned = nfa = pd.Series(dtype=int)
    out["visits"] = out["day"].map(visits).fillna(0).astype(int)
    out["actioned"] = out["day"].map(actioned).fillna(0).astype(int)
    out["no_further_action"] = out["day"].map(nfa).fillna(0).astype(int)
    kinds = frame["kind"].to_numpy()
    local = frame["observed_at"].dt.tz_convert(LONDON).dt.normalize()
    for kind in ("tipoffs", "adverts"):
        per_day = local[kinds == kind].value_counts()
        out[kind] = [int(per_day.get(pd.Timestamp(d, tz=LONDON), 0)) for d in week]
    future = out["day"] > today
    for name in ("planned", "visits"):
        out[f"{name}_cumulative"] = out[name].cumsum().astype("Int64").mask(future)
    return out
