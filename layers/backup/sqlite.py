"""SQLite backups through the online backup API.

``sqlite3.Connection.backup`` copies the database page by page inside one read transaction: in
WAL mode that is a consistent snapshot, and writers carry on meanwhile. The copy is switched
out of WAL so the backup is one self-contained file, and checked with ``quick_check``.
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from pathlib import Path

from layers.backup.files import BackupError

logger = logging.getLogger(__name__)

BUSY_MS = 30_000


def _connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    return conn


def dump(database: Path, partial: Path) -> None:
    """Copy the live ``database`` into ``partial`` (an empty file) as one consistent snapshot."""
    with closing(_connect(database)) as src, closing(_connect(partial)) as dst:
        src.backup(dst)  # pages=-1: the whole database in one step, one snapshot
        dst.execute("PRAGMA journal_mode=DELETE")
        result = dst.execute("PRAGMA quick_check").fetchone()
    if result is None or result[0] != "ok":
        raise BackupError(f"the backup failed its integrity check: {result}")


def revisions(path: Path) -> list[str]:
    """The schema revisions recorded in a SQLite backup file."""
    with closing(_connect(path, read_only=True)) as conn:
        try:
            rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} has no schema version: {exc}") from exc
    return sorted(str(r[0]) for r in rows)


def load(path: Path, database: Path) -> None:
    """Replace the (empty) ``database`` with the backup's pages, in one destination transaction."""
    database.parent.mkdir(parents=True, exist_ok=True)
    with closing(_connect(path, read_only=True)) as src, closing(_connect(database)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
