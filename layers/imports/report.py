"""The validation report an analyst acts on, and the vectorised collector of row problems.

Checks run over whole columns at once and hand :class:`Problems` a boolean mask; only the rows
that will be *listed* (the first :data:`MAX_LISTED`) are turned into words, so a million-row
file with a bad column costs one mask, not a million strings. Counts are always exact.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

MAX_LISTED = 1000
"""Rejected (and duplicate) rows listed by row number; the counts cover every row."""


@dataclass(frozen=True)
class RowProblem:
    """One problem with one row: where the analyst finds it, which column, and why."""

    row: int
    column: str | None
    reason: str


def _show(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "(empty)"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Problems:
    """Row problems gathered check by check: ``bad`` marks every row with at least one."""

    def __init__(self, rows: np.ndarray, cap: int = MAX_LISTED) -> None:
        self.rows = rows
        self.cap = cap
        self.bad = np.zeros(len(rows), dtype=bool)
        self.entries: list[RowProblem] = []
        self.counts: dict[str, int] = {}

    def add(
        self,
        mask: np.ndarray | pd.Series,
        column: str | None,
        reason: str,
        values: pd.Series | np.ndarray | None = None,
    ) -> None:
        """Flag the rows in ``mask``; ``reason`` may contain ``{value}`` (taken from ``values``)."""
        mask = np.asarray(mask, dtype=bool)
        hits = int(mask.sum())
        if not hits:
            return
        self.bad |= mask
        key = f"{column}: {reason}" if column else reason
        self.counts[key] = self.counts.get(key, 0) + hits
        room = self.cap - len(self.entries)
        if room <= 0:
            return
        for i in np.flatnonzero(mask)[:room]:
            text = reason
            if values is not None and "{value}" in reason:
                raw = values.iloc[i] if isinstance(values, pd.Series) else values[i]
                text = reason.format(value=_show(raw))
            self.entries.append(RowProblem(int(self.rows[i]), column, text))

    def sorted_entries(self) -> list[RowProblem]:
        """The listed problems in file order."""
        return sorted(self.entries, key=lambda p: p.row)


@dataclass
class Unfamiliar:
    """The values of one choice field that its vocabulary lacks, and what became of their rows."""

    name: str
    label: str
    column: str
    counts: dict[str, int] = field(default_factory=dict)
    kept_as: str | None = None
    """``other`` or ``None`` (left empty) when the rows were kept; rows of a required field are
    rejected instead (``rejected`` is then true)."""
    rejected: bool = False


@dataclass
class ChoiceValues:
    """The distinct values of one choice field's column, and the known value each became."""

    name: str
    label: str
    column: str
    rows: dict[str, int] = field(default_factory=dict)
    """Value as written -> how many rows have it (the commonest first, at most 50)."""
    known: dict[str, str | None] = field(default_factory=dict)
    """Value as written -> the known value it became (``None``: not in the list)."""


@dataclass
class ImportReport:
    """What happened (or would happen) to a file: counts, rows to fix, hints, provenance.

    ``read = accepted + rejected + duplicates``; ``outside_area`` counts accepted rows that fall
    outside the force area (kept, flagged with district "outside").
    """

    file_name: str
    kind: str
    row_label: str = "row"
    layer_name: str | None = None
    read: int = 0
    accepted: int = 0
    outside_area: int = 0
    rejected: int = 0
    duplicates: int = 0
    rejected_rows: list[RowProblem] = field(default_factory=list)
    duplicate_rows: list[RowProblem] = field(default_factory=list)
    reasons: dict[str, int] = field(default_factory=dict)
    hints: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    location: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    """Field or location role -> the file's column that fed it."""
    location_columns: dict[str, str] = field(default_factory=dict)
    """Location role -> column (``geometry`` for the file's own geometry)."""
    column_samples: dict[str, list[str]] = field(default_factory=dict)
    """Each column of the file (in order) with a few of its values, for the mapping grid."""
    choice_values: list[ChoiceValues] = field(default_factory=list)
    """Each choice field's distinct values and the known value each became."""
    by_district: dict[str, int] = field(default_factory=dict)
    unfamiliar: list[Unfamiliar] = field(default_factory=list)
    """Choice values the vocabulary lacks, per field (their rows kept unless the field is
    required)."""
    geometry_type: str | None = None
    dry_run: bool = True
    committed: bool = False
    import_id: int | None = None
    refused: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the file was accepted (the CLI's exit status 0)."""
        return self.refused is None

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (the CLI's ``--json`` and the HTTP API answer)."""
        data = asdict(self)
        data["ok"] = self.ok
        return data

    def outcome_sentence(self) -> str:
        """What a commit did, in one sentence."""
        if self.committed:
            return f"Import #{self.import_id} committed: {self.accepted} stored."
        return "Nothing stored." if self.ok else "Refused: nothing stored."

    def lines(self) -> list[str]:
        """The report in plain words, as the CLI prints it."""
        if self.refused:
            return [f"REFUSED: {self.refused}"]
        if self.dry_run:
            what = "would be imported (dry run)"
        elif self.committed:
            what = "imported"
        else:
            what = "nothing new stored"
        if self.committed and self.import_id is not None:
            what += f" as import #{self.import_id}"
        out = [
            f"{self.file_name} -> {self.layer_name or self.kind}: {what}",
            f"  read {self.read}, accepted {self.accepted} "
            f"(outside the force area {self.outside_area}), "
            f"rejected {self.rejected}, duplicates {self.duplicates}",
        ]
        if self.location:
            out.append(f"  location from {self.location}")
        out.extend(f"  HINT: {hint}" for hint in self.hints)
        out.extend(f"  VALUES: {line}" for line in unfamiliar_lines(self.unfamiliar))
        out.extend(f"  note: {note}" for note in self.notes)
        for p in self.rejected_rows[:50]:
            out.append(
                f"  {self.row_label} {p.row}: {p.column + ': ' if p.column else ''}{p.reason}"
            )
        if self.rejected > len(self.rejected_rows[:50]):
            out.append(
                f"  ... and {self.rejected - len(self.rejected_rows[:50])} more rejected rows"
            )
        for p in self.duplicate_rows[:20]:
            out.append(f"  duplicate {self.row_label} {p.row}: {p.reason}")
        return out


def unfamiliar_lines(found: list[Unfamiliar]) -> list[str]:
    """One sentence per choice field with values its vocabulary lacks."""
    lines = []
    for u in found:
        values = ", ".join(f"'{v}' ({n})" for v, n in list(u.counts.items())[:20])
        rows = sum(u.counts.values())
        if u.rejected:
            fate = "rejected: map each to a known value to import them"
        elif u.kept_as:
            fate = f"kept as '{u.kept_as}' with the file's text stored; map them to a known value"
        else:
            fate = "kept with the field empty and the file's text stored; map them to a known value"
        lines.append(
            f"{u.label} in '{u.column}' has {rows} rows with values not in the list ({values}): "
            f"{fate}"
        )
    return lines
