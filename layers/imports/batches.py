"""Past imports as units: list them, and undo one (every row it stored, in one transaction).

Undo deletes the import's locations (their history goes with them) and its custom layer, marks
the batch "undone" with who and when, and logs an erasure in the processing log; the batch row
itself stays, so the list of imports remains a true account of what happened.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from layers.audit import processing_log
from layers.core.db import Database
from layers.core.models import CustomFeature, CustomLayer, ImportBatch, Location, utcnow

logger = logging.getLogger(__name__)

COMMITTED = "committed"
UNDONE = "undone"


class UndoRefused(Exception):
    """The import cannot be undone (unknown, or already undone); the message says which."""


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


def _iso(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def list_imports(session: Session, limit: int = 200) -> list[ImportSummary]:
    """The most recent imports first, with how many of their rows are still stored."""
    batches = list(
        session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit))
    )
    ids = [b.id for b in batches]
    stored: dict[int, int] = {}
    if ids:
        stored = dict(
            session.execute(
                select(Location.import_id, func.count())
                .where(Location.import_id.in_(ids))
                .group_by(Location.import_id)
            ).all()
        )
        layers = session.execute(
            select(CustomLayer.import_id, func.count(CustomFeature.id))
            .join(CustomFeature, CustomFeature.layer_id == CustomLayer.id)
            .where(CustomLayer.import_id.in_(ids))
            .group_by(CustomLayer.import_id)
        ).all()
        for import_id, count in layers:
            stored[import_id] = stored.get(import_id, 0) + int(count)
    return [
        ImportSummary(
            id=b.id,
            file_name=b.file_name,
            kind=b.kind,
            layer_name=b.layer_name,
            created_by=b.created_by,
            created_at=_iso(b.created_at) or "",
            rows_accepted=b.rows_accepted,
            rows_stored=int(stored.get(b.id, 0)),
            status=b.status,
            undone_by=b.undone_by,
            undone_at=_iso(b.undone_at),
        )
        for b in batches
    ]


def import_report(session: Session, import_id: int) -> dict[str, Any] | None:
    """The validation report stored with a committed import."""
    batch = session.get(ImportBatch, import_id)
    return json.loads(batch.report) if batch is not None and batch.report else None


def undo_import(db: Database, import_id: int, username: str) -> int:
    """Remove everything import ``import_id`` stored, as one transaction; returns the count."""
    with db.write() as session:
        batch = session.get(ImportBatch, import_id, with_for_update=True)
        if batch is None:
            raise UndoRefused(f"there is no import #{import_id}")
        if batch.status == UNDONE:
            raise UndoRefused(
                f"import #{import_id} was already undone by {batch.undone_by} "
                f"at {_iso(batch.undone_at)}"
            )
        ids = list(
            session.execute(select(Location.id).where(Location.import_id == import_id)).scalars()
        )
        removed = (
            session.execute(
                delete(Location)
                .where(Location.import_id == import_id)
                .execution_options(synchronize_session=False)
            ).rowcount
            or 0
        )
        layer_ids = list(
            session.scalars(select(CustomLayer.id).where(CustomLayer.import_id == import_id))
        )
        if layer_ids:
            removed += (
                session.execute(
                    delete(CustomFeature).where(CustomFeature.layer_id.in_(layer_ids))
                ).rowcount
                or 0
            )
            session.execute(delete(CustomLayer).where(CustomLayer.id.in_(layer_ids)))
        batch.status = UNDONE
        batch.undone_by = username
        batch.undone_at = utcnow()
        processing_log.record(
            session,
            username,
            processing_log.ERASURE,
            f"undo of import #{import_id} ('{batch.file_name}'): {removed} records removed",
            records=ids or layer_ids,
        )
    logger.info("import #%d undone by %s: %d records removed", import_id, username, removed)
    return int(removed)
