"""CLI commands ``backup`` and ``restore``.

``python app.py backup --out FILE`` is safe while the app serves requests (schedule it from
cron: docs/OPERATIONS.md). ``python app.py restore FILE`` is for an empty database with the app
stopped; restart the app afterwards so no worker keeps a view of the old data.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from config import Config
from layers.backup import BackupError, backup, restore
from layers.core.db import Database

logger = logging.getLogger(__name__)

T = TypeVar("T")


def operator(given: str | None = None) -> str:
    """Who ran the command, for the processing log: ``--by`` or ``cli:<system user>``."""
    if given:
        return given
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``backup`` and ``restore`` to the CLI."""
    cmd = sub.add_parser("backup", help="write a consistent backup of the database (app may run)")
    cmd.add_argument("--out", type=Path, required=True, help="the new backup file to write")
    cmd.add_argument("--by", default=None, help="who takes it, for the processing log")
    cmd.set_defaults(handler=cmd_backup)

    res = sub.add_parser("restore", help="restore a backup into an empty database")
    res.add_argument("path", type=Path, help="the backup file (from `backup --out`)")
    res.add_argument("--by", default=None, help="who restores it, for the processing log")
    res.set_defaults(handler=cmd_restore, needs_schema=False)


def _on_database(command: str, action: Callable[[Database], T]) -> T | None:
    """``action`` on the configured database, closed after; a refusal is printed, then None."""
    db = Database(Config.from_env().database_url)
    try:
        return action(db)
    except BackupError as exc:
        print(f"{command}: {exc}", file=sys.stderr)
        return None
    finally:
        db.dispose()


def cmd_backup(args: argparse.Namespace) -> int:
    """Back up the configured database to ``--out``."""
    report = _on_database("backup", lambda db: backup(db, args.out, operator(args.by)))
    if report is None:
        return 1
    print(
        f"backup: wrote {report.path} ({report.kind}, {report.size} bytes, "
        f"{report.locations} locations, schema {', '.join(report.revisions)})\n"
        f"sha256 {report.sha256}\n"
        "It holds every record of the operation: keep it as securely as the database."
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore ``path`` into the configured (empty) database."""
    report = _on_database("restore", lambda db: restore(db, args.path, operator(args.by)))
    if report is None:
        return 1
    migrated = "; schema then migrated to the current version" if report.migrated else ""
    print(
        f"restore: {report.path} restored ({report.kind}, {report.locations} locations, "
        f"schema {', '.join(report.revisions)}{migrated}). Restart the app."
    )
    return 0
