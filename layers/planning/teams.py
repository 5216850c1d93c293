"""Visiting teams: what a commander enters for one, the checks on it, and the team table.

A call sign travels further than any other field: into run-sheet file names, download headers,
map legends and printed sheets. So it is checked where it enters (:func:`check_call_sign`):
letters, digits, spaces and a few separators, at most 40 characters, no control characters.
A team's start point may be given as a postcode (the offline Code-Point Open index), as
``lon, lat`` or ``lat, lon`` (Great Britain's ranges do not overlap, so the order is clear),
or by a click on the map, which fills in ``lon, lat``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.crs import to_bng
from geodata.force import DIVISIONS
from geodata.postcodes import PostcodeIndex
from layers.audit import processing_log
from layers.core.errors import NotFound
from layers.core.models import utcnow
from layers.planning.errors import PlanError
from layers.planning.models import Team
from layers.planning.visit_rules import clean_skills

logger = logging.getLogger(__name__)

CALL_SIGN_MAX = 40
_CALL_SIGN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./-]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MAX_MEMBERS = 20
MAX_CAPACITY = 50
MAX_BREAK = 120
LABEL_MAX = 120
PARTNER_MAX = 60
LON_RANGE = (-9.0, 2.0)
LAT_RANGE = (49.0, 61.0)
FORM_FIELDS: tuple[str, ...] = (
    "call_sign",
    "division",
    "members",
    "capacity",
    "shift",
    "break",
    "skills",
    "partners",
    "start",
    "label",
)
"""The fields of the team form, each of which can carry its own error message."""


class CallSignError(ValueError):
    """A call sign that is malformed (HTTP 400): it names what is allowed."""

    field = "call_sign"


class TeamError(PlanError):
    """A team the rules refuse, naming the form field to fix."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


class TeamFormError(ValueError):
    """The team form has problems: field name -> what to fix (all of them at once)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def check_call_sign(value: str) -> str:
    """The call sign, trimmed, or :class:`CallSignError` saying what a call sign may hold."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise CallSignError("a team needs a call sign, such as 'Alpha 1'")
    if _CONTROL.search(text):
        raise CallSignError("a call sign cannot contain line breaks, tabs or control characters")
    if not _CALL_SIGN.fullmatch(text):
        raise CallSignError(
            "a call sign starts with a letter or digit and holds only letters, digits, spaces, "
            "full stops, hyphens and slashes, such as 'Alpha 1'"
        )
    if len(text) > CALL_SIGN_MAX:
        raise CallSignError(f"a call sign is at most {CALL_SIGN_MAX} characters")
    return text


def _plain_text(value: str, field_name: str, limit: int, what: str) -> str:
    text = value.strip()
    if _CONTROL.search(text):
        raise TeamError(field_name, f"{what} cannot contain line breaks or control characters")
    if len(text) > limit:
        raise TeamError(field_name, f"{what} is at most {limit} characters")
    return text


@dataclass(frozen=True)
class TeamSpec:
    """What a commander enters for a team."""

    call_sign: str
    division: str
    start_lon: float
    start_lat: float
    start_label: str = ""
    members: int = 2
    partners: tuple[str, ...] = ()
    daily_capacity: int = 6
    shift_start: str = "08:00"
    shift_end: str = "16:00"
    break_minutes: int = 0
    skills: tuple[str, ...] = ()

    def validate(self) -> None:
        """Refuse impossible teams with a message that says what to fix (and which field)."""
        check_call_sign(self.call_sign)
        _division(self.division)
        if not 1 <= self.daily_capacity <= MAX_CAPACITY:
            raise TeamError(
                "capacity", f"daily capacity must be at least one visit (at most {MAX_CAPACITY})"
            )
        if not 0 <= self.break_minutes <= MAX_BREAK:
            raise TeamError("break", f"the break is 0 to {MAX_BREAK} minutes")
        if not 1 <= self.members <= MAX_MEMBERS:
            raise TeamError("members", f"a team needs 1 to {MAX_MEMBERS} members")
        for name in ("shift_start", "shift_end"):
            try:
                dt.time.fromisoformat(getattr(self, name))
            except ValueError as exc:
                raise TeamError("shift", f"{name.replace('_', ' ')} must be HH:MM") from exc
        if self.shift_start == self.shift_end:
            raise TeamError("shift", "the shift ends when it starts: give its end (it may be "
                            "after midnight, e.g. 20:00-04:00)")
        if not in_great_britain(self.start_lon, self.start_lat):
            raise TeamError("start", "the start point must be a place in Great Britain")
        _plain_text(self.start_label, "label", LABEL_MAX, "the start point name")
        for partner in self.partners:
            _plain_text(partner, "partners", PARTNER_MAX, "a partner agency")


def in_great_britain(lon: float, lat: float) -> bool:
    """Whether a longitude/latitude lies in the box around Great Britain."""
    return LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]


@dataclass(frozen=True)
class StartPoint:
    """Where a team starts: coordinates, and a name when the input gave one (a postcode)."""

    lon: float
    lat: float
    label: str = ""


_PAIR = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*[,;\s]\s*(-?\d+(?:\.\d+)?)\s*")


def parse_start(text: str, postcodes: PostcodeIndex | None) -> StartPoint:
    """A start point from a postcode, ``lon, lat`` or ``lat, lon``; :class:`TeamError` if none."""
    value = (text or "").strip()
    if not value:
        raise TeamError("start", "give the start point: a postcode, or click the map")
    pair = _PAIR.fullmatch(value)
    if pair:
        a, b = float(pair.group(1)), float(pair.group(2))
        for lon, lat in ((a, b), (b, a)):
            if in_great_britain(lon, lat):
                return StartPoint(lon, lat)
        raise TeamError("start", "those coordinates are not in Great Britain")
    if postcodes is not None:
        found = postcodes.lookup([value])
        if bool(found.found[0]):
            return StartPoint(float(found.lon[0]), float(found.lat[0]), str(found.postcode[0]))
    raise TeamError("start", f"{value!r} is not a postcode we know, nor 'lon, lat'")


def _whole(value: Any, field_name: str, what: str, default: int) -> int:
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise TeamError(field_name, f"{what} must be a whole number")
    return int(value)


def _shift(value: Any) -> tuple[str, str]:
    text = str(value or "08:00-16:00")
    parts = [p.strip() for p in text.split("-")]
    if len(parts) != 2:
        raise TeamError("shift", "the shift is HH:MM-HH:MM, such as 08:00-16:00")
    return parts[0], parts[1]


def _break(value: Any) -> int:
    minutes = _whole(value, "break", "the break (minutes)", 0)
    if not 0 <= minutes <= MAX_BREAK:
        raise TeamError("break", f"the break is 0 to {MAX_BREAK} minutes")
    return minutes


def _skills(value: Any) -> tuple[str, ...]:
    """Skills from the form's comma-separated text (``interpreter: Romanian, warrant``)."""
    names = [p for p in str(value or "").split(",") if p.strip()]
    try:
        return clean_skills(names)
    except ValueError as exc:
        raise TeamError("skills", str(exc)) from exc


def _division(value: Any) -> str:
    if value not in DIVISIONS:
        raise TeamError("division", f"choose the division: {', '.join(DIVISIONS)}")
    return str(value)


def team_form(values: Mapping[str, Any], postcodes: PostcodeIndex | None) -> TeamSpec:
    """The team a form describes, or :class:`TeamFormError` with a message for each bad field."""
    errors: dict[str, str] = {}
    found: dict[str, Any] = {}
    steps: dict[str, Any] = {
        "call_sign": lambda: check_call_sign(str(values.get("call_sign") or "")),
        "division": lambda: _division(values.get("division")),
        "members": lambda: _whole(values.get("members"), "members", "officers", 2),
        "capacity": lambda: _whole(values.get("capacity"), "capacity", "visits a day", 6),
        "shift": lambda: _shift(values.get("shift")),
        "break": lambda: _break(values.get("break")),
        "skills": lambda: _skills(values.get("skills")),
        "start": lambda: parse_start(str(values.get("start") or ""), postcodes),
    }
    for name, step in steps.items():
        try:
            found[name] = step()
        except (TeamError, CallSignError) as exc:
            errors[name] = str(exc)
    if errors:
        raise TeamFormError(errors)
    start: StartPoint = found["start"]
    spec = TeamSpec(
        call_sign=found["call_sign"],
        division=found["division"],
        start_lon=start.lon,
        start_lat=start.lat,
        start_label=str(values.get("label") or "").strip() or start.label,
        members=found["members"],
        partners=tuple(
            filter(None, (p.strip() for p in str(values.get("partners") or "").split(",")))
        ),
        daily_capacity=found["capacity"],
        shift_start=found["shift"][0],
        shift_end=found["shift"][1],
        break_minutes=found["break"],
        skills=found["skills"],
    )
    try:
        spec.validate()
    except (TeamError, CallSignError) as exc:
        raise TeamFormError({exc.field: str(exc)}) from exc
    return spec


def create_team(session: Session, spec: TeamSpec, username: str) -> Team:
    """Add a team (its start point placed on the British National Grid)."""
    spec.validate()
    call_sign = check_call_sign(spec.call_sign)
    if session.scalar(select(Team.id).where(Team.call_sign == call_sign)):
        raise TeamError("call_sign", f"there is already a team {call_sign!r}")
    easting, northing = to_bng(np.array([spec.start_lon]), np.array([spec.start_lat]))
    team = Team(
        call_sign=call_sign,
        division=spec.division,
        members=spec.members,
        partners=json.dumps([p.strip() for p in spec.partners if p.strip()]),
        daily_capacity=spec.daily_capacity,
        shift_start=spec.shift_start,
        shift_end=spec.shift_end,
        break_minutes=spec.break_minutes,
        skills=json.dumps(sorted(set(spec.skills))),
        start_lon=spec.start_lon,
        start_lat=spec.start_lat,
        start_easting=float(easting[0]),
        start_northing=float(northing[0]),
        start_label=spec.start_label.strip(),
        version=1,
        created_by=username,
        created_at=utcnow(),
    )
    session.add(team)
    session.flush()
    processing_log.record(
        session, username, processing_log.ALTERATION, f"plan: team {team.call_sign} added"
    )
    logger.info("team %s added by %s", team.call_sign, username)
    return team


def list_teams(session: Session) -> list[Team]:
    """Every team, by division then call sign."""
    return list(session.scalars(select(Team).order_by(Team.division, Team.call_sign)))


def get_team(session: Session, team_id: int) -> Team:
    """The team, or :class:`NotFound`."""
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(f"no team {team_id}")
    return team


def team_label(team: Team) -> str:
    """How a team is named in a list: call sign, division and capacity."""
    return f"{team.call_sign} ({team.division}, {team.daily_capacity}/day)"


def team_dict(t: Team) -> dict[str, Any]:
    """A team as JSON-friendly values."""
    return {
        "id": t.id,
        "call_sign": t.call_sign,
        "division": t.division,
        "members": t.members,
        "partners": json.loads(t.partners or "[]"),
        "daily_capacity": t.daily_capacity,
        "shift_start": t.shift_start,
        "shift_end": t.shift_end,
        "break_minutes": t.break_minutes,
        "skills": json.loads(t.skills or "[]"),
        "start_lon": t.start_lon,
        "start_lat": t.start_lat,
        "start_label": t.start_label,
        "version": t.version,
    }


@dataclass
class TeamFormResult:
    """What saving the team form did: the new team's id, or the errors next to each field."""

    team_id: int | None = None
    call_sign: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def add_team_from_form(
    session: Session, values: Mapping[str, Any], postcodes: PostcodeIndex | None, username: str
) -> TeamFormResult:
    """Check the team form and add the team; every problem comes back next to its field."""
    try:
        team = create_team(session, team_form(values, postcodes), username)
    except TeamFormError as exc:
        return TeamFormResult(errors=exc.errors)
    except (TeamError, CallSignError) as exc:
        return TeamFormResult(errors={exc.field: str(exc)})
    return TeamFormResult(team.id, team.call_sign)
