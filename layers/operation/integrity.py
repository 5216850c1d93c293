"""Is every change whole? The checks a crash, a restore or a load test must pass.

Every change to a location moves its version on by one and adds one history entry in the same
transaction (:func:`layers.core.locations.advance_version`), and every status or plan change
made by a person also adds a processing-log row naming that location. So after any crash:

- a location's ``version - 1`` equals the number of its history entries;
- each person's status and plan history entries for a location are matched by their
  processing-log rows for it (one row per change; a change that passes through statuses on
  the way writes one history entry per step and names the steps in its row).

A mismatch is a half-applied change. These checks read everything once, in one snapshot.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from layers.audit.processing_log import ALTERATION, ProcessingLog
from layers.core.models import HistoryEntry, Location

logger = logging.getLogger(__name__)

LOGGED_PREFIXES = ("status:", "plan:")
"""Processing-log details of the changes that also write a history entry."""


def version_gaps(session: Session) -> dict[int, tuple[int, int]]:
    """Locations whose version does not match their history: ``{id: (version, entries)}``."""
    entries = (
        select(HistoryEntry.location_id, func.count(HistoryEntry.id).label("n"))
        .group_by(HistoryEntry.location_id)
        .subquery()
    )
    rows = session.execute(
        select(Location.id, Location.version, func.coalesce(entries.c.n, 0))
        .outerjoin(entries, entries.c.location_id == Location.id)
        .where(Location.version - 1 != func.coalesce(entries.c.n, 0))
    ).all()
    return {int(r[0]): (int(r[1]), int(r[2])) for r in rows}


def steps(detail: str) -> int:
    """History entries one logged change wrote: one, plus each status it passed through
    (``status: location 7 to visited via Planned, In progress`` wrote three)."""
    _before, via, passed = detail.partition(" via ")
    if not via:
        return 1
    return 1 + len(passed.split(" (")[0].split(", "))


def unlogged_changes(session: Session, usernames: Iterable[str]) -> dict[tuple[str, int], int]:
    """For ``usernames``: ``{(user, location): history entries - log rows}`` where non-zero."""
    names = sorted(set(usernames))
    history = Counter(
        (str(user), int(loc))
        for user, loc in session.execute(
            select(HistoryEntry.username, HistoryEntry.location_id).where(
                HistoryEntry.username.in_(names)
            )
        )
    )
    logged: Counter[tuple[str, int]] = Counter()
    for user, detail, ids in session.execute(
        select(ProcessingLog.username, ProcessingLog.detail, ProcessingLog.record_ids).where(
            ProcessingLog.username.in_(names), ProcessingLog.action == ALTERATION
        )
    ):
        if str(detail).startswith(LOGGED_PREFIXES):
            for loc in json.loads(ids or "[]"):
                logged[(str(user), int(loc))] += steps(str(detail))
    keys = set(history) | set(logged)
    return {k: history[k] - logged[k] for k in sorted(keys) if history[k] != logged[k]}


def half_applied(session: Session, usernames: Iterable[str] = ()) -> list[str]:
    """Every half-applied change found, in words (empty when the data is whole)."""
    problems = [
        f"location {loc} is at version {version} but has {entries} history entries"
        for loc, (version, entries) in version_gaps(session).items()
    ]
    problems += [
        f"{user}: location {loc} has {diff:+d} history entries without their log row"
        for (user, loc), diff in unlogged_changes(session, usernames).items()
    ]
    return problems


def acknowledged(
    session: Session, acks: Iterable[tuple[int, int]], usernames: Iterable[str]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], int]:
    """Check changes clients saw acknowledged, each as ``(location, version it produced)``.

    Returns the acknowledged changes with no history entry (lost), those with more than one
    (doubled), and how many changes by ``usernames`` are stored beyond the acknowledged ones
    (a request whose answer never arrived may still have committed: not an error by itself).
    """
    wanted = Counter(acks)
    stored = Counter(
        (int(loc), int(version))
        for loc, version in session.execute(
            select(HistoryEntry.location_id, HistoryEntry.to_version).where(
                HistoryEntry.username.in_(sorted(set(usernames)))
            )
        )
    )
    lost = sorted(k for k in wanted if stored[k] == 0)
    doubled = sorted(k for k in wanted if stored[k] > 1 or wanted[k] > 1)
    extra = sum(stored.values()) - sum(min(stored[k], 1) for k in wanted)
    return lost, doubled, extra
