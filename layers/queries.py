"""Reading locations: the map frame, filters, summaries, details and GeoJSON.

The map frame (every location, the columns the map and filters need) is read once per data
revision and kept per worker: the revision lives in the database and moves with every write,
so all workers agree on what is current and a stale frame is never served.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from layers.db import Database
from layers.kinds import KIND_NAMES, SENSITIVE_COLUMNS
from layers.models import HistoryEntry, Location
from layers.status import STATUSES

logger = logging.getLogger(__name__)

FRAME_COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "lon",
    "lat",
    "easting",
    "northing",
    "district_code",
    "division",
    "status",
    "version",
    "observed_at",
    "premises_type",
    "risk",
    "channel",
    "grade_source",
    "grade_intel",
    "grade_handling",
    "site",
    "accuracy_m",
    "is_demo",
    "import_id",
)
CATEGORICAL = (
    "kind",
    "district_code",
    "division",
    "status",
    "premises_type",
    "risk",
    "channel",
    "grade_source",
    "grade_intel",
    "grade_handling",
    "site",
)


def read_frame(session: Session) -> pd.DataFrame:
    """Every location with the map's columns, ordered by id, with compact dtypes."""
    cols = ", ".join(FRAME_COLUMNS)
    result = session.connection().exec_driver_sql(f"SELECT {cols} FROM locations ORDER BY id")
    frame = pd.DataFrame.from_records(result.fetchall(), columns=list(FRAME_COLUMNS))
    for name in CATEGORICAL:
        frame[name] = frame[name].astype("category")
    for name in ("lon", "lat", "easting", "northing"):
        frame[name] = frame[name].astype("float64")
    frame["id"] = frame["id"].astype("int64")
    frame["version"] = frame["version"].astype("int64")
    frame["observed_at"] = pd.to_datetime(frame["observed_at"], utc=True, format="mixed")
    return frame


@dataclass
class _Cached:
    revision: int = -1
    frame: pd.DataFrame | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


_frames: dict[str, _Cached] = {}
_frames_lock = threading.Lock()


def current_frame(db: Database) -> tuple[int, pd.DataFrame]:
    """The map frame for the database's current revision (re-read only when it moved)."""
    with _frames_lock:
        cached = _frames.setdefault(db.url, _Cached())
    revision = db.revision()
    with cached.lock:
        if cached.frame is None or cached.revision != revision:
            with db.read() as session:
                revision = db.revision()
                cached.frame = read_frame(session)
                cached.revision = revision
        return cached.revision, cached.frame


@dataclass(frozen=True)
class Filters:
    """What a user narrowed the map to; empty tuples mean "all"."""

    kinds: tuple[str, ...] = KIND_NAMES
    divisions: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    days: tuple[dt.date, ...] = ()
    statuses: tuple[str, ...] = ()
    premises_types: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    grades_source: tuple[str, ...] = ()
    grades_intel: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Filters:
        """Build from JSON-like input (a ``dcc.Store`` or query string), ignoring unknown keys."""
        data = data or {}
        values: dict[str, Any] = {}
        for name in cls.__dataclass_fields__:
            raw = data.get(name)
            if raw is None or raw == "":
                continue
            items = [raw] if isinstance(raw, str) else list(raw)
            if name == "days":
                values[name] = tuple(dt.date.fromisoformat(str(d)) for d in items)
            else:
                values[name] = tuple(str(v) for v in items)
        return cls(**values)

    def as_dict(self) -> dict[str, list[str]]:
        """JSON-friendly form (dates as ISO strings)."""
        return {
            name: [v.isoformat() if isinstance(v, dt.date) else v for v in getattr(self, name)]
            for name in self.__dataclass_fields__
        }


def _isin(series: pd.Series, values: tuple[str, ...]) -> np.ndarray:
    return series.isin(values).to_numpy()


def filter_mask(frame: pd.DataFrame, filters: Filters) -> np.ndarray:
    """Boolean mask of the rows that pass ``filters`` (vectorised over the whole frame).

    Attribute filters apply only to the kind that has the attribute: choosing "high risk" narrows
    premises and leaves tip-offs alone, as a commander would expect. ``days`` keeps rows observed
    on those days; premises (which have no time) are unaffected by it.
    """
    mask = _isin(frame["kind"], filters.kinds).copy()
    if filters.divisions:
        mask &= _isin(frame["division"], filters.divisions)
    if filters.districts:
        mask &= _isin(frame["district_code"], filters.districts)
    if filters.statuses:
        mask &= _isin(frame["status"], filters.statuses)
    kind = frame["kind"].to_numpy()
    if filters.days:
        observed = frame["observed_at"].dt.tz_convert("Europe/London").dt.date
        day_ok = observed.isin(filters.days).to_numpy()
        mask &= day_ok | (kind == "premises")
    for column, wanted, applies_to in (
        ("premises_type", filters.premises_types, "premises"),
        ("risk", filters.risks, "premises"),
        ("channel", filters.channels, "tipoffs"),
        ("grade_source", filters.grades_source, "tipoffs"),
        ("grade_intel", filters.grades_intel, "tipoffs"),
    ):
        if wanted:
            mask &= _isin(frame[column], wanted) | (kind != applies_to)
    return mask


def counts_by_status(frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Counts per kind and status: ``{"premises": {"unplanned": 3, ...}, ...}``."""
    table = pd.crosstab(frame["kind"], frame["status"]) if len(frame) else pd.DataFrame()
    return {
        k: {
            s: int(table.at[k, s]) if k in table.index and s in table.columns else 0
            for s in STATUSES
        }
        for k in KIND_NAMES
    }


def district_summary(frame: pd.DataFrame, districts: pd.DataFrame) -> list[dict[str, Any]]:
    """Per district (plus "outside" when any): counts per layer and per status.

    ``districts`` has ``code``, ``name`` and ``division`` columns in display order.
    """
    by_kind = frame.groupby(["district_code", "kind"], observed=True).size()
    by_status = frame.groupby(["district_code", "status"], observed=True).size()
    rows: list[dict[str, Any]] = []
    known = list(districts.itertuples(index=False))
    extra = []
    if "outside" in set(frame["district_code"].astype(str)):
        extra = [type(known[0])("outside", "Outside the force area", "outside")] if known else []
    for d in known + extra:
        rows.append(
            {
                "code": d.code,
                "name": d.name,
                "division": d.division,
                "counts": {k: int(by_kind.get((d.code, k), 0)) for k in KIND_NAMES},
                "status": {s: int(by_status.get((d.code, s), 0)) for s in STATUSES},
            }
        )
    return rows


def totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Force-wide totals of :func:`district_summary` rows."""
    return {
        "counts": {k: sum(r["counts"][k] for r in rows) for k in KIND_NAMES},
        "status": {s: sum(r["status"][s] for r in rows) for s in STATUSES},
    }


def nearby(frame: pd.DataFrame, easting: float, northing: float, radius_m: float) -> pd.DataFrame:
    """Rows within ``radius_m`` metres (British National Grid), nearest first."""
    dx = frame["easting"].to_numpy() - easting
    dy = frame["northing"].to_numpy() - northing
    dist = np.hypot(dx, dy)
    inside = dist <= radius_m
    out = frame.loc[inside].assign(distance_m=dist[inside])
    return out.sort_values("distance_m")


def location_detail(session: Session, location_id: int) -> dict[str, Any] | None:
    """All stored fields of one location, or ``None``."""
    loc = session.get(Location, location_id)
    if loc is None:
        return None
    return {c.name: getattr(loc, c.name) for c in Location.__table__.columns}


def history(session: Session, location_id: int) -> list[dict[str, Any]]:
    """The location's history, newest first."""
    entries = session.scalars(
        select(HistoryEntry)
        .where(HistoryEntry.location_id == location_id)
        .order_by(HistoryEntry.id.desc())
    ).all()
    return [
        {
            "at": e.at,
            "username": e.username,
            "action": e.action,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "from_version": e.from_version,
            "to_version": e.to_version,
            "note": e.note,
            "detail": json.loads(e.detail) if e.detail else None,
        }
        for e in entries
    ]


def geojson(
    session: Session,
    kind: str,
    districts: tuple[str, ...] = (),
    statuses: tuple[str, ...] = (),
    redact: bool = False,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of one kind, filtered by district and status.

    Every feature carries ``id``, ``kind``, ``district_code``, ``status`` and ``version`` plus its
    own fields; ``redact`` drops the sensitive ones.
    """
    query = select(Location).where(Location.kind == kind).order_by(Location.id)
    if districts:
        query = query.where(Location.district_code.in_(districts))
    if statuses:
        query = query.where(Location.status.in_(statuses))
    skip = {"lon", "lat", "easting", "northing"} | (SENSITIVE_COLUMNS if redact else set())
    features = []
    for loc in session.scalars(query):
        props = {
            c.name: _json_value(getattr(loc, c.name))
            for c in Location.__table__.columns
            if c.name not in skip
        }
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [loc.lon, loc.lat]},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value
