"""Cells as text: the one conversion every text, choice and date check starts from."""

from __future__ import annotations

import logging

import pandas as pd

logger = logging.getLogger(__name__)


def cell_text(values: pd.Series) -> pd.Series:
    """Cell values as stripped text (NA when empty); whole-number floats lose their ``.0``."""
    if values.dtype == object:
        values = values.map(
            lambda v: str(int(v)) if isinstance(v, float) and v.is_integer() else v,
            na_action="ignore",
        )
    # Strip each distinct value once: sites, phones and times repeat across many rows.
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    distinct = pd.Series(uniques, dtype=object).astype("string").str.strip()
    distinct = distinct.mask(distinct == "")
    distinct = pd.concat([distinct, pd.Series([pd.NA], dtype="string")], ignore_index=True)
    text = distinct.iloc[codes]  # code -1 (missing) takes the NA appended last
    text.index = values.index
    return text
