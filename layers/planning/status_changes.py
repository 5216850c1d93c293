"""The one status change every front end makes: operations map, planning page, API and scripts.

One save may record several history entries (:func:`layers.core.status.status_steps`): closing
a planned visit with its outcome records in progress, visited and the outcome, each with who and
when, in the caller's one transaction. Going back to unplanned takes the location off the plan
in the same transaction. The processing log gets one alteration for the save.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from layers.audit import processing_log
from layers.core.errors import NotFound
from layers.core.locations import change_status, conflict
from layers.core.models import Location
from layers.core.status import OUTCOMES, STATUS_LABELS, UNPLANNED, status_steps
from layers.planning.models import Assignment

logger = logging.getLogger(__name__)


def set_status(
    session: Session,
    location_id: int,
    status: str | None,
    expected_version: int,
    username: str,
    note: str | None = None,
    outcome: str | None = None,
    results: dict[str, Any] | None = None,
) -> Location:
    """Move a location along the lifecycle, recording every step in between.

    ``status`` may be ``None`` when ``outcome`` is given (the outcome decides the status).
    Raises :class:`NotFound`, :class:`layers.core.locations.VersionConflict` or
    :class:`layers.core.status.TransitionError`; nothing is written when it does.
    """
    loc = session.get(Location, location_id, populate_existing=True)
    if loc is None:
        raise NotFound(f"no location {location_id}")
    if loc.version != expected_version:
        raise conflict(session, loc, expected_version)
    steps = status_steps(loc.status, status, outcome or None, results)
    passed = [STATUS_LABELS[s.status] for s in steps[:-1]]
    version = expected_version
    for i, step in enumerate(steps):
        last = i == len(steps) - 1
        closing = f"recorded on closing the visit ({OUTCOMES.get(outcome or '')})"
        step_note = note if last else closing
        loc = change_status(
            session,
            location_id,
            step.status,
            version,
            username,
            step_note,
            step.outcome,
            step.results,
        )
        version = loc.version
    if loc.status == UNPLANNED:
        session.execute(delete(Assignment).where(Assignment.location_id == location_id))
    via = f" via {', '.join(passed)}" if passed else ""
    processing_log.record(
        session,
        username,
        processing_log.ALTERATION,
        f"status: location {location_id} to {loc.status}{via}"
        + (f" ({outcome})" if outcome else ""),
        records=[location_id],
    )
    return loc
