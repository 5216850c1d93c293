"""Analysts' review of a network: confirm, split, merge or dismiss, with history and the log.

A decision is stored with the adverts it names (see :mod:`layers.networks.decisions`), recorded
in the processing log in the same transaction, and takes effect at once for a confirmation or
dismissal; a split or merge changes the networks themselves, so it queues a rebuild, which
applies every decision again (as every later rebuild will).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from layers.audit import processing_log
from layers.core.errors import RuleError
from layers.networks.decisions import ACTIONS, CONFIRM, DISMISS, MERGE, REVIEW, SPLIT
from layers.networks.models import NetworkDecision, NetworkMember
from layers.networks.rebuild import submit_rebuild
from layers.networks.views import get_network, label


@dataclass(frozen=True)
class Decided:
    """A stored decision and the rebuild it queued (split and merge only)."""

    decision_id: int
    job_id: int | None


def members_of(session: Session, network_id: int) -> list[int]:
    """Location ids of a network's adverts."""
    return sorted(
        session.scalars(
            select(NetworkMember.location_id).where(NetworkMember.network_id == network_id)
        )
    )


def _named(
    session: Session, network_id: int, action: str, adverts: list[int] | None, other: int | None
) -> tuple[list[int], list[int]]:
    """The adverts a decision names and, for split and merge, the others."""
    members = members_of(session, network_id)
    if action == SPLIT:
        chosen = sorted(set(adverts or []))
        if not chosen or not set(chosen) < set(members):
            raise RuleError(
                "a split names some, not all, of the network's adverts (choose which to split off)"
            )
        return chosen, sorted(set(members) - set(chosen))
    if action == MERGE:
        if other is None or other == network_id:
            raise RuleError("a merge names another network to merge with")
        get_network(session, other)
        return members, members_of(session, other)
    return members, []


def decide(
    session: Session,
    network_id: int,
    action: str,
    username: str,
    note: str | None = None,
    adverts: list[int] | None = None,
    other: int | None = None,
) -> Decided:
    """Record an analyst's decision about network ``network_id`` in ``session``'s transaction."""
    if action not in ACTIONS:
        raise RuleError(f"unknown decision {action!r}: use one of {', '.join(ACTIONS)}")
    network = get_network(session, network_id)
    named, others = _named(session, network_id, action, adverts, other)
    decision = NetworkDecision(
        action=action,
        network_id=network_id,
        adverts=json.dumps(named),
        others=json.dumps(others),
        note=(note or "").strip() or None,
        username=username,
    )
    session.add(decision)
    what = f"network {label(network_id)} {action}"
    if action == MERGE:
        what += f" with {label(int(other or 0))}"
    processing_log.record(
        session,
        username,
        processing_log.ALTERATION,
        f"{what} ({len(named) + len(others)} adverts)",
        records=[*named, *others][: processing_log.MAX_RECORD_IDS],
        justification=decision.note,
    )
    session.flush()
    if action in (CONFIRM, DISMISS):
        network.review = REVIEW[action]
        return Decided(int(decision.id), None)
    return Decided(int(decision.id), submit_rebuild(session, username))


def history(session: Session, network_id: int) -> list[dict[str, Any]]:
    """Every decision about the network or any of its adverts, oldest first."""
    members = set(members_of(session, network_id))
    out = []
    for d in session.scalars(
        select(NetworkDecision).order_by(NetworkDecision.at, NetworkDecision.id)
    ):
        named = set(json.loads(d.adverts)) | set(json.loads(d.others))
        if d.network_id == network_id or named & members:
            out.append(
                {
                    "id": d.id,
                    "action": d.action,
                    "network": label(d.network_id),
                    "adverts": len(json.loads(d.adverts)),
                    "note": d.note,
                    "by": d.username,
                    "at": d.at.isoformat(),
                }
            )
    return out
