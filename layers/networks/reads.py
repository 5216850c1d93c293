"""Reads for the networks pages: the grid of networks and one network's adverts and links.

The grid reads only the ``networks`` table (one row a network, its counts precomputed by the
rebuild), so two thousand networks open in well under a second.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.force import DISTRICT_BY_CODE
from layers.core.models import Location
from layers.networks.models import (
    ACTIVE,
    PREMISES_LINK,
    TIPOFF_LINK,
    Network,
    NetworkAlert,
    NetworkLink,
    NetworkMember,
    live_network,
)
from layers.networks.store import frame_of

NETWORK_COLOURS = 8
"""Distinct colours used for networks on the operations map (code 8: no network)."""
GRID_COLUMNS = [
    "id",
    "network",
    "adverts",
    "districts",
    "district_names",
    "moves",
    "linked_premises",
    "linked_tipoffs",
    "first_seen",
    "last_seen",
    "review",
]


def district_name(code: str) -> str:
    """A district's name from its code (the code itself when unknown)."""
    district = DISTRICT_BY_CODE.get(code)
    return district.name if district else code


def network_rows(session: Session) -> pd.DataFrame:
    """One row per active network for the grid (columns :data:`GRID_COLUMNS`)."""
    frame = frame_of(
        session,
        select(
            Network.id,
            Network.size,
            Network.districts,
            Network.moves,
            Network.linked_premises,
            Network.linked_tipoffs,
            Network.first_seen,
            Network.last_seen,
            Network.review,
        ).where(Network.state == ACTIVE),
    )
    if frame.empty:
        return pd.DataFrame(columns=GRID_COLUMNS)
    codes = [json.loads(d) for d in frame["districts"]]
    return frame.assign(
        network="N" + frame["id"].astype(str),
        adverts=frame["size"],
        districts=[len(c) for c in codes],
        district_names=[" → ".join(district_name(x) for x in c) for c in codes],
    )[GRID_COLUMNS]


def network_adverts(session: Session, network_id: int) -> pd.DataFrame:
    """The network's adverts with what its page shows and the graph links."""
    return frame_of(
        session,
        select(
            Location.id,
            Location.ref,
            Location.site,
            Location.title,
            Location.observed_at,
            Location.district_code,
            Location.lon,
            Location.lat,
            Location.easting,
            Location.northing,
            Location.phone_hashes,
            Location.image_hashes,
        )
        .join(NetworkMember, NetworkMember.location_id == Location.id)
        .where(NetworkMember.network_id == network_id)
        .order_by(Location.observed_at, Location.id),
    )


def linked(session: Session, network_id: int, kind: str) -> pd.DataFrame:
    """Premises (``kind`` premises) or tip-offs linked to the network, with the reason."""
    columns: list[Any] = [Location.id, Location.ref, Location.district_code, NetworkLink.reason]
    if kind == PREMISES_LINK:
        columns += [Location.easting, Location.northing, Location.lon, Location.lat]
    elif kind == TIPOFF_LINK:
        columns += [Location.phone_hashes]
    return frame_of(
        session,
        select(*columns)
        .join(NetworkLink, NetworkLink.location_id == Location.id)
        .where(NetworkLink.network_id == network_id, NetworkLink.kind == kind)
        .order_by(Location.id),
    )


def recent_alerts(session: Session, since: dt.datetime, limit: int = 5) -> pd.DataFrame:
    """The newest "new in town" alerts of live networks since ``since``: network_id,
    district_code, at."""
    return frame_of(
        session,
        select(NetworkAlert.network_id, NetworkAlert.district_code, NetworkAlert.at)
        .join(Network, Network.id == NetworkAlert.network_id)
        .where(*live_network(), NetworkAlert.at >= since)
        .order_by(NetworkAlert.at.desc())
        .limit(limit),
    )


def network_codes(session: Session, location_ids: np.ndarray) -> np.ndarray:
    """Per location, a small colour code of its network (0..7), or 8 when it is in none.

    Neighbouring networks get different codes in turn (by number), enough to tell adverts of
    different networks apart on the operations map.
    """
    members = frame_of(session, select(NetworkMember.location_id, NetworkMember.network_id))
    codes = np.full(len(location_ids), NETWORK_COLOURS, dtype=np.uint8)
    if members.empty:
        return codes
    by_location = pd.Series(members["network_id"].to_numpy(), index=members["location_id"])
    found = by_location.reindex(location_ids).to_numpy(dtype="float64")
    known = ~np.isnan(found)
    codes[known] = (found[known].astype(np.int64) % NETWORK_COLOURS).astype(np.uint8)
    return codes
