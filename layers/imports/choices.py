"""Choice fields against their vocabulary: known values, synonyms, the analyst's own mapping,
and values the vocabulary lacks.

An import never throws a row away for a value the vocabulary lacks. For an optional choice
field (premises type, grades) the row is kept: the field becomes ``other`` (or stays empty when
the field has no ``other``), the file's own text is stored with the row, and the report lists
each unfamiliar value with its count so the analyst can map it to a known value and import
again. A required choice field (risk, channel) cannot be guessed: those rows are rejected, with
the same offer to map the value.
"""

from __future__ import annotations

import json
import logging

import numpy as np
import pandas as pd

from layers.core.kinds import KINDS, Field, Kind
from layers.imports.report import ChoiceValues, Problems, Unfamiliar
from layers.imports.safety import ImportRefused

logger = logging.getLogger(__name__)

OTHER = "other"
ValueMap = dict[str, dict[str, str]]
"""Field name -> {value as written in the file -> known value}; matched ignoring case."""

CHOICE_SYNONYMS: dict[str, dict[str, str]] = {
    "channel": {
        "helpline": "Modern Slavery Helpline",
        "msh": "Modern Slavery Helpline",
        "modern slavery helpline": "Modern Slavery Helpline",
        "partner": "partner agency",
        "partner agency": "partner agency",
        "web": "online",
        "online": "online",
    },
    "risk": {"h": "high", "m": "medium", "med": "medium", "l": "low"},
    "premises_type": {
        "house in multiple occupation": "HMO",
        "house of multiple occupation": "HMO",
        "brothel": "brothel/sauna",
        "sauna": "brothel/sauna",
        "brothel or sauna": "brothel/sauna",
        "flat over a shop": "flat above a shop",
        "flat above shop": "flat above a shop",
        "flat over shop": "flat above a shop",
        "sunbed": "tanning salon",
        "sunbed shop": "tanning salon",
        "tanning": "tanning salon",
        "barbers": "barber",
        "barber shop": "barber",
        "barbershop": "barber",
        "warehousing": "warehouse",
        "agriculture": "agricultural",
        "car wash (hand)": "hand car wash",
    },
}
"""Common spellings of known values (matched ignoring case); the analyst's mapping adds more."""


def parse_value_args(items: list[str] | None) -> ValueMap:
    """``["premises_type:Bedsit=HMO"]`` -> ``{"premises_type": {"Bedsit": "HMO"}}``."""
    out: ValueMap = {}
    for item in items or []:
        name, colon, rest = item.partition(":")
        original, equals, known = rest.rpartition("=")
        if not colon or not equals or not name.strip() or not original.strip() or not known.strip():
            raise ImportRefused(
                f"a value mapping needs FIELD:VALUE=KNOWN VALUE (like premises_type:Bedsit=HMO), "
                f"not {item!r}"
            )
        out.setdefault(name.strip(), {})[original.strip()] = known.strip()
    return out


def check_value_map(kind: Kind, value_map: ValueMap) -> ValueMap:
    """The mapping with each target spelled as the vocabulary spells it; refuses unknown ones."""
    checked: ValueMap = {}
    choice_fields = {f.name: f for f in kind.fields if f.type == "choice"}
    for name, pairs in value_map.items():
        f = choice_fields.get(name)
        if f is None:
            raise ImportRefused(
                f"{kind.label} have no choice field '{name}' to map values of; "
                f"use one of {', '.join(choice_fields)}."
            )
        known = {c.lower(): c for c in f.choices}
        for original, target in pairs.items():
            if target.lower() not in known:
                raise ImportRefused(
                    f"'{original}' cannot be mapped to '{target}': {f.label} is one of "
                    f"{', '.join(f.choices)}."
                )
            checked.setdefault(name, {})[original] = known[target.lower()]
    return checked


def _lookup(f: Field, value_map: ValueMap) -> dict[str, str]:
    lookup = {c.lower(): c for c in f.choices}
    lookup.update(CHOICE_SYNONYMS.get(f.name, {}))
    lookup.update({k.lower(): v for k, v in value_map.get(f.name, {}).items()})
    return lookup


DISTINCT_SHOWN = 50


def recognised(kind: str, field: str, value: str) -> bool:
    """Whether ``value`` of a choice field is known without the analyst's mapping."""
    return kind in KINDS and value.strip().lower() in _lookup(KINDS[kind].field(field), {})


def choice_values(f: Field, text: pd.Series, column: str, value_map: ValueMap) -> ChoiceValues:
    """The distinct values of a choice column (the commonest first) and what each becomes."""
    lookup = _lookup(f, value_map)
    counts = text.value_counts().head(DISTINCT_SHOWN)
    return ChoiceValues(
        f.name,
        f.label,
        column,
        {str(k): int(v) for k, v in counts.items()},
        {str(k): lookup.get(str(k).lower()) for k in counts.index},
    )


def resolve_choices(
    f: Field, text: pd.Series, column: str, problems: Problems, value_map: ValueMap
) -> tuple[pd.Series, pd.Series, Unfamiliar | None]:
    """Known values for ``text``; returns (values, original text where unfamiliar, summary)."""
    canonical = text.str.lower().map(_lookup(f, value_map)).astype(object)
    unknown = (text.notna() & canonical.isna()).to_numpy(dtype=bool)
    originals = text.astype(object).where(unknown, None)
    if not unknown.any():
        return canonical, originals, None
    counts = text[unknown].value_counts()
    summary = Unfamiliar(f.name, f.label, column, {str(k): int(v) for k, v in counts.items()})
    if f.required:
        summary.rejected = True
        problems.add(
            unknown,
            column,
            f"{f.label} {{value}} is not one of {', '.join(f.choices)}: map it to one of them",
            text,
        )
        return canonical, originals, summary
    summary.kept_as = OTHER if OTHER in f.choices else None
    canonical = canonical.where(~unknown, summary.kept_as)
    return canonical, originals, summary


def originals_json(originals: dict[str, pd.Series], index: pd.Index) -> pd.Series:
    """Per row, the file's own text of its unfamiliar values as JSON (``None`` when none)."""
    out = pd.Series(None, index=index, dtype=object)
    if not originals:
        return out
    frame = pd.DataFrame(originals, index=index)
    has = frame.notna().any(axis=1).to_numpy(dtype=bool)
    for position in np.flatnonzero(has):
        row = frame.iloc[position]
        out.iloc[position] = json.dumps(
            {str(k): v for k, v in row.items() if pd.notna(v)}, ensure_ascii=False
        )
    return out
