"""Outstanding high-priority premises: not yet visited, highest priority first.

What the room sees of each is a deliberate, configured choice (``OPSMAP_BRIEFING_OUTSTANDING``,
default district and type; see docs/BRIEFING.md): the frame carries only the chosen fields and
the redacted position, so nothing more can reach the screen, the pack or the PDF.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers.briefing.model import OUTSTANDING_FIELDS, BriefingOptions, outstanding_fields
from layers.briefing.redaction import redact_frame
from layers.core.status import DONE_STATUSES, STATUS_LABELS
from layers.planning.priority import HIGH_PRIORITY

POSITION_COLUMNS = ["id", "lon", "lat", "easting", "northing"]


def outstanding(
    premises: pd.DataFrame, priorities: pd.DataFrame, options: BriefingOptions
) -> pd.DataFrame:
    """High-priority (or high-risk) premises not yet visited, highest priority first, with the
    configured fields only.

    ``priorities`` (``priority`` and ``tipoffs_near`` by location id) comes from
    :func:`layers.planning.candidates.current_priorities`: the room sees the same score as the
    planning page and the map, not a second calculation of it.
    """
    open_ = premises.loc[~premises["status"].astype(str).isin(DONE_STATUSES)].copy()
    scores = priorities.reindex(open_["id"].to_numpy())
    open_["priority"] = scores["priority"].fillna(0.0).to_numpy(dtype="float64")
    open_["linked_tipoffs"] = scores["tipoffs_near"].fillna(0).to_numpy(dtype="int64")
    high = open_.loc[(open_["priority"] >= HIGH_PRIORITY) | (open_["risk"].astype(str) == "high")]
    high = high.sort_values(["priority", "id"], ascending=[False, True]).head(options.outstanding)
    shown = [column for column, _ in outstanding_fields(options.outstanding_shows)]
    out = redact_frame(high, options.address_level)
    return out[POSITION_COLUMNS + shown].reset_index(drop=True)


def shown_columns(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """The (column, label) of the fields an outstanding frame carries, in configured order."""
    labels = dict(OUTSTANDING_FIELDS.values())
    return [(c, labels[c]) for c in frame.columns if c not in POSITION_COLUMNS and c in labels]


def describe(frame: pd.DataFrame) -> list[str]:
    """Each outstanding premises in words, from its shown fields only (a map's hover text)."""
    shown = shown_columns(frame)
    texts = []
    for _, row in frame.iterrows():
        parts = []
        for column, label in shown:
            value = row[column]
            if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
                continue
            text = STATUS_LABELS.get(str(value), str(value))
            parts.append(f"{label} {text}" if column in ("priority", "linked_tipoffs") else text)
        texts.append(", ".join(p for p in parts if p) or "Outstanding premises")
    return texts
