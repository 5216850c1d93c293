"""Past imports as units: list them with what each still has stored, and read their reports.

Undoing one is :mod:`layers.imports.undo`. A batch row is never deleted, so the list of
imports remains a true account of what happened.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from layers.core.errors import NotFound
from layers.core.models import CustomFeature, CustomLayer, ImportBatch, Location
from layers.maplayers.store import LAYER_REMOVED

logger = logging.getLogger(__name__)

UNDONE = "undone"
PARTLY_UNDONE = "partly undone"


class ImportNotFound(NotFound):
    """There is no import with that number."""


@dataclass(frozen=True)
class ImportSummary:
    """One line of the list of imports."""

    id: int
    file_name: str
    kind: str
    layer_name: str | None
    created_by: str
    created_at: str
    rows_accepted: int
    rows_stored: int
    status: str
    undone_by: str | None
    undone_at: str | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return dict(self.__dict__)

    @property
    def can_undo(self) -> bool:
        """Whether there is anything left that an undo could remove."""
        return self.status not in (UNDONE, LAYER_REMOVED) and self.rows_stored > 0


def iso(value: Any) -> str | None:
    """A stored time as ISO text to the second (``None`` stays ``None``)."""
    return value.isoformat(timespec="seconds") if value is not None else None


def stored_counts(session: Session, ids: list[int]) -> dict[int, int]:
    """How many locations or custom features each import still has stored."""
    if not ids:
        return {}
    stored: dict[int, int] = {}
    rows = session.execute(
        select(Location.import_id, func.count())
        .where(Location.import_id.in_(ids))
        .group_by(Location.import_id)
    ).all()
    layers = session.execute(
        select(CustomLayer.import_id, func.count(CustomFeature.id))
        .join(CustomFeature, CustomFeature.layer_id == CustomLayer.id)
        .where(CustomLayer.import_id.in_(ids))
        .group_by(CustomLayer.import_id)
    ).all()
    for import_id, count in [*rows, *layers]:
        if import_id is not None:
            stored[int(import_id)] = stored.get(int(import_id), 0) + int(count)
    return stored


def _summaries(session: Session, batches: list[ImportBatch]) -> list[ImportSummary]:
    stored = stored_counts(session, [b.id for b in batches])
    return [
        ImportSummary(
            id=b.id,
            file_name=b.file_name,
            kind=b.kind,
            layer_name=b.layer_name,
            created_by=b.created_by,
            created_at=iso(b.created_at) or "",
            rows_accepted=b.rows_accepted,
            rows_stored=int(stored.get(b.id, 0)),
            status=b.status,
            undone_by=b.undone_by,
            undone_at=iso(b.undone_at),
        )
        for b in batches
    ]


def list_imports(session: Session, limit: int = 200) -> list[ImportSummary]:
    """The most recent imports first, with how many of their rows are still stored."""
    query = select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)
    return _summaries(session, list(session.scalars(query)))


def get_import(session: Session, import_id: int) -> ImportSummary:
    """One import; :class:`ImportNotFound` when there is none with that number."""
    batch = session.get(ImportBatch, import_id)
    if batch is None:
        raise ImportNotFound(f"there is no import #{import_id}")
    return _summaries(session, [batch])[0]


def import_report(session: Session, import_id: int) -> dict[str, Any] | None:
    """The validation report stored with a committed import."""
    batch = session.get(ImportBatch, import_id)
    return json.loads(batch.report) if batch is not None and batch.report else None
