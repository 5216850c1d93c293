"""A team on today's plan with its phone account: for the end-to-end test, the bench and demos."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from layers.accounts import create_user
from layers.core.models import Location
from layers.field.links import link_user
from layers.planning.assignments import assign
from layers.planning.teams import TeamSpec, create_team


def seed_field_team(
    session: Session, call_sign: str, username: str, password: str, day: dt.date, stops: int = 3
) -> list[int]:
    """Create team ``call_sign`` with the first ``stops`` unplanned premises (with an address)
    planned for ``day``, and the team account ``username`` linked to it; returns the stop ids."""
    team = create_team(session, TeamSpec(
        call_sign=call_sign, division="South", start_lon=-2.7035, start_lat=53.7590,
        start_label="Preston police station", daily_capacity=max(6, stops)), "demo")
    rows = session.execute(
        select(Location.id, Location.version)
        .where(Location.kind == "premises", Location.status == "unplanned",
               Location.address.is_not(None))
        .order_by(Location.id).limit(stops)
    ).all()
    for position, (location_id, version) in enumerate(rows):
        assign(session, location_id, version, team.id, day, "demo", position,
                     safety_note="Two exits; dog in yard")
    create_user(session, username, "team", password, created_by="demo")
    link_user(session, username, call_sign, "demo")
    return [r[0] for r in rows]
