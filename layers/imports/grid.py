"""The import page's mapping grid as plain data: what each column could be, what it was guessed
to be, and the mappings the analyst's choices amount to.

After an upload the page shows each column of the file with a few of its values and a choice of
field or location role, the automatic guess preselected; and, for choice fields, each distinct
value with the known value it becomes. These functions turn a report into those rows and the
analyst's choices back into the mappings :func:`layers.imports.import_file` takes, so the page
holds no rule of its own. The mapping belongs to one file: it is built from that file's report
and a preset only ever applies to columns the file has.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from layers.core.kinds import KINDS
from layers.imports.choices import OTHER, ValueMap, recognised
from layers.imports.mapping import CUSTOM, EXTRA_FIELDS, IGNORE
from layers.imports.presets import Preset
from layers.imports.report import ImportReport

logger = logging.getLogger(__name__)

ATTRIBUTE = "attribute"
"""A custom layer's column kept as an attribute of each feature."""
ROLE_LABELS: dict[str, str] = {
    "lat": "Location: latitude",
    "lon": "Location: longitude",
    "easting": "Location: easting (BNG)",
    "northing": "Location: northing (BNG)",
    "gridref": "Location: OS grid reference",
    "postcode": "Location: postcode",
    "wkt": "Location: WKT geometry",
}
EXTRA_LABELS = {"phone": "Phone number (stored hashed)", "grade": "Grade (3x5x2, like 2B P)"}


@dataclass(frozen=True)
class Target:
    """One thing a column can be: a field, a location role, not imported, or an attribute."""

    value: str
    label: str


@dataclass(frozen=True)
class ColumnChoice:
    """One row of the grid: a column, a few of its values, and what it feeds."""

    column: str
    samples: tuple[str, ...]
    target: str


@dataclass(frozen=True)
class ValueChoice:
    """One row of the value table: a choice field's value as written and what it becomes."""

    field: str
    label: str
    value: str
    rows: int
    target: str
    """The known value it becomes ("" when the vocabulary lacks it)."""


def targets(kind: str) -> list[Target]:
    """What a column may feed for ``kind``, in the order the dropdown lists them."""
    if kind == CUSTOM:
        first = [Target(ATTRIBUTE, "Attribute of each feature")]
    else:
        first = [Target(f.name, f.label) for f in KINDS[kind].fields]
        first += [Target(name, EXTRA_LABELS[name]) for name in EXTRA_FIELDS.get(kind, ())]
    roles = [Target(role, label) for role, label in ROLE_LABELS.items()]
    return [*first, *roles, Target(IGNORE, "Not imported")]


def column_choices(report: ImportReport) -> list[ColumnChoice]:
    """Each column of the file with its samples and the guess the import made for it."""
    fed = {column: target for target, column in report.columns.items()}
    fed.update({column: role for role, column in report.location_columns.items()})
    default = ATTRIBUTE if report.kind == CUSTOM else IGNORE
    return [
        ColumnChoice(column, tuple(samples), fed.get(column, default))
        for column, samples in report.column_samples.items()
    ]


def explicit_mapping(chosen: dict[str, str], kind: str) -> dict[str, str]:
    """Column -> field for the import, from the grid (custom attributes need no entry)."""
    allowed = {t.value for t in targets(kind)}
    return {
        column: target
        for column, target in chosen.items()
        if target in allowed and target != ATTRIBUTE
    }


def value_choices(report: ImportReport) -> list[ValueChoice]:
    """Each distinct value of each choice field, with the known value it becomes."""
    return [
        ValueChoice(c.name, c.label, value, rows, c.known.get(value) or "")
        for c in report.choice_values
        for value, rows in c.rows.items()
    ]


def known_values(kind: str, field: str) -> list[str]:
    """The vocabulary of one choice field."""
    return list(KINDS[kind].field(field).choices) if kind in KINDS else []


def value_map(chosen: list[tuple[str, str, str]], kind: str) -> ValueMap:
    """Field -> {value -> known value} from the value table's choices.

    An empty choice leaves the value as the import found it. Choosing ``other`` for a value the
    vocabulary lacks is what the import does anyway, and leaving it out keeps the file's own
    text stored with the row.
    """
    out: ValueMap = {}
    for field, value, target in chosen:
        if not target or (target == OTHER and not recognised(kind, field, value)):
            continue
        out.setdefault(field, {})[value] = target
    return out


def preset_mapping(preset: Preset, columns: list[str]) -> dict[str, str]:
    """The preset's column mapping for the columns this file has (others are ignored)."""
    present = set(columns)
    return {column: target for column, target in preset.mapping.items() if column in present}


def unmapped_hint(report: ImportReport) -> str | None:
    """A sentence pointing at the value table when some values were not recognised."""
    kept = [u for u in report.unfamiliar if not u.rejected]
    if not kept and not any(u.rejected for u in report.unfamiliar):
        return None
    fields = ", ".join(u.label for u in report.unfamiliar)
    return (
        f"Some values of {fields} are not in the list: choose a known value for each in the "
        f"value table below (or leave them, kept as '{OTHER}' where the field allows it)."
    )
