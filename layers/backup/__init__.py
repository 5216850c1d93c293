"""Backups of the whole database, taken while the app is in use, and restores into an empty one.

SQLite uses its online backup API (a consistent snapshot; writers carry on); PostgreSQL uses
``pg_dump`` (one repeatable-read snapshot, custom format) and ``pg_restore`` in one
transaction. :mod:`.service` is the entry point: it checks the schema version, refuses a
non-empty target and records both operations in the processing log.
"""

from layers.backup.files import BackupError
from layers.backup.service import BackupReport, RestoreReport, backup, restore

__all__ = ["BackupError", "BackupReport", "RestoreReport", "backup", "restore"]
