"""Postcode text: normalising and parsing UK postcodes as whole arrays, in C where possible.

Kept apart from the index (:mod:`geodata.postcodes`) because imports, the geocoder and stored
records all need the same normal form (``"fy1 2nh"`` -> ``"FY1 2NH"``), and it must be one rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import pandas as pd

KEY_DTYPE = "S7"
"""Index keys: the postcode without its space, at most 7 ASCII bytes."""

PostcodeInput: TypeAlias = Sequence[str | None] | np.ndarray | pd.Series

_WHITESPACE = (" ", "\t", "\n", "\r", "\xa0", "\u2009", "\u202f")
_A, _Z, _D0, _D9 = ord("A"), ord("Z"), ord("0"), ord("9")


def compact(values: PostcodeInput) -> np.ndarray:
    """Upper-case strings with whitespace removed (numpy ``StringDType``; missing -> "").

    numpy 2's ``np.strings`` functions run in C, several times faster than pandas' ``.str``
    on object columns; this is the hot path of bulk geocoding.
    """
    if isinstance(values, str):
        values = [values]
    if isinstance(values, pd.Series):
        raw = values.to_numpy(dtype=object)
    else:
        raw = np.asarray(values, dtype=object).ravel()
    raw = np.where(pd.isna(raw), "", raw)
    text = np.strings.replace(np.strings.upper(raw.astype(np.dtypes.StringDType())), " ", "")
    # Other whitespace (tabs, no-break spaces) is rare: clean only rows with odd characters.
    odd = np.flatnonzero(~np.strings.isalnum(text) & (np.strings.str_len(text) > 0))
    if odd.size:
        part = text[odd]
        for space in _WHITESPACE[1:]:
            part = np.strings.replace(part, space, "")
        text[odd] = part
    return text


def parse(values: PostcodeInput) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate postcodes and derive their display form and numeric key, all in numpy.

    The compact postcode (at most 7 ASCII characters) is checked character class by
    character class against ``[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}`` (plus ``GIR 0AA``) on a
    code-point matrix, avoiding a Python regex call per row.

    Returns
    -------
    tuple of numpy.ndarray
        ``(spaced, key, valid)``: object array ``"PR1 2RH"`` ("" if invalid), uint64 key
        (the 7 bytes big-endian, so keys sort like the strings; 0 if invalid), bool mask.
    """
    text = compact(values)
    n = len(text)
    length = np.strings.str_len(text)
    fits = (length >= 5) & (length <= 7)
    chars = np.where(fits, text, "").astype("U7").view(np.uint32).reshape(n, 7)
    alpha = (chars >= _A) & (chars <= _Z)
    digit = (chars >= _D0) & (chars <= _D9)
    rows = np.arange(n)
    inward = length - 3
    safe = np.where(fits, inward, 2)
    valid = (
        fits
        & digit[rows, safe]
        & alpha[rows, np.minimum(safe + 1, 6)]
        & alpha[rows, np.minimum(safe + 2, 6)]
        & alpha[:, 0]
    )
    # Outward code shapes by length: A9 | A99, A9A, AA9 | AA99, AA9A.
    out2 = digit[:, 1]
    out3 = (digit[:, 1] & (digit[:, 2] | alpha[:, 2])) | (alpha[:, 1] & digit[:, 2])
    out4 = alpha[:, 1] & digit[:, 2] & (digit[:, 3] | alpha[:, 3])
    shape_ok = np.select([inward == 2, inward == 3, inward == 4], [out2, out3, out4], False)
    giro = text == "GIR0AA"
    valid &= shape_ok
    valid |= giro
    chars = np.where(valid[:, None], chars, 0)
    shifts = np.arange(48, -1, -8, dtype=np.uint64)
    key = (chars.astype(np.uint64) << shifts).sum(axis=1, dtype=np.uint64)
    # Display form: outward, one space, inward (a code-point matrix viewed as U8 strings).
    col = np.arange(8)
    split = np.where(valid, inward, 0)[:, None]
    src = np.where(col < split, col, col - 1).clip(0, 6)
    spaced = np.take_along_axis(chars, src, axis=1)
    spaced = np.where(col == split, ord(" "), spaced)
    spaced = np.where((col > length[:, None]) | ~valid[:, None], 0, spaced).astype(np.uint32)
    display = np.ascontiguousarray(spaced).view("U8").ravel().astype(object)
    return display, key, valid


def pack_keys(keys: np.ndarray) -> np.ndarray:
    """uint64 form of ``S7`` keys (big-endian bytes), ordered exactly like the byte strings."""
    padded = np.zeros((len(keys), 8), dtype=np.uint8)
    padded[:, 1:] = np.ascontiguousarray(keys, dtype=KEY_DTYPE).view(np.uint8).reshape(-1, 7)
    return padded.view(">u8").ravel().astype(np.uint64)


def normalise_postcodes(values: PostcodeInput) -> np.ndarray:
    """Postcodes in the standard form ``"PR1 2RH"``; ``""`` for anything not a UK postcode.

    Upper-cases, removes all whitespace, checks the UK pattern and puts one space before the
    inward code (last three characters). ``"pr12rh"`` and ``" PR1  2RH "`` both give
    ``"PR1 2RH"``.

    Returns
    -------
    numpy.ndarray
        Object array of str, same length as the input.
    """
    return parse(values)[0]
