"""The plan and status history as an export: who changed what, when, before, after and why.

The history table is append-only; this module only reads it, for the per-location view and for
the CSV export commanders hand to reviewers after the week.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from layers.core.models import HistoryEntry, Location
from layers.exports.cells import safe_header, safe_text

logger = logging.getLogger(__name__)

EXPORT_COLUMNS: tuple[str, ...] = (
    "id",
    "at_utc",
    "location_id",
    "ref",
    "username",
    "action",
    "from_status",
    "to_status",
    "from_version",
    "to_version",
    "before",
    "after",
    "reason",
    "outcome",
)
MAX_ROWS = 500_000


def history_rows(session: Session, location_id: int | None = None) -> list[dict[str, Any]]:
    """History entries (oldest first), one location or all, with before/after made readable."""
    stmt = (
        select(HistoryEntry, Location.ref)
        .join(Location, Location.id == HistoryEntry.location_id)
        .order_by(HistoryEntry.id)
        .limit(MAX_ROWS)
    )
    if location_id is not None:
        stmt = stmt.where(HistoryEntry.location_id == location_id)
    rows = []
    for entry, ref in session.execute(stmt):
        detail = json.loads(entry.detail) if entry.detail else {}
        rows.append(
            {
                "id": entry.id,
                "at_utc": entry.at.isoformat(),
                "location_id": entry.location_id,
                "ref": ref,
                "username": entry.username,
                "action": entry.action,
                "from_status": entry.from_status,
                "to_status": entry.to_status,
                "from_version": entry.from_version,
                "to_version": entry.to_version,
                "before": _place(detail.get("before")),
                "after": _place(detail.get("after")),
                "reason": entry.note or detail.get("reason") or "",
                "outcome": detail.get("outcome") or "",
            }
        )
    return rows


def _place(where: dict[str, Any] | None) -> str:
    if not where:
        return ""
    return f"{where.get('team')} {where.get('day')} stop {int(where.get('position', 0)) + 1}"


def history_csv(rows: list[dict[str, Any]], marking: str) -> str:
    """CSV of :func:`history_rows`, with the protective marking first and last."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([marking])
    writer.writerow(safe_header(EXPORT_COLUMNS))
    for row in rows:
        writer.writerow([safe_text(row[c]) for c in EXPORT_COLUMNS])
    writer.writerow([marking])
    return buffer.getvalue()
