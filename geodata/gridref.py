"""Ordnance Survey National Grid references (``SD 53843 29512``) to and from metres.

Officers, partner agencies and run sheets use grid references; the app works in BNG metres.
Parsing is vectorised with pandas string operations; the only loop is over the table of
two-letter 100 km square prefixes, never over rows.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

logger = logging.getLogger(__name__)

_LETTERS = "ABCDEFGHJKLMNOPQRSTUVWXYZ"  # the grid alphabet has no I
_MAX_E100 = 7  # the National Grid covers 0-700 km east ...
_MAX_N100 = 13  # ... and 0-1300 km north
_PATTERN = r"^\s*([A-Z]{2})\s*([0-9]*)\s*([0-9]*)\s*$"


def _square_table() -> dict[str, tuple[int, int]]:
    """Two-letter prefix -> (100 km easting index, 100 km northing index) for the grid.

    The first letter picks a 500 km square (S = origin), the second a 100 km square inside
    it, both on a 5x5 letter grid read row by row from the north-west.
    """
    table: dict[str, tuple[int, int]] = {}
    for i1, c1 in enumerate(_LETTERS):
        for i2, c2 in enumerate(_LETTERS):
            e100 = ((i1 - 2) % 5) * 5 + i2 % 5
            n100 = (19 - (i1 // 5) * 5) - i2 // 5
            if 0 <= e100 < _MAX_E100 and 0 <= n100 < _MAX_N100:
                table[c1 + c2] = (e100, n100)
    return table


SQUARES: dict[str, tuple[int, int]] = _square_table()
_E100 = {p: e for p, (e, _) in SQUARES.items()}
_N100 = {p: n for p, (_, n) in SQUARES.items()}
_PREFIX_GRID = np.full((_MAX_N100, _MAX_E100), "", dtype=object)
for _prefix, (_e, _n) in SQUARES.items():
    _PREFIX_GRID[_n, _e] = _prefix


def parse_gridrefs(
    values: Sequence[str | None] | np.ndarray | pd.Series,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Convert grid references to BNG metres at the centre of the referenced square.

    Accepts two letters followed by 0-10 digits (an even count, optionally split by a space
    into equal easting and northing halves): ``"SD 53843 29512"``, ``"SD5329"``,
    ``"sd 5384 2951"``. A reference denotes a square (``SD5329`` is a 1 km square), so the
    centre is returned: the south-west corner plus half the square size.

    Returns
    -------
    tuple of numpy.ndarray
        ``(easting, northing, ok)``: float64 metres (NaN where invalid) and a bool mask.
    """
    raw = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else values
    text = pd.Series(np.asarray(raw, dtype=object).ravel(), dtype="string").str.upper()
    parts = text.str.extract(_PATTERN)
    prefix, first, second = parts[0], parts[1].fillna(""), parts[2].fillna("")
    same_halves = (second.str.len() == 0) | (first.str.len() == second.str.len())
    digits = (first + second).fillna("")
    ndig = digits.str.len().fillna(0).astype(int).to_numpy()
    e100 = prefix.map(_E100).to_numpy(dtype=np.float64, na_value=np.nan)
    n100 = prefix.map(_N100).to_numpy(dtype=np.float64, na_value=np.nan)
    ok = (
        np.isfinite(e100)
        & same_halves.fillna(False).to_numpy(dtype=bool)
        & (ndig % 2 == 0)
        & (ndig <= 10)
    )
    half = np.where(ok, ndig // 2, 0)
    # Split the digits into easting and northing halves, one pass per precision (0..5).
    east_digits = pd.Series("", index=text.index, dtype="string")
    north_digits = pd.Series("", index=text.index, dtype="string")
    for h in range(1, 6):
        rows = half == h
        if rows.any():
            east_digits[rows] = digits[rows].str[:h]
            north_digits[rows] = digits[rows].str[h:]
    # Pad each half to 5 digits (metres); letters-only references read as 0.
    east_m = pd.to_numeric(east_digits.str.ljust(5, "0")).to_numpy(np.float64)
    north_m = pd.to_numeric(north_digits.str.ljust(5, "0")).to_numpy(np.float64)
    size = 10.0 ** (5 - half)
    easting = np.where(ok, e100 * 100_000 + east_m + size / 2, np.nan)
    northing = np.where(ok, n100 * 100_000 + north_m + size / 2, np.nan)
    return easting, northing, ok


def format_gridref(easting: ArrayLike, northing: ArrayLike, digits: int = 10) -> list[str]:
    """Grid references for BNG points, e.g. ``"SD 54015 29628"`` (for run sheets).

    Coordinates are truncated, not rounded, as OS references denote the square a point lies
    in. Points off the grid or NaN give ``""``.

    Parameters
    ----------
    easting, northing
        Metres.
    digits
        Total digits: 0, 2, 4, 6, 8 or 10 (10 = 1 m, 8 = 10 m, 6 = 100 m precision).

    Raises
    ------
    ValueError
        ``digits`` not an even number from 0 to 10.
    """
    if digits not in (0, 2, 4, 6, 8, 10):
        raise ValueError(f"digits must be 0, 2, 4, 6, 8 or 10, got {digits}")
    e = np.atleast_1d(np.asarray(easting, dtype=np.float64)).ravel()
    n = np.atleast_1d(np.asarray(northing, dtype=np.float64)).ravel()
    ok = (
        np.isfinite(e)
        & np.isfinite(n)
        & (e >= 0)
        & (e < _MAX_E100 * 100_000)
        & (n >= 0)
        & (n < _MAX_N100 * 100_000)
    )
    e_int = np.where(ok, e, 0).astype(np.int64)
    n_int = np.where(ok, n, 0).astype(np.int64)
    prefix = _PREFIX_GRID[n_int // 100_000, e_int // 100_000]
    ok &= prefix != ""
    k = digits // 2
    out = pd.Series(prefix, dtype="string")
    if k:
        scale = 10 ** (5 - k)
        east = pd.Series((e_int % 100_000) // scale).astype("string").str.zfill(k)
        north = pd.Series((n_int % 100_000) // scale).astype("string").str.zfill(k)
        out = out + " " + east + " " + north
    return [s if good else "" for s, good in zip(out.tolist(), ok, strict=True)]
