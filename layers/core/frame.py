"""The map frame: every location with the columns the map and filters need, read fast.

Read whole once per worker, then kept up to date by reading only the rows that changed
(:func:`refreshed_frame`): after a status change a worker patches one row instead of reading
every location again. :func:`layers.core.queries.current_frame` keeps the frame per revision.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from layers.core.clock import LONDON
from layers.core.db import driver_connection
from layers.core.kinds import DESCRIPTIVE_COLUMNS, KIND_NAMES, PLACE_COLUMNS
from layers.core.models import Location
from layers.core.status import STATUSES

FRAME_COLUMNS: tuple[str, ...] = (
    *PLACE_COLUMNS,
    "district_code",
    "division",
    "status",
    "version",
    "observed_at",
    *DESCRIPTIVE_COLUMNS,
    "accuracy_m",
    "is_demo",
    "import_id",
    "linked_premises_id",
)
CATEGORICAL = ("kind", "district_code", "division", "status", *DESCRIPTIVE_COLUMNS)


FLOAT_COLUMNS = ("lon", "lat", "easting", "northing", "accuracy_m")
FIXED_CATEGORIES: dict[str, tuple[str, ...]] = {"kind": KIND_NAMES, "status": STATUSES}
"""Columns whose categories are fixed, so their integer codes index these tuples directly."""
INT_COLUMNS = ("id", "version")


def read_frame(session: Session, ids: np.ndarray | None = None) -> pd.DataFrame:
    """Every location (or those with ``ids``) with the map's columns, ordered by id.

    Rows come straight from the driver's cursor and are built column by column: for hundreds of
    thousands of rows this is several times faster than ORM rows or ``read_sql``. A ``day``
    column (local calendar day, as days since 1970) makes the day filter an integer compare.
    """
    cursor = driver_connection(session.connection()).cursor()
    query = select(*(Location.__table__.c[name] for name in FRAME_COLUMNS)).order_by(Location.id)
    if ids is not None:
        query = query.where(Location.id.in_([int(i) for i in ids]))
    sql = query.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True})
    cursor.execute(str(sql))
    rows = cursor.fetchall()
    cursor.close()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in FRAME_COLUMNS]
    data: dict[str, Any] = {}
    for name, values in zip(FRAME_COLUMNS, columns, strict=True):
        if name in CATEGORICAL:
            data[name] = pd.Categorical(values, categories=FIXED_CATEGORIES.get(name))
        elif name in FLOAT_COLUMNS:
            data[name] = np.array(values, dtype=np.float64)
        elif name in INT_COLUMNS:
            data[name] = np.array(values, dtype=np.int64)
        elif name == "observed_at":
            data[name] = pd.to_datetime(pd.Series(values, dtype=object), utc=True, format="ISO8601")
        elif name == "is_demo":
            data[name] = np.array(values, dtype=bool)
        else:
            data[name] = pd.array(values, dtype="Int64")
    frame = pd.DataFrame(data)
    local = frame["observed_at"].dt.tz_convert(LONDON).dt.tz_localize(None).dt.normalize()
    frame["day"] = (local - pd.Timestamp("1970-01-01")).dt.days.astype("Int32")
    return frame


REREAD_SHARE = 0.2
"""Above this share of changed rows a refresh reads the whole frame again."""


def refreshed_frame(session: Session, base: pd.DataFrame) -> pd.DataFrame:
    """``base`` brought up to date by reading only the rows that changed since it was read.

    Every change to a location moves its version on (:func:`layers.core.locations.
    advance_version` is the one step that updates a location), so comparing ids and versions
    finds what was added, changed or removed; only those rows are read again.
    """
    cursor = driver_connection(session.connection()).cursor()
    cursor.execute("SELECT id, version FROM locations ORDER BY id")
    current = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 2)
    cursor.close()
    known = pd.Series(base["version"].to_numpy(), index=base["id"].to_numpy())
    before = known.reindex(current[:, 0]).to_numpy()
    stale = current[:, 0][np.isnan(before) | (before != current[:, 1])]
    if len(stale) > REREAD_SHARE * max(len(current), 1):
        return read_frame(session)
    if len(current) == len(base) and np.array_equal(current[:, 0], base["id"].to_numpy()):
        return _patched(base, read_frame(session, stale))  # no row added or removed
    kept = base.loc[base["id"].isin(current[:, 0]) & ~base["id"].isin(stale)]
    fresh = read_frame(session, stale)
    kept, fresh = _shared_categories(kept, fresh)
    frame = pd.concat([kept, fresh]).sort_values("id", kind="stable").reset_index(drop=True)
    for name in set(CATEGORICAL) - set(FIXED_CATEGORIES):  # as a full read would infer them
        frame[name] = frame[name].cat.remove_unused_categories()
    return frame


def _shared_categories(
    old: pd.DataFrame, new: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both frames with one sorted set of categories per inferred categorical column."""
    old, new = old.copy(), new.copy()
    for name in set(CATEGORICAL) - set(FIXED_CATEGORIES):
        a, b = old[name].cat.categories, new[name].cat.categories
        both = a if b.empty else b if a.empty else a.union(b)
        old[name] = old[name].cat.set_categories(both)
        new[name] = new[name].cat.set_categories(both)
    return old, new


def _patched(base: pd.DataFrame, fresh: pd.DataFrame) -> pd.DataFrame:
    """``base`` with the rows of ``fresh`` (same ids, ordered by id) written over in place.

    The common case after a status or plan change: a handful of rows, no rows added or removed,
    so the frame is copied and patched rather than concatenated and sorted again.
    """
    if fresh.empty:
        return base
    where = np.searchsorted(base["id"].to_numpy(), fresh["id"].to_numpy())
    frame, fresh = _shared_categories(base, fresh)
    for position, name in enumerate(frame.columns):
        frame.iloc[where, position] = fresh[name].array
    for name in set(CATEGORICAL) - set(FIXED_CATEGORIES):  # as a full read would infer them
        frame[name] = frame[name].cat.remove_unused_categories()
    return frame
