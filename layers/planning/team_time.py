"""A team's time and place as scripts send them: shift, break, base, members and skills.

``POST /api/teams`` and ``PATCH /api/teams/<id>`` (and the CLI) send the same fields; this
module reads them strictly (a ``ValueError`` is a 400 naming the field) and applies them to a
team, where :meth:`layers.planning.teams.TeamSpec.validate` applies the rules (422).

The base is where every shift starts and ends (usually a police station): a postcode from the
offline Code-Point Open index, or ``base_lon``/``base_lat``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.crs import to_bng
from geodata.postcodes import PostcodeIndex
from layers.audit import processing_log
from layers.core.errors import Conflict
from layers.core.models import utcnow
from layers.planning.models import Team
from layers.planning.teams import (
    MAX_BREAK,
    StartPoint,
    TeamError,
    TeamSpec,
    check_call_sign,
    get_team,
    in_great_britain,
)
from layers.planning.visit_rules import clean_skills, clock_text

logger = logging.getLogger(__name__)

TIME_FIELDS = ("shift_start", "shift_end", "break_minutes", "skills", "members",
               "base_postcode", "base_lon", "base_lat", "base_label", "daily_capacity")


@dataclasses.dataclass
class TeamConflict(Conflict):
    """A team change based on a version a colleague has already changed."""

    team_id: int
    expected_version: int
    current_version: int

    def message(self) -> str:
        """What happened, in the commander's words."""
        return (f"Not saved: a colleague changed this team (now version "
                f"{self.current_version}). Review it and try again.")

    def as_dict(self) -> dict[str, Any]:
        """The conflict for a JSON response."""
        return {"error": "conflict", "message": self.message(), "team_id": self.team_id,
                "expected_version": self.expected_version,
                "current_version": self.current_version}


def _whole(body: Mapping[str, Any], name: str, low: int, high: int) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number between {low} and {high}")
    return value


def _coordinate(body: Mapping[str, Any], name: str) -> float:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} (a number) is required with the other coordinate")
    return float(value)


def read_base(body: Mapping[str, Any], postcodes: PostcodeIndex | None) -> StartPoint | None:
    """The base a request gives (``None`` when it gives none).

    Raises ``ValueError`` (400) for malformed input and :class:`TeamError` (422) for a postcode
    the index does not hold or a point outside Great Britain.
    """
    postcode = body.get("base_postcode")
    if postcode is not None and ("base_lon" in body or "base_lat" in body):
        raise ValueError("give base_postcode or base_lon/base_lat, not both")
    if postcode is not None:
        if not isinstance(postcode, str) or not 2 <= len(postcode.strip()) <= 10:
            raise ValueError("base_postcode must be a postcode, such as PR1 2RH")
        found = postcodes.lookup([postcode]) if postcodes is not None else None
        if found is None or not bool(found.found[0]):
            raise TeamError("start", f"{postcode.strip()!r} is not a postcode we know; give "
                            "base_lon and base_lat instead")
        return StartPoint(float(found.lon[0]), float(found.lat[0]), str(found.postcode[0]))
    if "base_lon" in body or "base_lat" in body:
        lon, lat = _coordinate(body, "base_lon"), _coordinate(body, "base_lat")
        if not in_great_britain(lon, lat):
            raise TeamError("start", "the base must be a place in Great Britain")
        return StartPoint(lon, lat)
    return None


def read_time_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    """The shift, break, members, skills and cap a request sets (only those it gives)."""
    found: dict[str, Any] = {}
    for name in ("shift_start", "shift_end"):
        if body.get(name) is not None:
            found[name] = clock_text(body[name], name)
    for name, high in (("break_minutes", MAX_BREAK), ("members", 100), ("daily_capacity", 100)):
        value = _whole(body, name, 0 if name == "break_minutes" else 1, high)
        if value is not None:
            found[name] = value
    if body.get("skills") is not None:
        found["skills"] = clean_skills(body["skills"])
    label = body.get("base_label")
    if label is not None:
        if not isinstance(label, str) or len(label) > 120:
            raise ValueError("base_label is text of at most 120 characters")
        found["start_label"] = label
    return found


def apply_base(spec: TeamSpec, base: StartPoint | None) -> TeamSpec:
    """``spec`` with its base moved (the postcode becomes the label unless one was given)."""
    if base is None:
        return spec
    label = spec.start_label or base.label
    return dataclasses.replace(spec, start_lon=base.lon, start_lat=base.lat, start_label=label)


def spec_of(team: Team) -> TeamSpec:
    """The stored team as a spec, so a change is checked by the same rules as a new team."""
    return TeamSpec(
        call_sign=team.call_sign, division=team.division, start_lon=team.start_lon,
        start_lat=team.start_lat, start_label=team.start_label, members=team.members,
        partners=tuple(json.loads(team.partners or "[]")), daily_capacity=team.daily_capacity,
        shift_start=team.shift_start, shift_end=team.shift_end,
        break_minutes=team.break_minutes, skills=tuple(json.loads(team.skills or "[]")),
    )


def update_team(
    session: Session,
    team_id: int,
    body: Mapping[str, Any],
    postcodes: PostcodeIndex | None,
    username: str,
) -> Team:
    """Change a team's shift, break, base, members, skills or cap (``PATCH /api/teams/<id>``).

    ``version`` in ``body`` (optional) guards against overwriting a colleague's change
    (:class:`TeamConflict`, 409). Timed plans already made are not re-timed: re-plan the days.
    """
    team = get_team(session, team_id)
    unknown = sorted(set(body) - set(TIME_FIELDS) - {"version", "call_sign"})
    if unknown:
        raise ValueError(f"a team change takes {', '.join(TIME_FIELDS)} (not "
                         f"{', '.join(unknown)})")
    expected = _whole(body, "version", 1, 2**31 - 1)
    if expected is not None and expected != team.version:
        raise TeamConflict(team.id, expected, team.version)
    changes = read_time_fields(body)
    if body.get("call_sign") is not None:
        changes["call_sign"] = check_call_sign(str(body["call_sign"]))
        taken = session.scalar(select(Team.id).where(Team.call_sign == changes["call_sign"],
                                                     Team.id != team.id))
        if taken:
            raise TeamError("call_sign", f"there is already a team {changes['call_sign']!r}")
    base = read_base(body, postcodes)
    spec = dataclasses.replace(spec_of(team), **changes)
    if base is not None and "start_label" not in changes:  # a new base: its postcode names it
        spec = dataclasses.replace(spec, start_label="")
    spec = apply_base(spec, base)
    spec.validate()
    easting, northing = to_bng(np.array([spec.start_lon]), np.array([spec.start_lat]))
    for name, value in dataclasses.asdict(spec).items():
        if name not in ("partners", "skills", "division"):
            setattr(team, name, value)
    team.skills = json.dumps(sorted(set(spec.skills)))
    team.start_easting, team.start_northing = float(easting[0]), float(northing[0])
    team.version += 1
    session.flush()
    processing_log.record(session, username, processing_log.ALTERATION,
                          f"plan: team {team.call_sign} changed ({', '.join(sorted(body))})")
    logger.info("team %s changed by %s at %s", team.call_sign, username, utcnow())
    return team
