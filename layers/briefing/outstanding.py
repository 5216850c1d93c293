"""Outstanding high-priority premises: not yet visited, highest priority first."""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers.briefing.model import BriefingOptions
from layers.briefing.redaction import redact_frame
from layers.core.status import DONE_STATUSES

OUTSTANDING_FRAME = ["id", "ref", "lon", "lat", "street", "postcode_sector", "district",
                     "district_code", "premises_type", "risk", "status", "priority",
                     "linked_tipoffs"]


def outstanding(
    premises: pd.DataFrame, frame: pd.DataFrame, links: pd.DataFrame, options: BriefingOptions
) -> pd.DataFrame:
    """High-priority premises not yet visited, highest priority first."""
    from layers.planning.priority import HIGH_PRIORITY, score_candidates

    open_ = premises.loc[~premises["status"].astype(str).isin(DONE_STATUSES)].copy()
    tipoffs = frame.loc[frame["kind"] == "tipoffs", ["id", "easting", "northing", "grade_intel"]]
    tipoffs = tipoffs.merge(links, on="id", how="left")
    tipoffs["linked_premises_id"] = tipoffs["linked_premises_id"].astype("float64")
    adverts = frame.loc[frame["kind"] == "adverts", ["easting", "northing"]]
    if len(open_):
        parts = score_candidates(open_.reset_index(drop=True), tipoffs, adverts)
        open_["priority"] = np.round(parts.score, 1)
        open_["linked_tipoffs"] = parts.tipoffs
    else:
        open_["priority"] = pd.Series(dtype=float)
        open_["linked_tipoffs"] = pd.Series(dtype=int)
    high = open_.loc[(open_["priority"] >= HIGH_PRIORITY) | (open_["risk"].astype(str) == "high")]
    high = high.sort_values(["priority", "id"], ascending=[False, True]).head(options.outstanding)
    out = redact_frame(high, options.address_level)
    return out[[c for c in OUTSTANDING_FRAME if c in out.columns]].reset_index(drop=True)
