"""The networks rebuild: a background job after each advert or tip-off import, or on demand.

It reads every advert, premises and tip-off, links the adverts (applying analysts' decisions),
derives evidence, circuits, alerts and links, and saves them in one transaction with a
"combination" entry in the processing log. It never runs inside a web request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from layers.core.db import Database
from layers.jobs import queue
from layers.networks.build import build_networks
from layers.networks.store import read_decisions, read_inputs, save_built

if TYPE_CHECKING:
    from layers.services import Services

logger = logging.getLogger(__name__)

REBUILD = "networks.rebuild"


def submit_rebuild(session: Session, username: str) -> int:
    """Queue a rebuild in ``session``'s transaction (one waiting rebuild serves many imports)."""
    return queue.submit(session, REBUILD, {}, username)


def _quiet(_percent: int, _message: str) -> None:
    """No progress display (a rebuild run directly, outside a job)."""


def rebuild_networks(
    db: Database, username: str, progress: Callable[[int, str], None] = _quiet
) -> dict[str, Any]:
    """Rebuild every network now; returns what was found (counts and seconds)."""
    started = time.perf_counter()
    progress(5, "reading adverts, premises and tip-offs")
    with db.read() as session:
        adverts, premises, tipoffs = read_inputs(session)
        decisions = read_decisions(session)
    progress(20, f"linking {len(adverts):,} adverts")
    built = build_networks(adverts, premises, tipoffs, decisions)
    progress(80, f"saving {len(built.networks):,} networks")
    with db.write() as session:
        save_built(session, built, username)
    summary = {
        "adverts": built.adverts,
        "networks": len(built.networks),
        "linked_adverts": len(built.members),
        "moves": len(built.moves),
        "alerts": len(built.alerts),
        "links": len(built.links),
        "decisions": len(decisions),
        "seconds": round(time.perf_counter() - started, 2),
    }
    logger.info("networks rebuilt: %s", summary)
    return summary


def rebuild_job(
    services: Services, job: queue.JobView, progress: Callable[[int, str], None]
) -> dict[str, Any]:
    """Job handler of :data:`REBUILD`."""
    return rebuild_networks(services.db, job.created_by, progress)
