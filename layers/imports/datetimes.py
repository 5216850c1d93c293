"""Dates and times as analysts' files write them: ISO 8601, or UK day-first, in UK local time.

A column of uniform ISO 8601 times parses in one C pass; anything else falls back format by
format, so a file that mixes ``2026-11-24T21:00:00Z`` with ``24/11/2026 22:00`` still reads
every cell. Times without an offset are UK local time (Europe/London, see
:mod:`layers.core.clock`) and are stored in UTC.
"""

from __future__ import annotations

import logging

import pandas as pd

from layers.core.clock import localize_naive
from layers.imports.text import cell_text

logger = logging.getLogger(__name__)


_DAYFIRST_FORMATS = (
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M",
    "%d.%m.%Y %H:%M",
    "%d/%m/%y %H:%M",
    "%d/%m/%Y %H.%M",
)


def parse_datetimes(values: pd.Series, text: pd.Series | None = None) -> pd.Series:
    """UTC timestamps from ISO 8601 or UK day-first text; times without an offset are UK local."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype) or (
        values.dtype == object
        and values.map(lambda v: hasattr(v, "year"), na_action="ignore").fillna(False).all()
    ):
        parsed = pd.to_datetime(values, errors="coerce")
        if parsed.dt.tz is None:
            parsed = localize_naive(parsed)
        return parsed.dt.tz_convert("UTC")
    text = cell_text(values) if text is None else text
    fast = _iso_fast_path(text)
    if fast is not None:
        return fast
    aware = text.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True).fillna(False).astype(bool)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
    if aware.any():
        out[aware] = pd.to_datetime(text[aware], utc=True, errors="coerce", format="ISO8601")
    naive_text = text[~aware & text.notna()]
    if len(naive_text):
        naive = pd.to_datetime(naive_text, errors="coerce", format="ISO8601")
        for fmt in _DAYFIRST_FORMATS:
            todo = naive.isna()
            if not todo.any():
                break
            naive[todo] = pd.to_datetime(naive_text[todo], errors="coerce", format=fmt)
        todo = naive.isna()
        if todo.any() and todo.sum() <= 10_000:
            naive[todo] = pd.to_datetime(
                naive_text[todo], errors="coerce", format="mixed", dayfirst=True
            )
        naive = pd.to_datetime(naive, errors="coerce")
        local = localize_naive(naive)
        out[naive.index] = local.dt.tz_convert("UTC")
    return out


def _iso_fast_path(text: pd.Series) -> pd.Series | None:
    """Parse a column of uniform ISO 8601 times in one C pass (the common case), else ``None``.

    pandas refuses a column that mixes offsets with times without one, and turns cells in
    other formats into NaT; either way the careful per-format path takes over.
    """
    try:
        parsed = pd.to_datetime(text, format="ISO8601", errors="coerce")
    except (ValueError, TypeError):
        return None
    if parsed.isna().sum() != text.isna().sum():
        return None
    if parsed.dt.tz is None:
        parsed = localize_naive(parsed)
    return parsed.dt.tz_convert("UTC")
