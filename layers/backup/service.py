"""Back up the configured database while it is in use; restore a backup into an empty one.

Both are processing of personal data and are recorded in the processing log: a backup as a
disclosure (every record copied out to a file, named with its checksum), a restore as a
collection (every record brought back in). A restore refuses a database that already holds
data and a backup whose schema this version of OpsMap does not know; an older backup is
restored and then migrated to the current schema.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select, table
from sqlalchemy.engine import make_url

from layers.audit import processing_log
from layers.backup import postgres, sqlite
from layers.backup.files import BackupError, file_kind, private_output, sha256
from layers.core.db import Database, alembic_config
from layers.core.models import Location, utcnow

logger = logging.getLogger(__name__)

HOUSEKEEPING = frozenset({"alembic_version", "data_revision", "operation_state"})
"""Tables a freshly migrated database already fills: they do not make it "non-empty"."""


@dataclass(frozen=True)
class BackupReport:
    """What was written."""

    path: Path
    kind: str
    size: int
    sha256: str
    revisions: list[str]
    locations: int
    at: dt.datetime


@dataclass(frozen=True)
class RestoreReport:
    """What was restored, and whether the schema was then migrated."""

    path: Path
    kind: str
    revisions: list[str]
    migrated: bool
    locations: int


def _sqlite_path(db: Database) -> Path:
    name = make_url(db.url).database
    if not name or name == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(name)


def _locations(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Location)) or 0)


def backup(db: Database, out: Path, username: str) -> BackupReport:
    """Write a consistent backup of ``db`` to ``out`` (a new file, mode 0600) and log it."""
    with private_output(out) as partial:
        if db.dialect == "sqlite":
            sqlite.dump(_sqlite_path(db), partial)
        else:
            postgres.dump(db.url, partial)
    out = out.resolve()
    kind = file_kind(out)
    revisions = sqlite.revisions(out) if kind == "sqlite" else postgres.revisions(out)
    report = BackupReport(
        out, kind, out.stat().st_size, sha256(out), revisions, _locations(db), utcnow()
    )
    with db.write(bump=False) as session:
        processing_log.record(
            session,
            username,
            processing_log.DISCLOSURE,
            f"backup of the whole database to {out} ({report.size} bytes, "
            f"sha256 {report.sha256}, schema {', '.join(revisions)})",
            count=report.locations,
        )
    logger.info("backup written to %s (%d bytes)", out, report.size)
    return report


def stored_rows(db: Database) -> dict[str, int]:
    """Tables that hold rows (housekeeping tables aside): empty when nothing is stored."""
    names = sorted(set(inspect(db.engine).get_table_names()) - HOUSEKEEPING)
    counts: dict[str, int] = {}
    with db.read() as session:
        for name in names:
            count = int(session.scalar(select(func.count()).select_from(table(name))) or 0)
            if count:
                counts[name] = count
    return counts


def _check_schema(db: Database, revisions: list[str]) -> bool:
    """Refuse unknown revisions; return whether the restored schema needs migrating."""
    script = ScriptDirectory.from_config(alembic_config(db.url))
    known = {rev.revision for rev in script.walk_revisions()}
    unknown = [r for r in revisions if r not in known]
    if unknown:
        raise BackupError(
            f"the backup's schema ({', '.join(unknown)}) is newer than this OpsMap knows: "
            "restore it with the OpsMap version that made it"
        )
    heads = sorted(script.get_heads())
    older = revisions != heads
    if older and db.dialect == "postgresql" and inspect(db.engine).get_table_names():
        raise BackupError(
            "the backup has an older schema than this database: restore it into a new, empty "
            "database (createdb) and it will be migrated after the restore"
        )
    return older


def restore(db: Database, path: Path, username: str) -> RestoreReport:
    """Restore the backup at ``path`` into ``db``, which must hold no data; log it there."""
    path = path.resolve()
    kind = file_kind(path)
    if kind != db.dialect:
        raise BackupError(f"{path.name} is a {kind} backup but the database is {db.dialect}")
    stored = stored_rows(db)
    if stored:
        held = ", ".join(f"{name}: {count}" for name, count in stored.items())
        raise BackupError(
            f"the database already holds data ({held}): restore only into an empty database"
        )
    revisions = sqlite.revisions(path) if kind == "sqlite" else postgres.revisions(path)
    older = _check_schema(db, revisions)
    db.dispose()
    if kind == "sqlite":
        sqlite.load(path, _sqlite_path(db))
    else:
        postgres.load(path, db.url)
    if older:
        db.upgrade()
    report = RestoreReport(path, kind, revisions, older, _locations(db))
    with db.write() as session:
        processing_log.record(
            session,
            username,
            processing_log.COLLECTION,
            f"database restored from backup {path} (sha256 {sha256(path)}, schema "
            f"{', '.join(revisions)}{', then migrated' if older else ''})",
            count=report.locations,
        )
    logger.info("restored %s into the %s database", path, kind)
    return report
