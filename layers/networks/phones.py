"""Phone numbers in advert text, phone columns and tip-off summaries: found, normalised, hashed.

Controllers hide numbers from filters: ``O7 7OO 9OO l23`` (letters for digits), spaced digits
and numbers in words (``oh seven seven double oh nine ...``). Every digit-like token (digits
with look-alike letters, digit words, ``double``/``triple``) is read, neighbouring tokens form a
run, and windows of a run are tried, longest first, against the ``phonenumbers`` library with
a GB default. A number is kept when the library says it is valid, or when it is in one of
Ofcom's ranges reserved for drama (so synthetic and training data behave like real numbers).

What leaves this module is the international digit string for hashing (by the one hashing rule,
:func:`layers.core.phones.phone_digests`) and the text with every number masked: phone-like
runs that do not validate are masked too, because a mistyped number is still a number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import phonenumbers

from layers.core.phones import phone_digests

DEFAULT_REGION = "GB"
MASK = "[phone]"

_DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "o": "0",
    "nought": "0",
    "nil": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "i": "1",
    "l": "1",
    "|": "1",
}
_REPEATS = {"double": 2, "triple": 3, "treble": 3}
_LOOKALIKES = str.maketrans({"o": "0", "O": "0", "l": "1", "I": "1", "i": "1", "|": "1"})
_TOKEN = re.compile(
    r"(?<![A-Za-z0-9])(?>\+?[0-9OoIil|]*[0-9][0-9OoIil|]*)(?![A-Za-z])"
    r"|\b(?:" + "|".join(w for w in [*_DIGIT_WORDS, *_REPEATS] if w != "|") + r")\b|\|",
    re.IGNORECASE,
)
_GAP = re.compile(r"[\s\-.,()/]{0,4}")
# Ofcom's numbers for drama and fiction: national significant numbers starting with these.
_FICTION_PREFIXES = (
    "7700900",
    "1632960",
    "2079460",
    "1134960",
    "1144960",
    "1154960",
    "1164960",
    "1174960",
    "1184960",
    "1214960",
    "1314960",
    "1414960",
    "1514960",
    "1614960",
    "1914980",
)
_MIN_DIGITS, _MAX_DIGITS, _MASK_DIGITS = 10, 15, 9


@dataclass(frozen=True)
class FoundNumber:
    """A number found in a text: its span and international digits (``None``: not a number)."""

    start: int
    end: int
    digits: str | None


def normalise_number(candidate: str, region: str = DEFAULT_REGION) -> str | None:
    """International digits (``447700900123``) of a written number, or ``None`` if not one."""
    s = candidate
    if s.startswith("00"):
        s = "+" + s[2:]
    elif s.startswith("440") and len(s) == 13:
        s = "+44" + s[3:]
    elif s.startswith("44") and len(s) == 12:
        s = "+" + s
    if s.startswith("+440"):
        s = "+44" + s[4:]
    if not s.startswith(("0", "+")):
        return None
    try:
        number = phonenumbers.parse(s, region)
    except phonenumbers.NumberParseException:
        return None
    national = str(number.national_number)
    fiction = number.country_code == 44 and national.startswith(_FICTION_PREFIXES)
    if not (fiction and len(national) == 10) and not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]


def _token_digits(token: str) -> str:
    word = token.lower()
    if word in _DIGIT_WORDS:
        return _DIGIT_WORDS[word]
    if word in _REPEATS:
        return "x" * _REPEATS[word]
    return token.translate(_LOOKALIKES)


def _runs(text: str) -> list[list[tuple[int, int, str]]]:
    """Digit-like tokens grouped into runs separated by no more than a little punctuation."""
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    repeat, last_end = 1, -1
    for match in _TOKEN.finditer(text):
        if last_end >= 0 and not _GAP.fullmatch(text, last_end, match.start()):
            if current:
                runs.append(current)
            current, repeat = [], 1
        last_end = match.end()
        digits = _token_digits(match.group())
        if digits.startswith("x"):
            repeat = len(digits)
            continue
        if repeat > 1:
            digits = digits[0] * (repeat - 1) + digits
            repeat = 1
        current.append((match.start(), match.end(), digits))
    if current:
        runs.append(current)
    return runs


def _numbers_in_run(
    run: list[tuple[int, int, str]], parse: Callable[[str], str | None]
) -> list[FoundNumber]:
    """The longest valid numbers in a run, left to right; phone-like leftovers marked invalid."""
    found: list[FoundNumber] = []
    i = 0
    while i < len(run):
        best: tuple[int, str] | None = None
        total = ""
        for j in range(i, len(run)):
            total += run[j][2]
            if len(total.lstrip("+")) > _MAX_DIGITS:
                break
            if len(total.lstrip("+")) >= _MIN_DIGITS and (normal := parse(total)):
                best = (j, normal)
        if best is not None:
            found.append(FoundNumber(run[i][0], run[best[0]][1], best[1]))
            i = best[0] + 1
            continue
        if len(run[i][2].lstrip("+")) >= _MASK_DIGITS:
            found.append(FoundNumber(run[i][0], run[i][1], None))
        i += 1
    return _mask_leftover_runs(run, found)


def _mask_leftover_runs(
    run: list[tuple[int, int, str]], found: list[FoundNumber]
) -> list[FoundNumber]:
    """A run that starts like a number (``0``, ``+``), has nine or more digits and no valid
    number in it is masked as a whole; prices and times (``100 150 200``) are left alone."""
    starts_like_phone = run[0][2].startswith(("0", "+"))
    if found or not starts_like_phone or sum(len(t[2]) for t in run) < _MASK_DIGITS:
        return found
    return [FoundNumber(run[0][0], run[-1][1], None)]


def find_numbers(
    text: str, parse: Callable[[str], str | None] = normalise_number
) -> list[FoundNumber]:
    """Every phone number (and phone-like digit run) in ``text``, in order."""
    out: list[FoundNumber] = []
    for run in _runs(text):
        out.extend(_numbers_in_run(run, parse))
    return out


def mask_numbers(text: str, found: Sequence[FoundNumber]) -> str:
    """``text`` with each found number replaced by ``[phone]``."""
    parts: list[str] = []
    last = 0
    for number in found:
        parts.append(text[last : number.start])
        parts.append(MASK)
        last = number.end
    parts.append(text[last:])
    return "".join(parts)


@dataclass(frozen=True)
class ExtractedPhones:
    """Numbers found in a batch of rows: long form (``row``, ``digits``) and the masked texts."""

    numbers: pd.DataFrame
    masked: pd.Series


def extract_phones(*columns: pd.Series) -> ExtractedPhones:
    """Numbers in any of ``columns`` (phone column, text, title ... aligned by position).

    The masked text returned is of the last column (the free text that is stored); each
    distinct candidate digit string is parsed once, because the same numbers recur across a
    network's adverts.
    """
    memo: dict[str, str | None] = {}

    def parse(candidate: str) -> str | None:
        if candidate not in memo:
            memo[candidate] = normalise_number(candidate)
        return memo[candidate]

    rows: list[int] = []
    digits: list[str] = []
    masked: list[str | None] = []
    for c, column in enumerate(columns):
        for row, value in enumerate(column.tolist()):
            text = value if isinstance(value, str) else ""
            found = find_numbers(text, parse) if text else []
            for number in found:
                if number.digits is not None:
                    rows.append(row)
                    digits.append(number.digits)
            if c == len(columns) - 1:
                masked.append(mask_numbers(text, found) if isinstance(value, str) else None)
    numbers = pd.DataFrame(
        {"row": np.array(rows, dtype=np.int64), "digits": pd.Series(digits, dtype=object)}
    ).drop_duplicates(ignore_index=True)
    return ExtractedPhones(numbers, pd.Series(masked, index=columns[-1].index, dtype=object))


def hash_numbers(numbers: pd.DataFrame, key: str) -> pd.DataFrame:
    """``numbers`` (``row``, ``digits``) as ``row``, ``phone_hash``, ``last3``: digits dropped."""
    uniques = numbers["digits"].drop_duplicates()
    table = pd.DataFrame(
        {
            "digits": uniques.to_numpy(),
            "phone_hash": phone_digests(uniques.tolist(), key),
            "last3": uniques.str[-3:].to_numpy(),
        }
    )
    hashed = numbers.merge(table, on="digits", how="left")
    return hashed[["row", "phone_hash", "last3"]]
