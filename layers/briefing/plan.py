"""Today's plan for the briefing: which team visits which premises, in what order."""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers.briefing.model import BriefingOptions
from layers.briefing.redaction import redact_frame
from layers.core.status import IN_PROGRESS, PLANNED

UNASSIGNED_TEAM = "No team assigned"
PLAN_COLUMNS = ["team", "order", "id", "ref", "lon", "lat", "street", "postcode_sector",
                "district", "district_code", "division", "premises_type", "risk", "status"]


def todays_plan(
    premises: pd.DataFrame, assignments: pd.DataFrame, options: BriefingOptions
) -> pd.DataFrame:
    """Today's visits by team and order; without planning data, what is planned or under way."""
    today = assignments.loc[assignments["day"] == options.day] if len(assignments) else assignments
    if len(today):
        plan = premises.merge(today[["location_id", "order", "team"]], left_on="id",
                              right_on="location_id")
        plan = plan.drop(columns=["location_id"])
    else:
        plan = premises.loc[premises["status"].isin([PLANNED, IN_PROGRESS])].copy()
        plan["team"] = UNASSIGNED_TEAM
        plan["order"] = np.arange(1, len(plan) + 1)
    plan["day"] = options.day
    plan = plan.sort_values(["team", "order"]).reset_index(drop=True)
    plan["order"] = plan.groupby("team").cumcount() + 1
    out = redact_frame(plan, options.address_level)
    return out[[c for c in PLAN_COLUMNS if c in out.columns]]
