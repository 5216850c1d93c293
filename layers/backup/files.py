"""What every backup file shares: a private, atomically written file and its checksum.

A backup holds every record of the operation, so it is exactly as sensitive as the database:
it is created readable by its owner only (mode 0600), and written under a ``.partial`` name that
is renamed into place only once complete, so a crash never leaves a truncated file that looks
like a backup.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

logger = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason in the operator's words."""


@contextmanager
def private_output(out: Path) -> Iterator[Path]:
    """Yield a fresh ``.partial`` path (mode 0600) to write; rename it to ``out`` on success."""
    out = out.resolve()
    if out.exists():
        raise BackupError(f"{out} already exists: choose a new file name (backups never overwrite)")
    if not out.parent.is_dir():
        raise BackupError(f"folder {out.parent} does not exist")
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        yield partial
        partial.chmod(0o600)  # tools may recreate the file: keep it private regardless
        with partial.open("rb") as fh:
            os.fsync(fh.fileno())
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)


def file_kind(path: Path) -> str:
    """``"sqlite"`` or ``"postgresql"``, from the file's first bytes."""
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not an OpsMap backup (neither a SQLite file nor a pg_dump)")


def sha256(path: Path) -> str:
    """The file's SHA-256, recorded in the processing log so a backup can be recognised later."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
