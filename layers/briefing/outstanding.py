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

POSITION_COLUMNS = ["id", "lon", "lat", "easting", "northing"]


def _scored(premises: pd.DataFrame, frame: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Premises not yet visited, with their priority score and linked tip-offs."""
    from layers.planning.priority import score_candidates

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
    return open_


def outstanding(
    premises: pd.DataFrame, frame: pd.DataFrame, links: pd.DataFrame, options: BriefingOptions
) -> pd.DataFrame:
    """High-priority (or high-risk) premises not yet visited, highest priority first, with the
    configured fields only."""
    from layers.planning.priority import HIGH_PRIORITY

    open_ = _scored(premises, frame, links)
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
