"""The one safe-cell rule every tabular output uses (CSV, XLSX, run sheets, logs, packs).

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and tab or
carriage return can smuggle one past a naive check (CSV/formula injection, OWASP). Imported text
is attacker-controlled (an advert titled ``=HYPERLINK(...)``, a column named ``@SUM(...)``), so
every text cell and every header cell is prefixed with an apostrophe when it starts with one of
those characters. Numbers stay numbers: only text is changed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = r"^[=+\-@\t\r]"


def safe_cell(value: object) -> object:
    """``value`` with a leading apostrophe when it is text a spreadsheet would execute."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_text(value: object) -> str:
    """``value`` as CSV text (``None`` is empty), neutralised."""
    return str(safe_cell("" if value is None else str(value)))


def safe_header(columns: Iterable[object]) -> list[str]:
    """Header cells, neutralised like values: a column name is file content too."""
    return [safe_text(c) for c in columns]


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every risky text cell and column name neutralised (vectorised)."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            text = series.astype("string")
            risky = text.str.match(_FORMULA_PATTERN).fillna(False).astype(bool)
            if risky.any():
                out[column] = series.astype(object).where(~risky, "'" + text.astype(object))
    out.columns = safe_header(out.columns)
    return out


def csv_text(
    header: Sequence[object], rows: Iterable[Sequence[object]], marking: str | None = None
) -> str:
    """CSV text with header and rows neutralised; with ``marking``, a first and last marking line.

    The marking lines let a reader of the raw file see its protective marking; pass ``None`` for
    machine-clean output (the file name then carries the marking).
    """
    out = io.StringIO()
    writer = csv.writer(out)
    if marking:
        writer.writerow([marking])
    writer.writerow(safe_header(header))
    for row in rows:
        writer.writerow([safe_text(v) if isinstance(v, str) or v is None else v for v in row])
    if marking:
        writer.writerow([marking])
    return out.getvalue()
