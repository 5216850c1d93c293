"""Reading locations: the map frame, filters, summaries, details and GeoJSON.

The map frame (every location, the columns the map and filters need) is read once per data
revision and kept per worker: the revision lives in the database and moves with every write,
so all workers agree on what is current and a stale frame is never served.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from layers.cache import FRAMES
from layers.core.db import Database
from layers.core.frame import read_frame, refreshed_frame
from layers.core.kinds import KIND_NAMES, SENSITIVE_COLUMNS
from layers.core.models import HistoryEntry, Location
from layers.core.status import STATUSES

logger = logging.getLogger(__name__)

def current_frame(db: Database) -> tuple[int, pd.DataFrame]:
    """The map frame for the database's current revision (refreshed only when it moved).

    Cached in :data:`layers.cache.FRAMES` under ``(url, revision)``: a write in any worker moves
    the revision, so no worker serves a frame older than the data. A new revision reads only the
    rows that changed since the worker's last frame (``(url, "latest")``), not every location.
    """
    revision = db.revision()
    frame = FRAMES.get((db.url, revision))
    if frame is None:
        latest = FRAMES.get((db.url, "latest"))
        with db.read() as session:
            if isinstance(latest, pd.DataFrame):
                frame = refreshed_frame(session, latest)
            else:
                frame = read_frame(session)
        FRAMES.put((db.url, revision), frame)
        FRAMES.put((db.url, "latest"), frame)
    if not isinstance(frame, pd.DataFrame):  # the cache holds what this module put there
        raise TypeError(f"cached value is {type(frame).__name__}, not a DataFrame")
    return revision, frame


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


def codes_for(series: pd.Series, categories: tuple[str, ...]) -> np.ndarray:
    """Integer codes of a categorical column indexing ``categories`` (-1 for anything else)."""
    if tuple(series.cat.categories) != tuple(categories):
        series = series.cat.set_categories(list(categories))
    return series.cat.codes.to_numpy()


def category_mask(series: pd.Series, values: tuple[str, ...] | list[str]) -> np.ndarray:
    """Rows whose categorical value is one of ``values``, via a lookup table on the codes."""
    categories = series.cat.categories
    table = np.zeros(len(categories) + 1, dtype=bool)  # the extra last entry catches code -1
    table[[categories.get_loc(v) for v in values if v in categories]] = True
    return table[series.cat.codes.to_numpy()]


def filter_mask(frame: pd.DataFrame, filters: Filters) -> np.ndarray:
    """Boolean mask of the rows that pass ``filters`` (vectorised over the whole frame).

    Attribute filters apply only to the kind that has the attribute: choosing "high risk" narrows
    premises and leaves tip-offs alone, as a commander would expect. ``days`` keeps rows observed
    on those days; premises (which have no time) are unaffected by it.
    """
    mask = category_mask(frame["kind"], filters.kinds)
    if filters.divisions:
        mask &= category_mask(frame["division"], filters.divisions)
    if filters.districts:
        mask &= category_mask(frame["district_code"], filters.districts)
    if filters.statuses:
        mask &= category_mask(frame["status"], filters.statuses)
    premises = category_mask(frame["kind"], ("premises",))
    if filters.days:
        epoch = dt.date(1970, 1, 1)
        day_numbers = [(d - epoch).days for d in filters.days]
        day_ok = frame["day"].isin(day_numbers).to_numpy(dtype=bool, na_value=False)
        mask &= day_ok | premises
    for column, wanted, applies_to in (
        ("premises_type", filters.premises_types, "premises"),
        ("risk", filters.risks, "premises"),
        ("channel", filters.channels, "tipoffs"),
        ("grade_source", filters.grades_source, "tipoffs"),
        ("grade_intel", filters.grades_intel, "tipoffs"),
    ):
        if wanted:
            mask &= category_mask(frame[column], wanted) | ~category_mask(
                frame["kind"], (applies_to,)
            )
    return mask


def _cross_counts(
    frame: pd.DataFrame, mask: np.ndarray, row: str, column: str, column_values: tuple[str, ...]
) -> dict[str, dict[str, int]]:
    """Counts of masked rows by (``row`` value, ``column`` value), with np.bincount on codes."""
    categories = frame[row].cat.categories
    width = len(column_values)
    r = frame[row].cat.codes.to_numpy()
    c = codes_for(frame[column], column_values)
    keys = r.astype(np.int32) * width + c
    keys = keys[mask & (r >= 0) & (c >= 0)]
    table = np.bincount(keys, minlength=len(categories) * width).reshape(len(categories), width)
    return {
        str(name): {v: int(table[i, j]) for j, v in enumerate(column_values)}
        for i, name in enumerate(categories)
    }


def counts_by_status(
    frame: pd.DataFrame, mask: np.ndarray | None = None
) -> dict[str, dict[str, int]]:
    """Counts per kind and status: ``{"premises": {"unplanned": 3, ...}, ...}``."""
    mask = np.ones(len(frame), dtype=bool) if mask is None else mask
    found = _cross_counts(frame, mask, "kind", "status", STATUSES)
    return {k: found.get(k, dict.fromkeys(STATUSES, 0)) for k in KIND_NAMES}


def district_summary(
    frame: pd.DataFrame, districts: pd.DataFrame, mask: np.ndarray | None = None
) -> list[dict[str, Any]]:
    """Per district (plus "outside" when any): counts per layer and per status.

    ``districts`` has ``code``, ``name`` and ``division`` columns in display order; ``mask``
    restricts the rows counted (default: all).
    """
    mask = np.ones(len(frame), dtype=bool) if mask is None else mask
    by_kind = _cross_counts(frame, mask, "district_code", "kind", KIND_NAMES)
    by_status = _cross_counts(frame, mask, "district_code", "status", STATUSES)
    entries = [(d.code, d.name, d.division) for d in districts.itertuples(index=False)]
    if sum(by_kind.get("outside", {}).values()):
        entries.append(("outside", "Outside the force area", "outside"))
    return [
        {
            "code": code,
            "name": name,
            "division": division,
            "counts": by_kind.get(code, dict.fromkeys(KIND_NAMES, 0)),
            "status": by_status.get(code, dict.fromkeys(STATUSES, 0)),
        }
        for code, name, division in entries
    ]


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
