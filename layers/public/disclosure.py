"""The disclosure rules of a public update, as small pure functions.

A public post is read by everyone, including the people a count may be about. police.uk
publishes crime only on anonymised points and by month, and ICO guidance on crime mapping warns
about small areas, small counts and timing. So an update shows:

- nothing finer than a division, and a district only when every count shown for it is at
  least ``k`` (default 5, configurable, never below 3);
- any smaller count as "fewer than k", never the number;
- no total beside its parts when subtracting the parts shown would reveal a small count;
- dates only as whole days;
- words only from the project's templates, the names of districts and divisions, and numbers
  (checked again on every text, so a record's free text could never slip through).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from layers.core.errors import RuleError

MIN_K = 3
"""The threshold can be raised, never set below this."""
DEFAULT_K = 5


class DisclosureError(RuleError):
    """A text or figure that would disclose more than the rules allow."""


def threshold(k: int) -> int:
    """``k`` checked against the floor: a threshold below :data:`MIN_K` is refused, not clamped."""
    if int(k) < MIN_K:
        raise ValueError(
            f"the disclosure threshold k is {k}: it must be at least {MIN_K} "
            "(set OPSMAP_PUBLIC_K to 3 or more)"
        )
    return int(k)


def fewer_than(k: int) -> str:
    """How a count below ``k`` reads: ``"fewer than 5"``."""
    return f"fewer than {threshold(k)}"


@dataclass(frozen=True)
class Shown:
    """A count as it may be shown: the number when at least ``k``, else "fewer than k"."""

    value: int | None
    text: str

    @property
    def exact(self) -> bool:
        """Whether the number itself is shown."""
        return self.value is not None


def show_count(value: int, k: int) -> Shown:
    """The public form of one count (zero, too, reads "fewer than k": it is a small count)."""
    if value < 0:
        raise ValueError("a count cannot be negative")
    if value >= threshold(k):
        return Shown(int(value), f"{int(value):,}")
    return Shown(None, fewer_than(k))


def areas_below(rows: Mapping[str, Mapping[str, int]], keys: Iterable[str], k: int) -> list[str]:
    """The areas in ``rows`` (area -> figure -> count) with any of ``keys`` below ``k``."""
    wanted = tuple(keys)
    limit = threshold(k)
    return [area for area, counts in rows.items() if any(counts[key] < limit for key in wanted)]


def district_level_allowed(
    rows: Mapping[str, Mapping[str, int]], keys: Iterable[str], k: int
) -> bool:
    """A district breakdown is allowed only when every count it would show is at least ``k``."""
    return bool(rows) and not areas_below(rows, keys, k)


def merge_into_divisions(
    rows: Mapping[str, Mapping[str, int]], division_of: Mapping[str, str], divisions: Sequence[str]
) -> dict[str, dict[str, int]]:
    """District counts summed into their divisions, in ``divisions`` order.

    A district missing from ``division_of`` (outside the force area, or an unknown code) joins
    no division: it is counted only in the force-wide total.
    """
    merged: dict[str, dict[str, int]] = {}
    for name in divisions:
        members = [counts for code, counts in rows.items() if division_of.get(code) == name]
        keys = {key for counts in rows.values() for key in counts}
        merged[name] = {key: sum(int(c.get(key, 0)) for c in members) for key in sorted(keys)}
    return merged


def total_disclosable(total: int, parts: Sequence[int], k: int) -> bool:
    """Whether a total may be shown beside its parts (each shown by :func:`show_count`).

    Subtracting the parts shown from the total gives the sum of the hidden ones (the parts
    read "fewer than k" plus anything outside every part). The total is shown only when that
    remainder is at least ``k``, or zero with nothing hidden; a total below ``k`` reads
    "fewer than k" itself and so is always safe.
    """
    limit = threshold(k)
    if total < limit:
        return True
    shown = [p for p in parts if p >= limit]
    remainder = total - sum(shown)
    hidden = len(shown) < len(parts)
    return remainder >= limit or (remainder == 0 and not hidden)


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def public_day(day: dt.date) -> str:
    """A day as the public reads it, never finer: ``"Monday 30 November 2026"``."""
    if isinstance(day, dt.datetime):
        raise TypeError("public updates name days, not times")
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def period_words(start: dt.date, end: dt.date) -> str:
    """The period in words: ``"on Monday 30 November 2026"`` or ``"from ... to ..."``."""
    if end < start:
        raise ValueError("the period ends before it starts")
    if start == end:
        return f"on {public_day(start)}"
    first = public_day(start)
    if start.year == end.year:
        first = first.rsplit(" ", 1)[0]
    return f"from {first} to {public_day(end)}"


_TOKEN = re.compile(r"#?[^\W_]+(?:['’-][^\W_]+)*")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)


def vocabulary_of(texts: Iterable[str]) -> frozenset[str]:
    """The words (lower case) of ``texts``: what a public text may be made of."""
    return frozenset(t.lower() for text in texts for t in _TOKEN.findall(text) if not t.isdigit())


def unknown_words(text: str, vocabulary: frozenset[str]) -> list[str]:
    """Tokens of ``text`` that are neither numbers nor in ``vocabulary`` (in order, once)."""
    seen: list[str] = []
    for token in _TOKEN.findall(text):
        if token.isdigit() or token.lower() in vocabulary or token in seen:
            continue
        seen.append(token)
    return seen


def check_public_text(text: str, vocabulary: frozenset[str]) -> None:
    """Refuse a text that holds a postcode or any word outside the public vocabulary.

    Texts are built only from templates and numbers, so this never fires in normal use; it
    is the second lock that would catch a template change letting record text through.
    """
    problems = []
    if _POSTCODE.search(text):
        problems.append("a postcode")
    unknown = unknown_words(text, vocabulary)
    if unknown:
        problems.append(f"{len(unknown)} word(s) not in the public vocabulary")
    if problems:
        raise DisclosureError("a public text was refused: it holds " + " and ".join(problems))
