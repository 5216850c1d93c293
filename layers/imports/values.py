"""Whole-column conversion and validation of mapped columns against a kind's schema.

Each field is converted and checked for the whole column at once (required, length, choices,
dates, numbers); a failing cell marks its row rejected with the reason in plain words. Choice
fields go through :mod:`layers.imports.choices`, so an unfamiliar value of an optional field
keeps its row. Postcodes are stored in the one normal form (``FY1 2NH``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geodata.postcode_text import normalise_postcodes
from layers.core.kinds import ADVERTS, TIPOFFS, Field, Kind
from layers.core.phones import hash_phones
from layers.imports.choices import (
    ValueMap,
    choice_values,
    originals_json,
    resolve_choices,
)
from layers.imports.datetimes import parse_datetimes
from layers.imports.mapping import ColumnMapping
from layers.imports.report import ChoiceValues, Problems, Unfamiliar
from layers.imports.safety import ImportRefused
from layers.imports.text import cell_text
from layers.networks.adverts import read_adverts, read_tipoff_phones

logger = logging.getLogger(__name__)

ORIGINALS = "original_values"
"""Stored column holding, as JSON, the file's own text of values the vocabulary lacked."""


@dataclass
class Validated:
    """The kind's stored columns for every row, and the unfamiliar choice values found."""

    values: pd.DataFrame
    unfamiliar: list[Unfamiliar] = field(default_factory=list)
    choices: list[ChoiceValues] = field(default_factory=list)


@dataclass
class _Column:
    """One field's converted values, which rows were empty, and unfamiliar text if any."""

    values: pd.Series
    empty: pd.Series
    originals: pd.Series | None = None
    unfamiliar: Unfamiliar | None = None
    choices: ChoiceValues | None = None


def validate_fields(
    frame: pd.DataFrame,
    kind: Kind,
    mapping: ColumnMapping,
    problems: Problems,
    phone_key: str,
    value_map: ValueMap | None = None,
) -> Validated:
    """The kind's stored columns converted from the mapped columns; bad cells go to ``problems``."""
    out = pd.DataFrame(index=frame.index)
    result = Validated(out)
    fields = dict(mapping.fields)
    if kind.name == TIPOFFS and "grade" in fields:
        _split_grade(frame[fields.pop("grade")], fields, out, problems)
    originals: dict[str, pd.Series] = {}
    for f in kind.fields:
        column = fields.get(f.name)
        if column is None:
            if f.required and f.name not in out:
                raise ImportRefused(
                    f"{kind.label} need a '{f.label}' column and none was found: add one to the "
                    f"file, or choose which column holds it ({f.name}) in the column mapping."
                )
            if f.name not in out:
                out[f.name] = None
            continue
        converted = _convert(f, frame[column], column, problems, value_map or {})
        out[f.name] = converted.values
        if converted.choices is not None:
            result.choices.append(converted.choices)
        if converted.unfamiliar is not None:
            result.unfamiliar.append(converted.unfamiliar)
            if converted.originals is not None and not converted.unfamiliar.rejected:
                originals[f.name] = converted.originals
        if f.required:
            problems.add(
                converted.empty.to_numpy(dtype=bool),
                column,
                f"{f.label} is required but the cell is empty",
            )
    out[ORIGINALS] = originals_json(originals, frame.index)
    if kind.name == ADVERTS:
        _advert_numbers(frame, fields, out, phone_key)
    if kind.name == TIPOFFS:
        out["phone_hashes"] = read_tipoff_phones(out["summary"], phone_key).phone_hashes
    return result


def _advert_numbers(
    frame: pd.DataFrame, fields: dict[str, str], out: pd.DataFrame, phone_key: str
) -> None:
    """Numbers of the phone column, title and text hashed (:mod:`layers.networks.adverts`);
    title and text stored masked."""
    phone = cell_text(frame[fields["phone"]]) if "phone" in fields else None
    read = read_adverts(phone, out["title"], out["text"], phone_key)
    out["title"], out["text"] = read.titles, read.texts
    out["phone_hash"] = read.phones.phone_hash
    out["phone_last3"] = np.where(
        pd.isna(read.phones.phone_last3), out.get("phone_last3"), read.phones.phone_last3
    )
    out["phone_hashes"] = read.phones.phone_hashes


def _convert(
    f: Field, values: pd.Series, column: str, problems: Problems, value_map: ValueMap
) -> _Column:
    if f.type == "datetime":
        return _datetime_column(f, values, column, problems)
    if f.type in ("int", "float"):
        return _number_column(f, values, column, problems)
    text = cell_text(values)
    if f.type == "choice":
        known, originals, unfamiliar = resolve_choices(f, text, column, problems, value_map)
        seen = choice_values(f, text, column, value_map)
        return _Column(known, text.isna(), originals, unfamiliar, seen)
    if f.name == "postcode":
        text = normalised_postcodes(text)
    if f.max_length:
        long = (text.str.len() > f.max_length).fillna(False).to_numpy(dtype=bool)
        problems.add(long, column, f"{f.label} is longer than {f.max_length} characters")
    return _Column(text.astype(object).where(text.notna(), None), text.isna())


def normalised_postcodes(text: pd.Series) -> pd.Series:
    """UK postcodes in their normal form (``fy1 2nh`` -> ``FY1 2NH``); other text unchanged."""
    spaced = pd.Series(normalise_postcodes(text), index=text.index, dtype=object)
    return text.where(spaced == "", spaced.astype("string"))


def _datetime_column(f: Field, values: pd.Series, column: str, problems: Problems) -> _Column:
    text = cell_text(values)
    parsed = parse_datetimes(values, text)
    problems.add(
        (text.notna() & parsed.isna()).to_numpy(dtype=bool),
        column,
        f"{f.label} {{value}} is not a date and time (write it like 2026-11-25 14:30)",
        text,
    )
    return _Column(parsed, parsed.isna() & text.isna())


def _number_column(f: Field, values: pd.Series, column: str, problems: Problems) -> _Column:
    numeric = pd.api.types.is_numeric_dtype(values.dtype)
    text = values if numeric else cell_text(values)
    nums = values.astype("float64") if numeric else pd.to_numeric(text, errors="coerce")
    kind_word = "a whole number" if f.type == "int" else "a number"
    bad = text.notna() & nums.isna()
    if f.type == "int":
        bad |= nums.notna() & (nums % 1 != 0)
    problems.add(bad.to_numpy(dtype=bool), column, f"{f.label} {{value}} is not {kind_word}", text)
    if f.name == "accuracy_m":
        problems.add(
            (nums < 0).fillna(False).to_numpy(dtype=bool), column, f"{f.label} must not be negative"
        )
    converted = nums.where(~bad).astype("Int64" if f.type == "int" else "float64")
    return _Column(converted, text.isna())


_GRADE = re.compile(r"^\s*([1-3])\s*[-/ ]?\s*([A-Ea-e])\s*[-/ ]?\s*([PCpc])?\s*$")


def _split_grade(
    values: pd.Series, fields: dict[str, str], out: pd.DataFrame, problems: Problems
) -> None:
    """A combined 3x5x2 grade (``2B P``, ``1-A-C``) split into its three parts."""
    text = cell_text(values)
    parts = text.str.extract(_GRADE)
    bad = (text.notna() & parts[0].isna()).to_numpy(dtype=bool)
    problems.add(bad, str(values.name), "grade {value} is not a 3x5x2 grade like 2B P", text)
    for i, name in enumerate(("grade_source", "grade_intel", "grade_handling")):
        if name not in fields:
            col = parts[i].str.upper()
            out[name] = col.astype(object).where(col.notna(), None)


def hash_unique_phones(numbers: pd.Series, key: str) -> tuple[np.ndarray, np.ndarray]:
    """:func:`layers.core.phones.hash_phones`, computed once per distinct number.

    Advert exports repeat the same few numbers across thousands of adverts (that is what makes
    circuits visible), so hashing the distinct values and broadcasting is many times faster and
    gives exactly the same hashes.
    """
    codes, uniques = pd.factorize(numbers.to_numpy(dtype=object))
    hashes_u, last3_u = hash_phones(pd.Series(uniques, dtype=object), key)
    hashes_u = np.append(np.asarray(hashes_u, dtype=object), [None])
    last3_u = np.append(np.asarray(last3_u, dtype=object), [None])
    return hashes_u[codes], last3_u[codes]
