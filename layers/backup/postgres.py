"""PostgreSQL backups with ``pg_dump`` and restores with ``pg_restore``.

``pg_dump`` reads every table in one repeatable-read snapshot and takes only ACCESS SHARE
locks, so the app keeps writing while it runs and the dump is consistent. The custom format is
compressed and lets ``pg_restore`` read the schema version without restoring anything. The
password travels in ``PGPASSWORD``, never on a command line another user could see.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess  # nosec B404
from pathlib import Path

from sqlalchemy.engine import make_url

from layers.backup.files import BackupError

logger = logging.getLogger(__name__)

TIMEOUT_S = 3600


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client (Debian: postgresql-client)"
        )
    return path


def _target(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URL without the password, and the environment that carries it."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str]) -> str:
    # A fixed argument list built here (no shell): the database URL is the operator's own.
    result = subprocess.run(  # noqa: S603  # nosec B603
        args, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()[-2000:]}")
    return result.stdout


def dump(url: str, partial: Path) -> None:
    """``pg_dump`` the database at ``url`` into ``partial`` (custom format, no owners/grants)."""
    target, env = _target(url)
    _run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
         f"--file={partial}", f"--dbname={target}"],
        env,
    )


def revisions(path: Path) -> list[str]:
    """The schema revisions in a dump: the rows of its ``alembic_version`` table."""
    text = _run(
        [_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-", str(path)],
        dict(os.environ),
    )
    rows: list[str] = []
    inside = False
    for line in text.splitlines():
        if line.startswith("COPY ") and "alembic_version" in line:
            inside = True
        elif inside and line == "\\.":
            break
        elif inside and line:
            rows.append(line.strip())
    if not rows:
        raise BackupError(f"{path} has no schema version (no alembic_version rows)")
    return sorted(rows)


def load(path: Path, url: str) -> None:
    """``pg_restore`` the dump into the database at ``url`` as one transaction.

    ``--clean --if-exists`` first drops the dump's objects where they exist, so an empty but
    migrated database (the caller has checked it holds no rows) takes the restore as well as a
    new one.
    """
    target, env = _target(url)
    _run(
        [_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction",
         "--exit-on-error", "--clean", "--if-exists", f"--dbname={target}", str(path)],
        env,
    )
