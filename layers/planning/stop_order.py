"""The order of a team-day's stops: set it by hand, or along the shortest route found.

Only assignments whose position changes get a new version and a history entry, so a reorder
never conflicts with a colleague's change to a stop it did not move.
"""

from __future__ import annotations

import datetime as dt
import logging

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from layers.core.models import Location, utcnow
from layers.core.status import DONE_STATUSES
from layers.planning.assignments import bump_location, team_day
from layers.planning.errors import NothingToDo, PlanError
from layers.planning.models import Assignment
from layers.planning.plan_history import record, where
from layers.planning.routing import Route, plan_route
from layers.planning.teams import get_team

logger = logging.getLogger(__name__)


def reorder(
    session: Session,
    team_id: int,
    day: dt.date,
    ordered_ids: list[int],
    username: str,
    reason: str | None = None,
) -> list[Assignment]:
    """Set the whole order of a team-day (for example to the optimised route).

    ``ordered_ids`` must name exactly the team-day's assignments.
    """
    items = team_day(session, team_id, day)
    by_id = {a.id: a for a in items}
    if sorted(ordered_ids) != sorted(by_id):
        raise PlanError("the new order must list exactly this team-day's visits")
    team = get_team(session, team_id)
    for pos, aid in enumerate(ordered_ids):
        a = by_id[aid]
        if a.position == pos:
            continue
        before = where(session, a)
        a.position = pos
        a.version += 1
        a.updated_at = utcnow()
        statuses = bump_location(session, a.location_id, None, None)
        record(
            session,
            a.location_id,
            username,
            statuses[:2],
            statuses[2],
            before,
            where(session, a),
            reason,
            f"location {a.location_id} now stop {pos + 1} for {team.call_sign}",
        )
    session.flush()
    return [by_id[i] for i in ordered_ids]


def team_day_route(session: Session, team_id: int, day: dt.date) -> tuple[list[Assignment], Route]:
    """The optimised order of a team-day's visits that are not yet done, from its start point."""
    team = get_team(session, team_id)
    rows = session.execute(
        select(Assignment, Location.easting, Location.northing, Location.status)
        .join(Location, Location.id == Assignment.location_id)
        .where(Assignment.team_id == team_id, Assignment.day == day)
        .order_by(Assignment.position, Assignment.id)
    ).all()
    todo = [r for r in rows if r.status not in DONE_STATUSES]
    points = np.array([[r.easting, r.northing] for r in todo], dtype="float64").reshape(-1, 2)
    route = plan_route((team.start_easting, team.start_northing), points)
    return [todo[i].Assignment for i in route.order], route


def optimise_route(session: Session, team_id: int, day: dt.date, username: str) -> Route:
    """Reorder a team-day along its optimised route (visits already done keep their place first).

    With fewer than two visits left to do there is no order to choose: :class:`NothingToDo` says
    there is nothing to optimise, rather than claiming a route was optimised.
    """
    ordered, route = team_day_route(session, team_id, day)
    if len(ordered) < 2:
        team = get_team(session, team_id)
        left = "no visits" if not ordered else "one visit"
        raise NothingToDo(
            f"Nothing to optimise: {team.call_sign} has {left} left to do on {day:%a %d %b}"
        )
    done = [a for a in team_day(session, team_id, day) if a not in ordered]
    reorder(session, team_id, day, [a.id for a in done + ordered], username, "route optimised")
    return route
