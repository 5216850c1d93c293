"""Undoing an import without destroying what others recorded.

An import's rows become other people's work as soon as a commander plans a visit, changes a
status or records an outcome. Undo therefore removes only the rows nobody has acted on, keeps
the rest (with their history, plans and results) and says which ones it kept and why. It never
relies on a database cascade: history cannot be cascaded away (the foreign key refuses it).

Only the analyst who made the import, or an admin, may undo it; every undo is logged in the
processing log, in the same transaction, with how many rows went and how many stayed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session

import layers.schema  # noqa: F401  (every table, so every reference to a location is known)
from layers.audit import processing_log
from layers.core.db import Database
from layers.core.errors import Conflict, NotPermitted
from layers.core.models import Base, CustomFeature, CustomLayer, ImportBatch, Location, utcnow
from layers.core.status import UNPLANNED
from layers.imports.batches import PARTLY_UNDONE, UNDONE, ImportNotFound, iso
from layers.maplayers.store import LAYER_REMOVED

logger = logging.getLogger(__name__)

CHUNK = 5000
LISTED = 20
"""Kept locations named in the message (all are in the outcome and the log entry)."""
TABLE_WORDS = {"location_history": "history", "planning_assignments": "plan"}


class UndoRefused(Exception):
    """The import cannot be undone; the message says why."""


class UndoNotFound(UndoRefused, ImportNotFound):
    """There is no import with that number to undo."""


class UndoNotPermitted(UndoRefused, NotPermitted):
    """Only the analyst who made the import, or an admin, may undo it."""


class AlreadyUndone(UndoRefused, Conflict):
    """Someone has already undone the import."""

    def __init__(self, import_id: int, by: str | None, at: str | None, what: str = "") -> None:
        super().__init__(what or f"import #{import_id} was already undone by {by} at {at}")
        self.import_id, self.by, self.at = import_id, by, at

    def message(self) -> str:
        """What happened, in the user's words."""
        return str(self)

    def as_dict(self) -> dict[str, Any]:
        """The conflict as a JSON body."""
        return {
            "error": str(self),
            "id": self.import_id,
            "undone_by": self.by,
            "undone_at": self.at,
        }


@dataclass(frozen=True)
class Undoer:
    """Who asks for the undo."""

    username: str
    admin: bool = False


@dataclass
class ActedOn:
    """A location of the import that someone has acted on, so it stays."""

    id: int
    ref: str | None
    reasons: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """``P1 (#12: status planned; plan by cmdr)``."""
        return f"{self.ref or 'no reference'} (#{self.id}: {'; '.join(self.reasons)})"


@dataclass
class UndoOutcome:
    """What an undo removed and what it kept."""

    import_id: int
    removed: int
    kept: list[ActedOn] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Whether everything the import stored is gone."""
        return not self.kept

    def message(self) -> str:
        """The outcome in the user's words."""
        text = f"Import #{self.import_id} undone: {self.removed} records removed."
        if self.kept:
            named = ", ".join(k.describe() for k in self.kept[:LISTED])
            more = f" and {len(self.kept) - LISTED} more" if len(self.kept) > LISTED else ""
            count = len(self.kept)
            text += (
                f" {count} location{' was' if count == 1 else 's were'} kept because others "
                f"have acted on {'it' if count == 1 else 'them'}: {named}{more}."
            )
        return text


def undo_import(db: Database, import_id: int, by: Undoer) -> UndoOutcome:
    """Remove what import ``import_id`` stored that nobody has acted on, in one transaction."""
    with db.write() as session:
        batch = _batch_to_undo(session, import_id, by)
        acted = acted_on(session, import_id)
        removed_ids = _remove_locations(session, import_id, acted)
        features, layer_ids = _remove_layers(session, import_id)
        removed = len(removed_ids) + features
        outcome = UndoOutcome(import_id, removed, sorted(acted.values(), key=lambda a: a.id))
        batch.status = UNDONE if outcome.complete else PARTLY_UNDONE
        batch.undone_by = by.username
        batch.undone_at = utcnow()
        kept = ", ".join(str(k.id) for k in outcome.kept[:100])
        processing_log.record(
            session,
            by.username,
            processing_log.ERASURE,
            f"undo of import #{import_id} ('{batch.file_name}'): {removed} records removed, "
            f"{len(outcome.kept)} kept because others acted on them"
            + (f" (locations {kept})" if kept else ""),
            records=removed_ids or layer_ids,
            count=removed,
        )
    logger.info(
        "import #%d undone by %s: %d removed, %d kept",
        import_id,
        by.username,
        removed,
        len(outcome.kept),
    )
    return outcome


def _batch_to_undo(session: Session, import_id: int, by: Undoer) -> ImportBatch:
    batch = session.get(ImportBatch, import_id, with_for_update=True)
    if batch is None:
        raise UndoNotFound(f"there is no import #{import_id}")
    if batch.status == UNDONE:
        raise AlreadyUndone(import_id, batch.undone_by, iso(batch.undone_at))
    if batch.status == LAYER_REMOVED:
        raise AlreadyUndone(
            import_id,
            batch.undone_by,
            iso(batch.undone_at),
            f"the layer of import #{import_id} was already removed by {batch.undone_by} "
            f"at {iso(batch.undone_at)}",
        )
    if not by.admin and by.username != batch.created_by:
        raise UndoNotPermitted(
            f"only {batch.created_by}, who made import #{import_id}, or an admin may undo it"
        )
    return batch


def _references() -> list[tuple[Table, str]]:
    """Every (table, column) outside ``locations`` that holds a location id."""
    return [
        (table, fk.parent.name)
        for table in Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == Location.__tablename__ and table.name != Location.__tablename__
    ]


def acted_on(session: Session, import_id: int) -> dict[int, ActedOn]:
    """The import's locations that someone has changed, planned, recorded or linked to."""
    own = select(Location.id).where(Location.import_id == import_id).scalar_subquery()
    changed = session.execute(
        select(Location.id, Location.ref, Location.status, Location.outcome)
        .where(Location.import_id == import_id)
        .where(
            (Location.version > 1) | (Location.status != UNPLANNED) | Location.outcome.is_not(None)
        )
    ).all()
    found: dict[int, ActedOn] = {}
    for lid, ref, status, outcome in changed:
        words = [f"status {status}"] if status != UNPLANNED else []
        words += [f"outcome {outcome}"] if outcome else []
        found[lid] = ActedOn(lid, ref, [", ".join(words) or "edited"])
    for table, column in _references():
        who = next((c for c in ("username", "created_by") if c in table.c), None)
        cols = [table.c[column]] + ([table.c[who]] if who else [])
        word = TABLE_WORDS.get(table.name, table.name.replace("_", " "))
        rows = session.execute(select(*cols).where(table.c[column].in_(own)).distinct()).all()
        _note(session, found, rows, word)
    linking = session.execute(
        select(Location.linked_premises_id, Location.created_by)
        .where(Location.linked_premises_id.in_(own))
        .where((Location.import_id != import_id) | Location.import_id.is_(None))
        .distinct()
    ).all()
    _note(session, found, linking, "tip-off linked")
    return found


def _note(session: Session, found: dict[int, ActedOn], rows: Iterable[Any], word: str) -> None:
    people: dict[int, set[str]] = {}
    for row in rows:
        people.setdefault(int(row[0]), set()).update(str(v) for v in row[1:] if v)
    missing = [lid for lid in people if lid not in found]
    if missing:
        for lid, ref in session.execute(
            select(Location.id, Location.ref).where(Location.id.in_(missing))
        ):
            found[lid] = ActedOn(lid, ref)
    for lid, names in people.items():
        found[lid].reasons.append(f"{word} by {', '.join(sorted(names))}" if names else word)


def _remove_locations(session: Session, import_id: int, keep: dict[int, ActedOn]) -> list[int]:
    ids = list(session.scalars(select(Location.id).where(Location.import_id == import_id)))
    gone = [i for i in ids if i not in keep]
    if not keep:
        session.execute(
            delete(Location)
            .where(Location.import_id == import_id)
            .execution_options(synchronize_session=False)
        )
        return gone
    for start in range(0, len(gone), CHUNK):
        session.execute(
            delete(Location)
            .where(Location.id.in_(gone[start : start + CHUNK]))
            .execution_options(synchronize_session=False)
        )
    return gone


def _remove_layers(session: Session, import_id: int) -> tuple[int, list[int]]:
    layer_ids = list(
        session.scalars(select(CustomLayer.id).where(CustomLayer.import_id == import_id))
    )
    if not layer_ids:
        return 0, []
    features = session.scalar(select(func.count()).where(CustomFeature.layer_id.in_(layer_ids)))
    session.execute(delete(CustomFeature).where(CustomFeature.layer_id.in_(layer_ids)))
    session.execute(delete(CustomLayer).where(CustomLayer.id.in_(layer_ids)))
    return int(features or 0), layer_ids
