"""Which column of a file feeds which field of a kind: the analyst's mapping, then names.

A file's columns are matched to the kind's fields (see :data:`layers.core.kinds.KINDS`) by name
and common synonyms; an explicit mapping (``COLUMN=FIELD``, from the page's grid, the CLI's
``--map`` or the API's ``map``) overrides any guess. Validation of the values themselves is
:mod:`layers.imports.values`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from layers.core.kinds import ADVERTS, KINDS, TIPOFFS
from layers.imports.detect import LOCATION_ROLES, normalise_name
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
    "title": ("title", "headline", "advert_title", "subject"),
    "text": ("text", "body", "description", "advert_text", "ad_text", "content"),
    "image_hashes": (
        "image_hashes",
        "photo_hashes",
        "image_hash",
        "photo_hash",
        "phash",
        "phashes",
        "perceptual_hashes",
    ),
    "accuracy_m": ("accuracy_m", "accuracy", "location_accuracy", "accuracy_metres", "precision_m"),
    "grade": ("grade", "grading", "3x5x2", "intel_grading", "intelligence_grading"),
}
ADVERT_REF = ("advert_id", "ad_id", "advertid", "listing_id", "advert_ref", "advert", "id")


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
            raise ImportRefused(f"a column mapping needs COLUMN=FIELD, not {item!r}")
        column, _, target = item.rpartition("=")
        column, target = column.strip(), target.strip()
        if not column or not target:
            raise ImportRefused(f"a column mapping needs COLUMN=FIELD, not {item!r}")
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


def resolve_mapping(
    columns: list[str],
    kind_name: str,
    explicit: dict[str, str],
    identifier: str | None = None,
) -> ColumnMapping:
    """Match the file's columns to fields: the explicit mapping first, then names and synonyms.

    ``identifier`` names the column that identifies each feature when the file has no
    reference column of its own (a KML placemark's ``<name>``).
    """
    mapping = ColumnMapping()
    taken = _apply_explicit(mapping, columns, kind_name, explicit)
    if kind_name != CUSTOM:
        _guess_fields(mapping, columns, kind_name, taken)
        if "ref" not in mapping.fields and identifier in columns and identifier not in taken:
            mapping.fields["ref"] = identifier
            taken.add(identifier)
    mapping.unused = [c for c in columns if c not in taken]
    return mapping


def _apply_explicit(
    mapping: ColumnMapping, columns: list[str], kind_name: str, explicit: dict[str, str]
) -> set[str]:
    allowed = allowed_fields(kind_name)
    by_norm = {normalise_name(c): c for c in columns}
    taken: set[str] = set()
    for column, target in explicit.items():
        actual = column if column in columns else by_norm.get(normalise_name(column))
        if actual is None:
            shown = ", ".join(f"'{c}'" for c in columns[:30])
            raise ImportRefused(
                f"the column mapping names column '{column}', which is not in the file "
                f"(columns: {shown})."
            )
        target = target.lower()
        if target not in allowed:
            raise ImportRefused(
                f"the column mapping sends '{column}' to '{target}', but {kind_name} have no "
                f"field '{target}'; choose one of {', '.join(allowed)}."
            )
        taken.add(actual)
        if target in LOCATION_ROLES:
            mapping.location[actual] = target
            if target in _schema(kind_name):
                mapping.fields[target] = actual  # a premises postcode both locates and is kept
        elif target != IGNORE:
            mapping.fields[target] = actual
    return taken


def _schema(kind_name: str) -> set[str]:
    return set() if kind_name == CUSTOM else {f.name for f in KINDS[kind_name].fields}


def _guess_fields(
    mapping: ColumnMapping, columns: list[str], kind_name: str, taken: set[str]
) -> None:
    kind = KINDS[kind_name]
    by_norm = {normalise_name(c): c for c in columns}
    schema = {f.name for f in kind.fields}
    for name in [f.name for f in kind.fields] + list(EXTRA_FIELDS.get(kind_name, ())):
        if name in mapping.fields:
            continue
        names = SYNONYMS.get(name, (name,))
        if name == "ref" and kind_name == ADVERTS:
            names = ADVERT_REF + names
        if name in schema:
            names = (*names, normalise_name(kind.field(name).label))
        column = next((by_norm[n] for n in names if n in by_norm and by_norm[n] not in taken), None)
        if column is not None:
            mapping.fields[name] = column
            taken.add(column)
