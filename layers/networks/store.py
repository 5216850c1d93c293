"""Reading what a rebuild needs and saving what it found, keeping network numbers stable.

A network found again keeps its number: each new network takes the number of the previous
network it shares most adverts with (largest overlaps first, each number once). Networks not
found again are retired, not deleted, so decisions and history that name them still read.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Executable, delete, insert, select, update
from sqlalchemy.orm import Session

from layers.audit import processing_log
from layers.core.kinds import ADVERTS, PREMISES, TIPOFFS
from layers.core.models import Location, utcnow
from layers.networks.build import ADVERT_COLUMNS, BuiltNetworks
from layers.networks.decisions import Decision
from layers.networks.models import (
    ACTIVE,
    RETIRED,
    Network,
    NetworkAlert,
    NetworkDecision,
    NetworkEvidence,
    NetworkLink,
    NetworkMember,
    NetworkMove,
)

logger = logging.getLogger(__name__)

CHILDREN = (NetworkMember, NetworkEvidence, NetworkMove, NetworkAlert, NetworkLink)


def frame_of(session: Session, stmt: Executable) -> pd.DataFrame:
    """Rows of ``stmt`` as a frame with its column names."""
    result = session.execute(stmt)
    return pd.DataFrame.from_records(result.fetchall(), columns=list(result.keys()))


def read_inputs(session: Session) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Adverts, premises and tip-offs as the rebuild reads them."""
    adverts = frame_of(
        session,
        select(*(getattr(Location, c) for c in ADVERT_COLUMNS))
        .where(Location.kind == ADVERTS)
        .order_by(Location.id),
    )
    adverts["observed_at"] = pd.to_datetime(adverts["observed_at"], utc=True)
    premises = frame_of(
        session,
        select(Location.id, Location.easting, Location.northing).where(Location.kind == PREMISES),
    )
    tipoffs = frame_of(
        session,
        select(Location.id, Location.ref, Location.linked_premises_id, Location.phone_hashes).where(
            Location.kind == TIPOFFS, Location.phone_hashes.is_not(None)
        ),
    )
    return adverts, premises, tipoffs


def read_decisions(session: Session) -> list[Decision]:
    """Every analyst decision, oldest first."""
    rows = session.scalars(select(NetworkDecision).order_by(NetworkDecision.at, NetworkDecision.id))
    return [
        Decision(d.action, frozenset(json.loads(d.adverts)), frozenset(json.loads(d.others)))
        for d in rows
    ]


def _stable_numbers(session: Session, members: pd.DataFrame) -> dict[int, int]:
    """Previous network number for each new label that mostly continues one."""
    previous = frame_of(session, select(NetworkMember.location_id, NetworkMember.network_id))
    overlap = members.merge(previous, on="location_id")
    counts = overlap.groupby(["network", "network_id"]).size().sort_values(ascending=False)
    taken: set[int] = set()
    numbers: dict[int, int] = {}
    for (label, number), _ in counts.items():
        if label not in numbers and number not in taken:
            numbers[int(label)] = int(number)
            taken.add(int(number))
    return numbers


def _network_values(row: Any) -> dict[str, Any]:
    return {
        "state": ACTIVE,
        "review": row.review,
        "size": int(row.size),
        "districts": json.dumps(list(row.districts)),
        "moves": int(row.moves),
        "linked_premises": int(row.linked_premises),
        "linked_tipoffs": int(row.linked_tipoffs),
        "first_seen": None if pd.isna(row.first_seen) else row.first_seen.to_pydatetime(),
        "last_seen": None if pd.isna(row.last_seen) else row.last_seen.to_pydatetime(),
        "template": row.template,
        "built_at": utcnow(),
    }


def _save_networks(session: Session, built: BuiltNetworks) -> dict[int, int]:
    numbers = _stable_numbers(session, built.members)
    session.execute(update(Network).where(Network.state == ACTIVE).values(state=RETIRED))
    fresh: list[tuple[int, Network]] = []
    for row in built.networks.itertuples(index=False):
        values = _network_values(row)
        if int(row.network) in numbers:
            number = numbers[int(row.network)]
            session.execute(update(Network).where(Network.id == number).values(**values))
        else:
            fresh.append((int(row.network), Network(**values)))
    session.add_all([n for _, n in fresh])
    session.flush()
    numbers.update({label: int(n.id) for label, n in fresh})
    return numbers


def _rows(
    frame: pd.DataFrame, numbers: dict[int, int], rename: dict[str, str]
) -> list[dict[str, Any]]:
    if frame.empty:
        return []
    out = frame.rename(columns=rename).assign(
        network_id=frame["network"].map(numbers).astype(np.int64)
    )
    out = out.drop(columns="network").astype(object).where(out.notna(), None)
    return out.to_dict("records")


def save_built(session: Session, built: BuiltNetworks, username: str) -> dict[int, int]:
    """Replace the networks with ``built`` in ``session``'s transaction; label -> number."""
    numbers = _save_networks(session, built)  # reads the previous members first
    for model in CHILDREN:
        session.execute(delete(model))
    moves = built.moves.assign(day=pd.to_datetime(built.moves["day"]).dt.date)
    alerts = built.alerts.assign(at=[t.to_pydatetime() for t in built.alerts["at"]])
    for model, frame, rename in (
        (NetworkMember, built.members, {}),
        (NetworkEvidence, built.evidence, {}),
        (NetworkMove, moves, {"from": "from_district", "to": "to_district"}),
        (NetworkAlert, alerts, {}),
        (NetworkLink, built.links, {}),
    ):
        rows = _rows(frame, numbers, rename)
        if rows:
            session.execute(insert(model), rows)
    member_ids = built.members["location_id"].astype(int).tolist()
    processing_log.record(
        session,
        username,
        processing_log.COMBINATION,
        f"networks rebuilt: {len(built.networks)} networks linking {len(member_ids)} of "
        f"{built.adverts} adverts",
        records=member_ids[: processing_log.MAX_RECORD_IDS],
        count=len(member_ids),
    )
    return numbers
