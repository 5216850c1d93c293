"""Column mapping onto the built-in kinds, and whole-column validation against their schemas.

A file's columns are matched to the kind's fields (see :data:`layers.core.kinds.KINDS`) by name and
common synonyms; ``--map COLUMN=FIELD`` overrides any guess. Each field is then converted and
checked for the whole column at once (required, length, choices, dates, numbers); a failing
cell marks its row rejected with the reason in plain words.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from layers.core.clock import localize_naive
from layers.core.kinds import ADVERTS, KINDS, TIPOFFS, Field, Kind
from layers.core.phones import hash_phones
from layers.imports.locate import LOCATION_ROLES, normalise_name
from layers.imports.report import Problems
from layers.imports.safety import ImportRefused

logger = logging.getLogger(__name__)

CUSTOM = "custom"
IGNORE = "ignore"
EXTRA_FIELDS: dict[str, tuple[str, ...]] = {ADVERTS: ("phone",), TIPOFFS: ("grade",)}
"""Fields a file may supply besides the schema: a full phone number (stored only hashed) and a
combined 3x5x2 grade such as ``2B P``."""

SYNONYMS: dict[str, tuple[str, ...]] = {
    "ref": (
        "ref",
        "reference",
        "urn",
        "ref_no",
        "reference_number",
        "premises_ref",
        "premises_reference",
        "tipoff_ref",
        "tip_off_ref",
        "incident_ref",
        "log_ref",
        "log_number",
        "crime_ref",
    ),
    "address": ("address", "full_address", "street_address", "addr", "premises_address"),
    "postcode": ("postcode", "post_code", "postal_code", "pcode"),
    "premises_type": ("premises_type", "type", "business_type", "category", "premises_category"),
    "risk": ("risk", "risk_rating", "risk_level", "priority"),
    "notes": ("notes", "note", "comments", "comment", "remarks"),
    "observed_at": (
        "observed_at",
        "received",
        "received_at",
        "received_time",
        "date_received",
        "datetime",
        "timestamp",
        "date_time",
        "time",
        "date",
        "posted",
        "posted_at",
        "date_posted",
        "when",
    ),
    "channel": ("channel", "source_channel", "how_received", "reporting_channel"),
    "grade_source": ("grade_source", "source_grade", "source_evaluation"),
    "grade_intel": ("grade_intel", "intelligence_grade", "intel_grade", "intelligence_evaluation"),
    "grade_handling": ("grade_handling", "handling", "handling_code"),
    "summary": ("summary", "details", "description", "text", "narrative"),
    "linked_premises_id": ("linked_premises_id", "linked_premises", "premises_id"),
    "site": ("site", "website", "platform", "site_name", "source_site"),
    "phone": (
        "phone",
        "contact_phone",
        "telephone",
        "tel",
        "mobile",
        "phone_number",
        "contact_number",
    ),
    "phone_last3": ("phone_last3",),
    "accuracy_m": ("accuracy_m", "accuracy", "location_accuracy", "accuracy_metres", "precision_m"),
    "grade": ("grade", "grading", "3x5x2", "intel_grading", "intelligence_grading"),
}
ADVERT_REF = ("advert_id", "ad_id", "advertid", "listing_id", "advert_ref", "advert", "id")

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
}

_DAYFIRST_FORMATS = (
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M",
    "%d.%m.%Y %H:%M",
    "%d/%m/%y %H:%M",
    "%d/%m/%Y %H.%M",
)


@dataclass
class ColumnMapping:
    """Which column feeds which field; explicit location roles; columns nobody uses."""

    fields: dict[str, str] = field(default_factory=dict)
    location: dict[str, str] = field(default_factory=dict)
    unused: list[str] = field(default_factory=list)


def parse_map_args(items: list[str] | None) -> dict[str, str]:
    """``["Lat=lat", "Advert No=ref"]`` -> ``{"Lat": "lat", "Advert No": "ref"}``."""
    out: dict[str, str] = {}
    for item in items or []:
        if "=" not in item:
            raise ImportRefused(f"--map needs COLUMN=FIELD, got {item!r}")
        column, _, target = item.rpartition("=")
        column, target = column.strip(), target.strip()
        if not column or not target:
            raise ImportRefused(f"--map needs COLUMN=FIELD, got {item!r}")
        out[column] = target
    return out


def allowed_fields(kind_name: str) -> tuple[str, ...]:
    """Field names a column may be mapped to for ``kind_name``."""
    if kind_name == CUSTOM:
        return (*LOCATION_ROLES, IGNORE)
    kind = KINDS[kind_name]
    return (
        *(f.name for f in kind.fields),
        *EXTRA_FIELDS.get(kind_name, ()),
        *LOCATION_ROLES,
        IGNORE,
    )


def resolve_mapping(columns: list[str], kind_name: str, explicit: dict[str, str]) -> ColumnMapping:
    """Match the file's columns to fields: the explicit mapping first, then names and synonyms."""
    allowed = allowed_fields(kind_name)
    by_norm = {normalise_name(c): c for c in columns}
    mapping = ColumnMapping()
    taken: set[str] = set()
    for column, target in explicit.items():
        actual = column if column in columns else by_norm.get(normalise_name(column))
        if actual is None:
            shown = ", ".join(f"'{c}'" for c in columns[:30])
            raise ImportRefused(
                f"--map names column '{column}', which is not in the file (columns: {shown})."
            )
        target = target.lower()
        if target not in allowed:
            raise ImportRefused(
                f"--map '{column}={target}': {kind_name} have no field '{target}'; use one of "
                f"{', '.join(allowed)}."
            )
        taken.add(actual)
        if target in LOCATION_ROLES:
            mapping.location[actual] = target
        elif target != IGNORE:
            mapping.fields[target] = actual
    if kind_name != CUSTOM:
        kind = KINDS[kind_name]
        wanted = [f.name for f in kind.fields] + list(EXTRA_FIELDS.get(kind_name, ()))
        for name in wanted:
            if name in mapping.fields:
                continue
            names = SYNONYMS.get(name, (name,))
            if name == "ref" and kind_name == ADVERTS:
                names = ADVERT_REF + names
            if name in (f.name for f in kind.fields):
                names = (*names, normalise_name(kind.field(name).label))
            for n in names:
                column = by_norm.get(n)
                if column is not None and column not in taken:
                    mapping.fields[name] = column
                    taken.add(column)
                    break
    mapping.unused = [c for c in columns if c not in taken]
    return mapping


def _text(values: pd.Series) -> pd.Series:
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
    text = _text(values) if text is None else text
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


def _check_choice(f: Field, text: pd.Series, column: str, problems: Problems) -> pd.Series:
    lookup = {c.lower(): c for c in f.choices}
    lookup.update(CHOICE_SYNONYMS.get(f.name, {}))
    canonical = text.str.lower().map(lookup)
    bad = (text.notna() & canonical.isna()).to_numpy(dtype=bool)
    problems.add(bad, column, f"{f.label} {{value}} is not one of {', '.join(f.choices)}", text)
    return canonical


def validate_fields(
    frame: pd.DataFrame, kind: Kind, mapping: ColumnMapping, problems: Problems, phone_key: str
) -> pd.DataFrame:
    """The kind's stored columns converted from the mapped columns; bad cells go to ``problems``."""
    out = pd.DataFrame(index=frame.index)
    fields = dict(mapping.fields)
    if kind.name == TIPOFFS and "grade" in fields:
        _split_grade(frame[fields.pop("grade")], fields, out, problems)
    for f in kind.fields:
        column = fields.get(f.name)
        if column is None:
            if f.name in out:
                continue
            if f.required:
                raise ImportRefused(
                    f"{kind.label} need a '{f.label}' column ({f.name}) and none was found; add it "
                    f"or map one with --map 'YOUR COLUMN={f.name}'."
                )
            out[f.name] = None
            continue
        values = frame[column]
        if f.type == "datetime":
            text = _text(values)
            parsed = parse_datetimes(values, text)
            problems.add(
                (text.notna() & parsed.isna()).to_numpy(dtype=bool),
                column,
                f"{f.label} {{value}} is not a date and time (write it like 2026-11-25 14:30)",
                text,
            )
            out[f.name] = parsed
            empty = parsed.isna() & text.isna()
        elif f.type in ("int", "float"):
            numeric = pd.api.types.is_numeric_dtype(values.dtype)
            text = values if numeric else _text(values)
            nums = values.astype("float64") if numeric else pd.to_numeric(text, errors="coerce")
            kind_word = "a whole number" if f.type == "int" else "a number"
            bad = text.notna() & nums.isna()
            if f.type == "int":
                bad |= nums.notna() & (nums % 1 != 0)
            problems.add(
                bad.to_numpy(dtype=bool), column, f"{f.label} {{value}} is not {kind_word}", text
            )
            if f.name == "accuracy_m":
                problems.add(
                    (nums < 0).fillna(False).to_numpy(dtype=bool),
                    column,
                    f"{f.label} must not be negative",
                )
            out[f.name] = nums.where(~bad).astype("Int64" if f.type == "int" else "float64")
            empty = text.isna()
        else:
            text = raw = _text(values)
            if f.type == "choice":
                text = _check_choice(f, text, column, problems)
            elif f.max_length:
                long = (text.str.len() > f.max_length).fillna(False).to_numpy(dtype=bool)
                problems.add(long, column, f"{f.label} is longer than {f.max_length} characters")
            out[f.name] = text.astype(object).where(text.notna(), None)
            empty = raw.isna()
        if f.required:
            problems.add(
                empty.to_numpy(dtype=bool), column, f"{f.label} is required but the cell is empty"
            )
    if kind.name == ADVERTS and "phone" in fields:
        hashes, last3 = hash_unique_phones(_text(frame[fields["phone"]]).fillna(""), phone_key)
        out["phone_hash"] = hashes
        out["phone_last3"] = np.where(pd.isna(last3), out.get("phone_last3"), last3)
    return out


_GRADE = re.compile(r"^\s*([1-3])\s*[-/ ]?\s*([A-Ea-e])\s*[-/ ]?\s*([PCpc])?\s*$")


def _split_grade(
    values: pd.Series, fields: dict[str, str], out: pd.DataFrame, problems: Problems
) -> None:
    """A combined 3x5x2 grade (``2B P``, ``1-A-C``) split into its three parts."""
    text = _text(values)
    parts = text.str.extract(_GRADE)
    bad = (text.notna() & parts[0].isna()).to_numpy(dtype=bool)
    problems.add(bad, values.name, "grade {value} is not a 3x5x2 grade like 2B P", text)
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
    hashes_u = np.append(hashes_u, None)
    last3_u = np.append(last3_u, None)
    return hashes_u[codes], last3_u[codes]
