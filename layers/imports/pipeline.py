"""An import from file to store: read, locate, validate, de-duplicate, then preview or commit.

:func:`import_file` is the one entry point for the CLI, the upload page and the HTTP API. A dry
run does everything but write. A commit is one :meth:`layers.core.db.Database.write` transaction:
the :class:`~layers.core.models.ImportBatch`, every accepted row (bulk) and the processing-log entry
commit together or not at all (:mod:`layers.imports.commit`), and duplicates against the store
are checked inside that same transaction (:mod:`layers.imports.duplicates`). Built-in kinds go
through :mod:`layers.imports.builtin`, custom layers through :mod:`layers.imports.custom`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import IO

import pandas as pd

from layers.core.kinds import ADVERTS, PREMISES, TIPOFFS
from layers.imports.builtin import import_kind
from layers.imports.choices import ValueMap
from layers.imports.custom import import_custom
from layers.imports.mapping import CUSTOM
from layers.imports.outcome import ImportResult
from layers.imports.readers import read_table
from layers.imports.report import ImportReport
from layers.imports.request import ImportRequest
from layers.imports.safety import ImportRefused, safe_file_name, staged_upload
from layers.imports.text import cell_text
from layers.services import Services

logger = logging.getLogger(__name__)

IMPORT_KINDS: tuple[str, ...] = (PREMISES, TIPOFFS, ADVERTS, CUSTOM)


def import_file(
    services: Services,
    source: bytes | IO[bytes] | Path,
    file_name: str,
    kind: str,
    username: str,
    *,
    name: str | None = None,
    mapping: dict[str, str] | None = None,
    values: ValueMap | None = None,
    dry_run: bool = True,
) -> ImportResult:
    """Import one file as ``kind`` (``premises``, ``tipoffs``, ``adverts`` or ``custom``).

    Never raises for a bad file: a refused file comes back with ``report.refused`` set to the
    message for the analyst, and nothing stored.
    """
    request = ImportRequest(kind, username, name, mapping or {}, values or {}, dry_run)
    return run_import(services, source, file_name, request)


SAMPLES = 3
SAMPLED_COLUMNS = 200


def column_samples(frame: pd.DataFrame) -> dict[str, list[str]]:
    """A few distinct non-empty values of each column (for choosing what a column holds)."""
    out: dict[str, list[str]] = {}
    for column in list(frame.columns)[:SAMPLED_COLUMNS]:
        values = cell_text(frame[column].head(500)).dropna().unique()[:SAMPLES]
        out[str(column)] = [str(v)[:40] for v in values]
    return out


def run_import(
    services: Services, source: bytes | IO[bytes] | Path, file_name: str, request: ImportRequest
) -> ImportResult:
    """:func:`import_file` for a prepared :class:`ImportRequest`."""
    shown = safe_file_name(file_name)
    report = ImportReport(file_name=shown, kind=request.kind, dry_run=request.dry_run)
    try:
        if request.kind not in IMPORT_KINDS:
            raise ImportRefused(
                f"unknown kind {request.kind!r}: use one of {', '.join(IMPORT_KINDS)}"
            )
        max_bytes = services.config.max_upload_mb * 1024 * 1024
        with staged_upload(source, shown, max_bytes) as staged:
            table = read_table(staged, max_bytes)
        report.row_label = table.row_label
        report.notes.extend(table.notes)
        report.read = len(table.frame)
        report.column_samples = column_samples(table.frame)
        if request.kind == CUSTOM:
            return import_custom(services, table, report, request)
        return import_kind(services, table, report, request)
    except ImportRefused as exc:
        report.refused = str(exc)
        logger.info("import of %s as %s refused: %s", shown, request.kind, exc)
        return ImportResult(report)
