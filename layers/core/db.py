"""Engine, sessions and migrations: the one way into the database.

SQLite (the default, one machine) and PostgreSQL (shared deployments) behave the same to the
rest of the code. On SQLite, writes start with ``BEGIN IMMEDIATE`` and wait up to
``busy_timeout`` for the lock, so concurrent writers queue instead of failing with
"database is locked"; reads use WAL snapshots and never block writers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from layers.cache import MIGRATION_HEADS
from layers.core.closure import guard
from layers.core.models import Revision

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
SQLITE_BUSY_MS = 30_000
RECONNECT_DELAYS_S: tuple[float, ...] = (0.2, 0.5, 1.0, 2.0, 3.0)
"""Waits between attempts to reach PostgreSQL for a read (about 7 s in all): long enough for a
server restart, short enough that a request still answers well within the worker timeout."""


def driver_connection(connection: Connection) -> Any:
    """The DBAPI connection under a SQLAlchemy connection, for the bulk paths (COPY, raw cursor
    reads) that are several times faster than going through SQLAlchemy row objects."""
    dbapi = connection.connection.driver_connection
    if dbapi is None:
        raise RuntimeError("the database connection is closed")
    return dbapi


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys and immediate write transactions for SQLite connections."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves below
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("opsmap_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> Engine:
    """Create the engine for ``url``; SQLite files get their folder created."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


class Database:
    """Owns the engine; hands out read and write sessions.

    ``write()`` commits on success, rolls back on any error, and bumps the data revision in the
    same transaction so every worker's cached view knows it is stale.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(opsmap_write=True), expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed (closing it rolls back).

        The connection is taken before the caller runs anything, and on PostgreSQL taking it is
        retried while the server is unreachable (restarting, failing over): nothing has been
        read yet, so trying again is safe. Stale pooled connections are replaced by the pool's
        pre-ping.
        """
        with self._read() as session:
            self._connect(session)
            yield session

    def _connect(self, session: Session) -> None:
        for delay in (*RECONNECT_DELAYS_S, None):
            try:
                session.connection()
                return
            except DBAPIError as exc:
                session.rollback()
                if delay is None or self.dialect != "postgresql" or not _unreachable(exc):
                    raise
                logger.warning("database unreachable (%s); trying again in %.1f s",
                               exc.orig.__class__.__name__, delay)
                time.sleep(delay)

    @contextmanager
    def write(self, bump: bool = True, *, closed_ok: bool = False) -> Iterator[Session]:
        """A session whose work commits as one transaction.

        ``bump`` (the default) also moves the data revision in the same transaction, telling every
        worker that cached map data is stale; writes that change no map data (a log entry, a
        login) pass ``bump=False``. Once the operation is closed, :func:`layers.core.closure.guard`
        refuses every change but sign-in and logging; only the retention work passes
        ``closed_ok``.
        """
        with self._write() as session, session.begin():
            if not closed_ok:
                guard(session, bump)
            yield session
            if bump:
                session.execute(update(Revision).values(revision=Revision.revision + 1))

    def revision(self) -> int:
        """The data revision: changes whenever any write commits."""
        with self.engine.connect() as conn:
            value = conn.execute(Revision.__table__.select()).first()
        return int(value.revision) if value else 0

    def upgrade(self) -> None:
        """Create or upgrade the schema to the newest migration."""
        command.upgrade(alembic_config(self.url), "heads")

    def pending_migrations(self) -> list[str]:
        """Migration heads the database has not reached yet (empty when current)."""
        with self.engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
        return sorted(set(migration_heads()) - current)

    def dispose(self) -> None:
        """Close pooled connections (tests and forked workers)."""
        self.engine.dispose()


def _unreachable(exc: DBAPIError) -> bool:
    """Whether the error means "no connection to the server", as opposed to a refused query."""
    if exc.connection_invalidated:
        return True
    return exc.orig.__class__.__name__ == "OperationalError"


def migration_heads() -> tuple[str, ...]:
    """The newest migration(s) in ``migrations/versions``.

    Reading the scripts imports every migration (hundreds of milliseconds), and readiness asks
    on every probe, so the answer is kept in :data:`layers.cache.MIGRATION_HEADS`, keyed by the
    folder's files and their modification times: a deployment that adds one is seen at once.
    """
    versions = MIGRATIONS / "versions"
    key = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in versions.glob("*.py")))
    heads = MIGRATION_HEADS.get_or_build(
        key, lambda: tuple(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())
    )
    return tuple(str(head) for head in heads)


def alembic_config(url: str) -> AlembicConfig:
    """Alembic configuration for ``url`` without needing an alembic.ini on disk."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    return cfg
