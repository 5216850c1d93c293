"""Storing an accepted import: the batch, its rows or layer, and the processing-log entry.

Everything here runs inside the caller's one write transaction, so a batch, its rows and its
log entry commit together or not at all.
"""

from __future__ import annotations

import json
import logging

import pandas as pd
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from layers.audit import processing_log
from layers.core.locations import insert_locations
from layers.core.models import CustomFeature, CustomLayer, ImportBatch, Location, utcnow
from layers.imports.report import ImportReport
from layers.maplayers.store import default_style

logger = logging.getLogger(__name__)

COMMITTED = "committed"
STORED_PROBLEMS = 200
"""Rejected and duplicate rows kept in the stored copy of a report (the counts are exact)."""


def new_batch(
    session: Session, report: ImportReport, username: str, layer_name: str | None
) -> ImportBatch:
    """The import's batch row, and the report marked as committed under its number."""
    batch = ImportBatch(
        file_name=report.file_name[:255],
        kind=report.kind,
        layer_name=layer_name,
        created_by=username,
        created_at=utcnow(),
        rows_accepted=report.accepted,
        status=COMMITTED,
    )
    session.add(batch)
    session.flush()
    report.dry_run = False
    report.committed = True
    report.import_id = batch.id
    batch.report = json.dumps(stored_report(report))
    return batch


def stored_report(report: ImportReport) -> dict[str, object]:
    """The report as stored with its batch: row lists shortened, and no sample values (the
    grid's samples and value counts serve the analyst at the time, not the record)."""
    data = report.as_dict()
    data.pop("column_samples", None)
    data.pop("choice_values", None)
    data["rejected_rows"] = data["rejected_rows"][:STORED_PROBLEMS]
    data["duplicate_rows"] = data["duplicate_rows"][:STORED_PROBLEMS]
    return data


def commit_rows(session: Session, rows: pd.DataFrame, report: ImportReport, username: str) -> None:
    """Store a built-in kind's accepted rows as one batch, logged as a collection."""
    batch = new_batch(session, report, username, None)
    rows = rows.assign(
        import_id=batch.id, source=report.file_name[:255], created_by=username, created_at=utcnow()
    )
    stored = insert_locations(session, rows)
    first_ids = session.scalars(
        select(Location.id)
        .where(Location.import_id == batch.id)
        .order_by(Location.id)
        .limit(processing_log.MAX_RECORD_IDS)
    ).all()
    processing_log.record(
        session,
        username,
        processing_log.COLLECTION,
        f"import #{batch.id} of '{report.file_name}': {stored} {report.kind}",
        records=first_ids,
        count=stored,
    )
    logger.info(
        "import #%d: %s stored %d %s for %s",
        batch.id,
        report.file_name,
        stored,
        report.kind,
        username,
    )


def commit_layer(
    session: Session, features: pd.DataFrame, report: ImportReport, username: str
) -> int:
    """Store a custom layer and its features as one batch, logged as a collection."""
    layer_name = report.layer_name or "Imported layer"
    batch = new_batch(session, report, username, layer_name)
    layer = CustomLayer(
        name=layer_name,
        geometry_type=report.geometry_type or "Geometry",
        style=json.dumps(default_style(report.geometry_type)),
        visible=True,
        import_id=batch.id,
        created_by=username,
        created_at=utcnow(),
    )
    session.add(layer)
    session.flush()
    session.execute(insert(CustomFeature), features.assign(layer_id=layer.id).to_dict("records"))
    count = int(session.scalar(select(func.count()).where(CustomFeature.layer_id == layer.id)) or 0)
    processing_log.record(
        session,
        username,
        processing_log.COLLECTION,
        f"import #{batch.id} of '{report.file_name}': custom layer '{layer_name}' "
        f"({count} features)",
        records=[layer.id],
    )
    return count
