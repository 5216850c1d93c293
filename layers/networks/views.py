"""Networks as the CLI, the API and the pages read them, and the briefing's redacted summary.

:func:`network_list` gives exactly the documented shape (``networks list --json``,
``GET /api/networks``); :func:`network_detail` adds evidence, review, tip-offs, alerts and the
day-by-district timeline. :func:`redacted_summary` is all the briefing role ever receives:
counts, districts and days, never a phone, a word of advert text, a photo hash or an advert.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from layers.core.clock import LONDON, local_days
from layers.core.errors import NotFound
from layers.core.models import Location
from layers.networks.models import (
    ACTIVE,
    DISMISSED,
    PREMISES_LINK,
    TIPOFF_LINK,
    Network,
    NetworkAlert,
    NetworkEvidence,
    NetworkLink,
    NetworkMember,
    NetworkMove,
    live_network,
)
from layers.networks.reads import district_name
from layers.networks.store import frame_of


def label(network_id: int) -> str:
    """How people name a network: ``N12``."""
    return f"N{network_id}"


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value else None


def _grouped(frame: pd.DataFrame, key: str, build: Any) -> dict[int, list[Any]]:
    if frame.empty:
        return {}
    return {int(k): build(g) for k, g in frame.groupby(key, sort=False)}


def _children(session: Session, ids: list[int]) -> dict[str, pd.DataFrame]:
    """Adverts, moves, phones and linked premises of the networks ``ids``."""
    return {
        "adverts": frame_of(
            session,
            select(NetworkMember.network_id, Location.site, Location.ref, Location.observed_at)
            .join(Location, Location.id == NetworkMember.location_id)
            .where(NetworkMember.network_id.in_(ids))
            .order_by(Location.observed_at, Location.id),
        ),
        "moves": frame_of(
            session,
            select(
                NetworkMove.network_id,
                NetworkMove.from_district,
                NetworkMove.to_district,
                NetworkMove.day,
            )
            .where(NetworkMove.network_id.in_(ids))
            .order_by(NetworkMove.day, NetworkMove.id),
        ),
        "phones": frame_of(
            session,
            select(NetworkEvidence.network_id, NetworkEvidence.detail).where(
                NetworkEvidence.network_id.in_(ids), NetworkEvidence.kind == "phone"
            ),
        ),
        "premises": frame_of(
            session,
            select(NetworkLink.network_id, Location.id, Location.ref)
            .join(Location, Location.id == NetworkLink.location_id)
            .where(NetworkLink.network_id.in_(ids), NetworkLink.kind == PREMISES_LINK)
            .order_by(Location.id),
        ),
    }


def _shape(session: Session, networks: list[Network]) -> list[dict[str, Any]]:
    parts = _children(session, [n.id for n in networks])
    by_adverts = _grouped(
        parts["adverts"],
        "network_id",
        lambda g: [{"site": s, "ref": r} for s, r in zip(g["site"], g["ref"], strict=True)],
    )
    by_moves = _grouped(
        parts["moves"],
        "network_id",
        lambda g: [
            {"from": f, "to": t, "day": d.isoformat()}
            for f, t, d in zip(g["from_district"], g["to_district"], g["day"], strict=True)
        ],
    )
    by_phones = _grouped(
        parts["phones"],
        "network_id",
        lambda g: sorted({json.loads(d)["last3"] for d in g["detail"]}),
    )
    by_premises = _grouped(
        parts["premises"],
        "network_id",
        lambda g: [{"id": int(i), "ref": r} for i, r in zip(g["id"], g["ref"], strict=True)],
    )
    return [
        {
            "id": n.id,
            "size": n.size,
            "adverts": by_adverts.get(n.id, []),
            "districts": json.loads(n.districts),
            "moves": by_moves.get(n.id, []),
            "phones": by_phones.get(n.id, []),
            "linked_premises": by_premises.get(n.id, []),
            "first_seen": _iso(n.first_seen),
            "last_seen": _iso(n.last_seen),
        }
        for n in networks
    ]


def active_networks(session: Session) -> list[Network]:
    """Every network the latest rebuild found, biggest first."""
    return list(
        session.scalars(
            select(Network).where(Network.state == ACTIVE).order_by(Network.size.desc(), Network.id)
        )
    )


def network_list(session: Session) -> list[dict[str, Any]]:
    """Every active network (two or more adverts) in the documented shape."""
    return _shape(session, active_networks(session))


def get_network(session: Session, network_id: int) -> Network:
    """An active network (``NotFound`` otherwise)."""
    network = session.get(Network, network_id)
    if network is None or network.state != ACTIVE:
        raise NotFound(f"there is no network {label(network_id)}")
    return network


def timeline(session: Session, network_id: int) -> pd.DataFrame:
    """Adverts per London day and district of one network (day, district_code, adverts)."""
    frame = frame_of(
        session,
        select(Location.observed_at, Location.district_code)
        .join(NetworkMember, NetworkMember.location_id == Location.id)
        .where(NetworkMember.network_id == network_id, Location.observed_at.is_not(None)),
    )
    if frame.empty:
        return pd.DataFrame(columns=["day", "district_code", "adverts"])
    days = local_days(pd.to_datetime(frame["observed_at"], utc=True))
    counts = frame.assign(day=days).groupby(["day", "district_code"]).size()
    return counts.rename("adverts").reset_index()


def network_detail(session: Session, network_id: int) -> dict[str, Any]:
    """One network: the list shape plus review, evidence, tip-offs, alerts and timeline."""
    network = get_network(session, network_id)
    out = _shape(session, [network])[0]
    evidence = session.scalars(
        select(NetworkEvidence).where(NetworkEvidence.network_id == network_id)
    )
    tips = session.execute(
        select(Location.id, Location.ref, NetworkLink.reason)
        .join(NetworkLink, NetworkLink.location_id == Location.id)
        .where(NetworkLink.network_id == network_id, NetworkLink.kind == TIPOFF_LINK)
    ).all()
    alerts = session.execute(
        select(NetworkAlert.district_code, NetworkAlert.at).where(
            NetworkAlert.network_id == network_id
        )
    ).all()
    days = timeline(session, network_id)
    out.update(
        label=label(network_id),
        review=network.review,
        template=network.template,
        evidence=[
            {"kind": e.kind, "label": e.label, "adverts": e.adverts, "detail": json.loads(e.detail)}
            for e in evidence
        ],
        linked_tipoffs=[{"id": i, "ref": r, "reason": why} for i, r, why in tips],
        alerts=[{"district": d, "at": _iso(a)} for d, a in alerts],
        timeline=[
            {"day": d.isoformat(), "district": c, "adverts": int(n)}
            for d, c, n in days.itertuples(index=False)
        ],
    )
    return out


def redacted_summary(session: Session, since: dt.datetime | None = None) -> dict[str, Any]:
    """What the briefing shows of networks: how many are active, the moves since ``since``
    (default: the last 24 hours) and arrows between districts. Dismissed networks are left
    out; nothing identifies an advert, a phone or a photo."""
    since = since or dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    first_day = since.astimezone(LONDON).date()
    live = select(Network.id).where(*live_network())
    active = len(session.scalars(live).all())
    moves = session.execute(
        select(
            NetworkMove.network_id,
            NetworkMove.from_district,
            NetworkMove.to_district,
            NetworkMove.day,
        )
        .where(NetworkMove.network_id.in_(live), NetworkMove.day >= first_day)
        .order_by(NetworkMove.day, NetworkMove.network_id)
    ).all()
    arrows: dict[tuple[str, str], int] = {}
    for _, a, b, _day in moves:
        arrows[(a, b)] = arrows.get((a, b), 0) + 1
    return {
        "networks_active": active,
        "since": since.isoformat(),
        "moves": [
            {
                "network": label(n),
                "from": district_name(a),
                "to": district_name(b),
                "day": d.isoformat(),
            }
            for n, a, b, d in moves
        ],
        "arrows": [
            {
                "from": district_name(a),
                "to": district_name(b),
                "from_code": a,
                "to_code": b,
                "networks": c,
            }
            for (a, b), c in sorted(arrows.items(), key=lambda item: -item[1])
        ],
    }


def redacted_network(session: Session, network_id: int) -> dict[str, Any]:
    """One network as the briefing may see it: number, size, districts and moves only."""
    network = get_network(session, network_id)
    if network.review == DISMISSED:
        raise NotFound(f"there is no network {label(network_id)}")
    moves = session.execute(
        select(NetworkMove.from_district, NetworkMove.to_district, NetworkMove.day)
        .where(NetworkMove.network_id == network_id)
        .order_by(NetworkMove.day, NetworkMove.id)
    ).all()
    return {
        "network": label(network_id),
        "adverts": network.size,
        "districts": [district_name(c) for c in json.loads(network.districts)],
        "moves": [
            {"from": district_name(a), "to": district_name(b), "day": d.isoformat()}
            for a, b, d in moves
        ],
    }


def premises_network_facts(session: Session) -> pd.DataFrame:
    """Per linked premises, its biggest live network (not dismissed): ``location_id``,
    ``network_id``, ``adverts``, ``districts`` and ``moved_on`` (the day of its latest move)."""
    rows = frame_of(
        session,
        select(NetworkLink.location_id, Network.id, Network.size, Network.districts)
        .join(Network, Network.id == NetworkLink.network_id)
        .where(
            NetworkLink.kind == PREMISES_LINK,
            *live_network(),
        ),
    )
    columns = ["location_id", "network_id", "adverts", "districts", "moved_on"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows.columns = ["location_id", "network_id", "adverts", "districts"]
    rows = rows.sort_values(["location_id", "adverts", "network_id"], ascending=[True, False, True])
    rows = rows.drop_duplicates("location_id")
    last = frame_of(
        session,
        select(NetworkMove.network_id, NetworkMove.day).where(
            NetworkMove.network_id.in_(rows["network_id"].unique().tolist())
        ),
    )
    latest = last.groupby("network_id")["day"].max() if not last.empty else pd.Series(dtype=object)
    rows["districts"] = [len(json.loads(d)) for d in rows["districts"]]
    rows["moved_on"] = rows["network_id"].map(latest)
    return rows[columns].reset_index(drop=True)
