"""The records pack: everything the operation holds, marked, for the force's records system.

Written when the operation closes, before anything is erased. One zip file (mode 0600, never
overwriting) holds: each built-in layer as CSV through the layer export (:mod:`layers.exports`,
with its safe-cell rule), each custom layer as GeoJSON, the location history and the processing
log as marked CSV, every other table as marked CSV (password and token hashes left out), and a
marked index page (:mod:`layers.documents`) listing each file with its rows and SHA-256.
Every file name starts with the protective marking.
"""

from __future__ import annotations

import html
import logging
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from layers import schema  # noqa: F401 - every table in Base.metadata
from layers.audit import processing_log
from layers.audit.history import history_csv, history_rows
from layers.backup.files import private_output, sha256
from layers.core.kinds import KIND_NAMES
from layers.core.models import Base, CustomLayer
from layers.documents.html import marked_page
from layers.exports.cells import csv_text
from layers.exports.files import CUSTOM, ExportRequest, write_export
from layers.exports.frames import custom_frame, kind_frame
from layers.services import Services

logger = logging.getLogger(__name__)

SECRET_COLUMNS: dict[str, frozenset[str]] = {
    "users": frozenset({"password_hash"}),
    "api_tokens": frozenset({"token_hash"}),
}
"""Columns no records system needs: a hash that could be attacked offline."""
OWN_FILES = frozenset(
    {"locations", "location_history", "processing_log", "custom_features", "custom_layers"}
)
"""Tables written by their own exports above rather than as a plain table."""
SKIPPED = frozenset({"user_sessions", "alembic_version", "data_revision"})
"""Sign-in sessions (short-lived, hashed) and the schema's own bookkeeping."""
LOG_LIMIT = 10_000_000


@dataclass(frozen=True)
class RecordsPack:
    """The written pack: where, its checksum, and rows per file inside."""

    path: Path
    sha256: str
    files: dict[str, int]


def _prefix(marking: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]+", "_", marking).strip("_") or "MARKED"


def _layers(session: Session, services: Services, folder: Path) -> dict[str, int]:
    files: dict[str, int] = {}
    marking, districts = services.config.marking, services.districts
    for kind in KIND_NAMES:
        files[f"layer-{kind}.csv"] = write_export(
            kind_frame(session, kind, districts), folder / f"layer-{kind}.csv",
            ExportRequest(kind, "csv"), marking, kind,
        )
    for layer in session.scalars(select(CustomLayer).order_by(CustomLayer.id)):
        name = f"custom-layer-{layer.id}.geojson"
        files[name] = write_export(
            custom_frame(session, layer, districts), folder / name,
            ExportRequest(CUSTOM, "geojson", layer.id), marking, layer.name,
        )
    return files


def _tables(session: Session, folder: Path, marking: str) -> dict[str, int]:
    files: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        if table.name in OWN_FILES | SKIPPED:
            continue
        hidden = SECRET_COLUMNS.get(table.name, frozenset())
        columns = [c for c in table.columns if c.name not in hidden]
        rows = session.execute(select(*columns).order_by(*table.primary_key)).all()
        text = csv_text([c.name for c in columns], rows, marking)
        (folder / f"table-{table.name}.csv").write_text(text, encoding="utf-8")
        files[f"table-{table.name}.csv"] = len(rows)
    return files


def _audit(session: Session, folder: Path, marking: str) -> dict[str, int]:
    history = history_rows(session)
    (folder / "history.csv").write_text(history_csv(history, marking), encoding="utf-8")
    log = processing_log.entries(session, processing_log.LogFilter(limit=LOG_LIMIT))[::-1]
    marked = f"{marking}\r\n{processing_log.to_csv(log)}{marking}\r\n"
    (folder / "processing-log.csv").write_text(marked, encoding="utf-8")
    return {"history.csv": len(history), "processing-log.csv": len(log)}


def _index(
    marking: str, title: str, facts: dict[str, str], files: dict[str, tuple[int, str]]
) -> str:
    esc = html.escape
    items = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in facts.items())
    rows = "".join(
        f"<tr><td>{esc(name)}</td><td>{count}</td><td><code>{digest}</code></td></tr>"
        for name, (count, digest) in sorted(files.items())
    )
    body = (
        f"<h1>{esc(title)}</h1><table>{items}</table><h2>Files</h2>"
        f"<table><tr><th>file</th><th>rows</th><th>SHA-256</th></tr>{rows}</table>"
    )
    return marked_page(marking, title, body, css="td,th{padding:2px 8px;text-align:left}")


def write_pack(services: Services, out_dir: Path, facts: dict[str, str]) -> RecordsPack:
    """Write the records pack into ``out_dir`` from one read snapshot; returns where it went."""
    marking = services.config.marking
    prefix = _prefix(marking)
    with tempfile.TemporaryDirectory(prefix="opsmap-records-") as tmp:
        folder = Path(tmp)
        with services.db.read() as session:
            rows = {**_layers(session, services, folder), **_audit(session, folder, marking),
                    **_tables(session, folder, marking)}
        files = {name: (count, sha256(folder / name)) for name, count in rows.items()}
        title = f"Records pack: {facts.get('operation', 'OpsMap')}"
        (folder / "index.html").write_text(_index(marking, title, facts, files), encoding="utf-8")
        stamp = facts.get("closed at", "").replace(":", "").replace(" ", "-")[:15] or "now"
        out = out_dir / f"{prefix}-opsmap-records-{stamp}.zip"
        with private_output(out) as partial, zipfile.ZipFile(
            partial, "w", compression=zipfile.ZIP_DEFLATED
        ) as archive:
            archive.comment = marking.encode("utf-8")[:1000]
            for name in ["index.html", *sorted(files)]:
                archive.write(folder / name, f"{prefix}-{name}")
        digest = sha256(out)
    logger.info("records pack written to %s", out)
    return RecordsPack(out.resolve(), digest, rows)
