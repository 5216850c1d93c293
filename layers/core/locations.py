"""Writing locations: bulk insertion with placement, and status changes with their history.

Every write runs inside :meth:`layers.core.db.Database.write`, so a status change and its history
entry commit together, and an update based on a stale version changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session

from geodata.crs import to_bng
from geodata.districts import DistrictIndex
from layers.core.db import driver_connection
from layers.core.errors import Conflict, NotFound
from layers.core.kinds import KIND_NAMES
from layers.core.models import HistoryEntry, Location, utcnow
from layers.core.status import STATUS_LABELS, UNPLANNED, Decision, check_transition

logger = logging.getLogger(__name__)

LOCATION_COLUMNS: tuple[str, ...] = tuple(
    c.name for c in Location.__table__.columns if c.name != "id"
)


@dataclass
class VersionConflict(Conflict):
    """An update was based on a version a colleague has already changed."""

    location_id: int
    expected_version: int
    current_version: int
    current_status: str
    changed_by: str | None
    changed_at: dt.datetime | None
    note: str | None

    def message(self) -> str:
        """What happened, in the words a commander needs to decide what to do."""
        who = self.changed_by or "someone else"
        when = f" at {self.changed_at:%H:%M %d %b}" if self.changed_at else ""
        note = f' ("{self.note}")' if self.note else ""
        return (
            f"Not saved: {who} changed this location{when}{note}; it is now "
            f"{STATUS_LABELS.get(self.current_status, self.current_status)!r} "
            f"(version {self.current_version}). Review it and try again."
        )

    def as_dict(self) -> dict[str, Any]:
        """The conflict for a JSON response."""
        return {
            "error": "conflict",
            "message": self.message(),
            "id": self.location_id,
            "expected_version": self.expected_version,
            "current_version": self.current_version,
            "current_status": self.current_status,
            "changed_by": self.changed_by,
            "changed_at": self.changed_at.isoformat() if self.changed_at else None,
        }


def place(frame: pd.DataFrame, districts: DistrictIndex) -> pd.DataFrame:
    """Add BNG coordinates, district and division to a frame with ``lon``/``lat`` columns.

    Points outside the force area get district ``"outside"``: kept and flagged, never dropped.
    """
    lon = frame["lon"].to_numpy(dtype="float64")
    lat = frame["lat"].to_numpy(dtype="float64")
    easting, northing = to_bng(lon, lat)
    codes, divisions = districts.assign_codes(lon, lat)
    return frame.assign(easting=easting, northing=northing, district_code=codes, division=divisions)


def _records(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame restricted to known location columns, with defaults filled in."""
    now = utcnow()
    defaults: dict[str, Any] = {
        "status": UNPLANNED,
        "version": 1,
        "created_at": now,
        "is_demo": False,
    }
    out = frame.copy()
    for name, value in defaults.items():
        if name not in out:
            out[name] = value
    unknown = set(out["kind"].unique()) - set(KIND_NAMES)
    if unknown:
        raise ValueError(f"unknown kinds: {sorted(unknown)}")
    return out[[c for c in LOCATION_COLUMNS if c in out.columns]]


def insert_locations(session: Session, frame: pd.DataFrame) -> int:
    """Insert placed locations in bulk within the session's transaction; returns the count.

    PostgreSQL gets ``COPY``; SQLite a single ``executemany``. Both stay in the caller's
    transaction, so an import is all-or-nothing.
    """
    if frame.empty:
        return 0
    records = _records(frame)
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        _copy_postgres(conn, records)
    else:
        _executemany_sqlite(conn, records)
    return len(records)


def _sqlite_column(series: pd.Series) -> list[Any]:
    """One column as Python values SQLite stores as SQLAlchemy would (NULL for missing)."""
    if isinstance(series.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(series):
        stamps = pd.to_datetime(series, utc=True).dt.tz_localize(None).to_numpy("datetime64[us]")
        text = np.datetime_as_string(stamps, unit="us").astype(object)
        return [None if t == "NaT" else t[:10] + " " + t[11:] for t in text]
    if series.dtype == object:
        first = series.dropna().head(1).tolist()
        if first and isinstance(first[0], dt.datetime):
            return _sqlite_column(pd.to_datetime(series, utc=True))
    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "fiub":
        return series.to_numpy().tolist()  # SQLite stores a NaN float as NULL
    values = series.to_numpy(dtype=object).copy()
    values[series.isna().to_numpy(dtype=bool)] = None
    return list(values.tolist())


REBUILD_INDEXES_FROM = 50_000
"""Rows from which a SQLite bulk insert drops and rebuilds the table's indexes (when the
insert is also at least half the table): building an index by sorting once is several times
faster than updating six B-trees row by row."""


def _executemany_sqlite(conn: Connection, records: pd.DataFrame, chunk: int = 100_000) -> None:
    """Plain DB-API ``executemany`` of row tuples, in chunks, on the session's connection.

    SQLAlchemy's per-row parameter processing costs more than SQLite's insert itself at this
    size, so values are prepared column-wise here, all-empty columns are left out, and a large
    insert rebuilds the indexes afterwards. Everything, the index rebuild included, happens in
    the caller's transaction: a failure rolls all of it back.
    """
    columns = [c for c in records.columns if not records[c].isna().all()]
    # Column names come from the Location table (``LOCATION_COLUMNS``), never from the file.
    names, marks = ", ".join(columns), ", ".join("?" for _ in columns)
    sql = f"INSERT INTO locations ({names}) VALUES ({marks})"  # nosec B608
    raw = driver_connection(conn)
    cursor = raw.cursor()
    try:
        cache = cursor.execute("PRAGMA cache_size").fetchone()[0]
        cursor.execute("PRAGMA cache_size=-262144")
        indexes: list[tuple[str, str]] = []
        if len(records) >= REBUILD_INDEXES_FROM:
            stored = cursor.execute("SELECT coalesce(max(id), 0) FROM locations").fetchone()[0]
            if len(records) * 2 >= stored:
                indexes = cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    "AND tbl_name = 'locations' AND sql IS NOT NULL"
                ).fetchall()
                for name, _sql in indexes:
                    cursor.execute(f'DROP INDEX "{name}"')
        started = time.perf_counter()
        for start in range(0, len(records), chunk):
            part = records.iloc[start : start + chunk]
            cursor.executemany(sql, zip(*(_sqlite_column(part[c]) for c in columns), strict=True))
        inserted = time.perf_counter()
        for _name, index_sql in indexes:
            cursor.execute(index_sql)
        logger.debug(
            "sqlite bulk insert of %d rows: %.2f s, %d indexes rebuilt in %.2f s",
            len(records),
            inserted - started,
            len(indexes),
            time.perf_counter() - inserted,
        )
        cursor.execute(f"PRAGMA cache_size={int(cache)}")
    finally:
        cursor.close()


def _copy_postgres(conn: Connection, records: pd.DataFrame, chunk: int = 200_000) -> None:
    """Stream the rows with COPY (tens of times faster than INSERT for large imports).

    Rows go in chunks (bounded memory), and times are formatted column-wise by numpy first:
    ``to_csv``'s ``date_format`` calls ``strftime`` per cell, which costs more than the COPY.
    """
    columns = list(records.columns)
    raw = driver_connection(conn)
    cols = ", ".join(f'"{c}"' for c in columns)
    with (
        raw.cursor() as cur,
        cur.copy(f"COPY locations ({cols}) FROM STDIN WITH (FORMAT csv, NULL '\\N')") as copy,
    ):
        for start in range(0, len(records), chunk):
            part = _iso_times(records.iloc[start : start + chunk])
            copy.write(part.to_csv(index=False, header=False, na_rep="\\N"))


def _iso_times(frame: pd.DataFrame) -> pd.DataFrame:
    """Datetime columns as ISO 8601 UTC text (``...Z``), others unchanged."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object:
            first = series.dropna().head(1).tolist()
            if not (first and isinstance(first[0], dt.datetime)):
                continue
            series = pd.to_datetime(series, utc=True)
        elif not pd.api.types.is_datetime64_any_dtype(series):
            continue
        utc = pd.to_datetime(series, utc=True).dt.tz_localize(None).to_numpy("datetime64[us]")
        text = np.datetime_as_string(utc, unit="us").astype(object)
        out[column] = np.where(pd.isna(utc), None, text + "Z")
    return out


def advance_version(
    session: Session,
    location_id: int,
    expected_version: int | None,
    values_for: Callable[[Location], dict[str, Any]],
) -> tuple[Location, str, int]:
    """Apply ``values_for(current)`` and move the version on, if nobody got there first.

    The one optimistic-concurrency step every location change goes through (status changes
    here, plan changes in :mod:`layers.planning.assignments`). With ``expected_version`` the update
    applies only at that version; ``values_for`` sees the current row and may refuse the
    change by raising. Returns the refreshed location, its status before, and the new version.
    Raises :class:`NotFound` or :class:`VersionConflict`.
    """
    current = session.get(Location, location_id, populate_existing=True)
    if current is None:
        raise NotFound(f"no location {location_id}")
    if expected_version is not None and current.version != expected_version:
        raise conflict(session, current, expected_version)
    from_status = current.status
    statement = update(Location).where(Location.id == location_id)
    if expected_version is not None:
        statement = statement.where(Location.version == expected_version)
    row = session.execute(
        statement.values(version=Location.version + 1, **values_for(current))
        .returning(Location.version)
        .execution_options(synchronize_session=False)
    ).first()
    if row is None:
        session.expire(current)
        raise conflict(session, session.get(Location, location_id), expected_version or 0)
    session.refresh(current)
    return current, from_status, int(row[0])


def change_status(
    session: Session,
    location_id: int,
    status: str,
    expected_version: int,
    username: str,
    note: str | None = None,
    outcome: str | None = None,
    results: dict[str, int] | None = None,
) -> Location:
    """Move a location to ``status`` if it is still at ``expected_version``.

    The update and its history entry are in the session's transaction. Raises
    :class:`NotFound`, :class:`layers.core.status.TransitionError` or :class:`VersionConflict`.
    """
    decisions: list[Decision] = []

    def values_for(current: Location) -> dict[str, Any]:
        decision = check_transition(current.status, status, outcome, results)
        decisions.append(decision)
        values: dict[str, Any] = {"status": decision.status}
        if decision.outcome:
            values["outcome"] = decision.outcome
        if decision.results:
            values["outcome_detail"] = json.dumps(decision.results)
        if decision.status == UNPLANNED:  # reopened: the old outcome no longer describes it
            values.update(outcome=None, outcome_detail=None)
        return values

    loc, from_status, version = advance_version(session, location_id, expected_version, values_for)
    (decision,) = decisions
    detail = (
        {"outcome": decision.outcome, "results": decision.results} if decision.outcome else None
    )
    session.add(
        HistoryEntry(
            location_id=location_id,
            username=username,
            action="status",
            from_status=from_status,
            to_status=decision.status,
            from_version=version - 1,
            to_version=version,
            note=(note or "").strip() or None,
            detail=json.dumps(detail) if detail else None,
        )
    )
    session.flush()
    return loc


def conflict(session: Session, current: Location | None, expected: int) -> VersionConflict:
    """Build the conflict for ``current`` naming the colleague's latest change."""
    if current is None:
        raise NotFound("the location was removed")
    last = session.scalars(
        select(HistoryEntry)
        .where(HistoryEntry.location_id == current.id)
        .order_by(HistoryEntry.id.desc())
        .limit(1)
    ).first()
    return VersionConflict(
        location_id=current.id,
        expected_version=expected,
        current_version=current.version,
        current_status=current.status,
        changed_by=last.username if last else None,
        changed_at=last.at if last else None,
        note=last.note if last else None,
    )
