"""The locations the map shows, as a list: the keyboard and screen-reader equivalent of the map.

Everything the operations map lets a person do starts with choosing a point; this list offers
the same points (the same filters, the same visible area) as rows of text that can be reached
with the keyboard. A search on reference, address or postcode looks across the whole force
area (a person searching for a reference should not have to find it on the map first). Rows
come in the map's layer order (premises, tip-offs, adverts), then oldest first; at most
``limit`` are listed, with the total so the page can say how many more there are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from layers.core.db import Database
from layers.core.kinds import KIND_NAMES
from layers.core.models import Location
from layers.core.queries import Filters, current_frame, filter_mask

LIST_LIMIT = 50
"""Rows listed at most (narrow the filters, zoom the map or search to reach the others)."""

SEARCH_MIN, SEARCH_MAX = 2, 100
"""A search shorter than 2 characters lists everything; longer than 100 is refused."""

Bounds = tuple[float, float, float, float]
"""West, south, east, north in WGS84 degrees."""


@dataclass(frozen=True)
class ListedLocation:
    """One row: what it is, its reference, status and district, and where it is in words."""

    id: int
    kind: str
    ref: str
    status: str
    district_code: str
    where: str


@dataclass(frozen=True)
class LocationList:
    """The rows listed, how many locations matched in all, and whether it was a search."""

    rows: list[ListedLocation]
    total: int
    searched: bool = False


def search_text(text: str | None) -> str | None:
    """The search as typed, trimmed; ``None`` when too short to narrow anything."""
    text = (text or "").strip()
    if len(text) > SEARCH_MAX:
        raise ValueError(f"a search is at most {SEARCH_MAX} characters")
    return text.lower() if len(text) >= SEARCH_MIN else None


def _in_view(lon: np.ndarray, lat: np.ndarray, bounds: Bounds | None) -> np.ndarray:
    if bounds is None:
        return np.ones(len(lon), dtype=bool)
    west, south, east, north = bounds
    return (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)


def _matching(session: Session, text: str) -> np.ndarray:
    """Ids whose reference, address or postcode contains ``text`` (any case)."""
    columns = (Location.ref, Location.address, Location.postcode)
    query = select(Location.id).where(
        or_(*(func.lower(c).contains(text, autoescape=True) for c in columns))
    )
    return np.fromiter(session.scalars(query), dtype=np.int64)


def _rows(session: Session, ids: list[int]) -> list[ListedLocation]:
    found = {
        loc.id: loc for loc in session.scalars(select(Location).where(Location.id.in_(ids)))
    }
    return [
        ListedLocation(
            id=i,
            kind=found[i].kind,
            ref=found[i].ref or f"#{i}",
            status=found[i].status,
            district_code=found[i].district_code,
            where=found[i].address or found[i].postcode or found[i].site or "",
        )
        for i in ids
        if i in found
    ]


def list_locations(
    db: Database,
    filters: Filters,
    bounds: Bounds | None,
    text: str | None,
    limit: int = LIST_LIMIT,
) -> LocationList:
    """The locations passing ``filters`` inside ``bounds``, or anywhere matching ``text``."""
    _revision, frame = current_frame(db)
    mask = filter_mask(frame, filters)
    search = search_text(text)
    with db.read() as session:
        if search is None:
            mask &= _in_view(frame["lon"].to_numpy(), frame["lat"].to_numpy(), bounds)
        else:
            mask &= np.isin(frame["id"].to_numpy(), _matching(session, search))
        chosen = frame.loc[mask, ["id", "kind"]]
        order = chosen["kind"].map({k: n for n, k in enumerate(KIND_NAMES)}).astype(int)
        ranked = chosen.assign(order=order.to_numpy()).sort_values(["order", "id"], kind="stable")
        ids = [int(i) for i in ranked["id"].head(limit)]
        return LocationList(_rows(session, ids), int(mask.sum()), search is not None)
