"""When a premises may be visited and for how long: defaults by type and risk, set per location.

A massage parlour is visited while it is open, a short-term let in the evening, a house at any
time; a high-risk visit (where a potential victim may be found) takes an hour longer. These
defaults come from the premises type and risk (:data:`TYPE_DEFAULTS`, :data:`RISK_EXTRA`); a
commander overrides any of them for one location (``PATCH /api/locations/<id>/visit``), and
what they set is kept in ``planning_visit_settings`` (a ``None`` there keeps the default).

Windows are London wall-clock times; one whose end is not after its start runs past midnight
(a sauna open 12:00-02:00). ``None`` for both ends means any time of the team's shift.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from layers.audit import processing_log
from layers.core.errors import NotFound
from layers.core.models import Location, utcnow
from layers.planning.errors import PlanError
from layers.planning.models import VisitSettings
from layers.planning.solver.horizon import parse_clock

logger = logging.getLogger(__name__)

Hours = tuple[str, str] | None
"""Opening hours as ("HH:MM", "HH:MM"), or ``None``: any time."""

TYPE_DEFAULTS: dict[str, tuple[Hours, int]] = {
    "residential": (None, 40),
    "massage parlour": (("10:00", "22:00"), 60),
    "nail bar": (("09:00", "18:00"), 45),
    "car wash": (("08:00", "18:00"), 45),
    "hand car wash": (("08:00", "18:00"), 45),
    "hotel": (None, 60),
    "short-term let": (("18:00", "23:00"), 60),
    "takeaway": (("11:00", "23:00"), 45),
    "farm": (("07:00", "17:00"), 90),
    "factory": (("07:00", "18:00"), 90),
    "HMO": (None, 60),
    "brothel/sauna": (("12:00", "02:00"), 60),
    "flat above a shop": (("18:00", "23:00"), 45),
    "tanning salon": (("09:00", "20:00"), 45),
    "barber": (("09:00", "18:00"), 30),
    "warehouse": (("07:00", "18:00"), 90),
}
"""Premises type -> (opening hours, minutes on site at low risk). Types not listed: any time,
:data:`OTHER_MINUTES`."""
OTHER_MINUTES = 45
RISK_EXTRA: dict[str, int] = {"high": 60, "medium": 20, "low": 0}
"""Minutes added by risk: a high-risk visit may find a potential victim, which takes hours."""
MAX_MINUTES = 12 * 60
MAX_SKILLS = 10
SKILL_MAX = 60


@dataclass(frozen=True)
class VisitTerms:
    """The terms the planner uses for one location: defaults with the commander's changes."""

    window_from: str | None
    window_until: str | None
    duration_minutes: int
    skills: frozenset[str] = frozenset()
    latest_day: dt.date | None = None
    on_day: dt.date | None = None

    @property
    def any_time(self) -> bool:
        """Whether the premises may be visited at any time of a shift."""
        return self.window_from is None

    def allowed(self, day: dt.date) -> bool:
        """Whether ``day`` is one the visit may be made on (must-visit day, latest day)."""
        if self.on_day is not None and day != self.on_day:
            return False
        return self.latest_day is None or day <= self.latest_day

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly values (what the API answers)."""
        return {
            "window_from": self.window_from,
            "window_until": self.window_until,
            "duration_minutes": self.duration_minutes,
            "skills": sorted(self.skills),
            "latest_day": self.latest_day.isoformat() if self.latest_day else None,
            "on_day": self.on_day.isoformat() if self.on_day else None,
        }


def default_terms(premises_type: str | None, risk: str | None) -> VisitTerms:
    """The default window and duration of a premises type at a risk level."""
    hours, minutes = TYPE_DEFAULTS.get(premises_type or "", (None, OTHER_MINUTES))
    extra = RISK_EXTRA.get(risk or "", 0)
    return VisitTerms(hours[0] if hours else None, hours[1] if hours else None, minutes + extra)


def visit_terms(
    premises_type: str | None, risk: str | None, settings: VisitSettings | None
) -> VisitTerms:
    """The terms of one location: its type's defaults, then what was set for it."""
    terms = default_terms(premises_type, risk)
    if settings is None:
        return terms
    if settings.window_from is not None and settings.window_until is not None:
        terms = replace(terms, window_from=settings.window_from,
                        window_until=settings.window_until)
    if settings.window_from == "" or settings.window_until == "":  # set to any time
        terms = replace(terms, window_from=None, window_until=None)
    if settings.duration_minutes is not None:
        terms = replace(terms, duration_minutes=settings.duration_minutes)
    if settings.skills is not None:
        terms = replace(terms, skills=frozenset(json.loads(settings.skills)))
    return replace(terms, latest_day=settings.latest_day, on_day=settings.on_day)


def clean_skills(values: Any, what: str = "skills") -> tuple[str, ...]:
    """A list of skill names, trimmed, de-duplicated, sorted; ``ValueError`` (400) if not."""
    if not isinstance(values, list | tuple) or len(values) > MAX_SKILLS:
        raise ValueError(f"{what} must be a list of at most {MAX_SKILLS} names, such as "
                         "[\"interpreter: Romanian\", \"warrant\"]")
    names = set()
    for value in values:
        if not isinstance(value, str) or not value.strip() or len(value) > SKILL_MAX:
            raise ValueError(f"each of the {what} is a name of 1 to {SKILL_MAX} characters")
        if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value):
            raise ValueError(f"{what} cannot contain line breaks or control characters")
        names.add(" ".join(value.split()))
    return tuple(sorted(names))


def clock_text(value: Any, name: str) -> str:
    """"HH:MM" checked and written with two digits each, or ``ValueError`` naming the field."""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a time of day as HH:MM, e.g. 09:30")
    try:
        return parse_clock(value).strftime("%H:%M")
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from exc


VISIT_FIELDS = ("window_from", "window_until", "duration_minutes", "skills", "latest_day",
                "on_day")


def _day(value: Any, name: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{name} must be a date as YYYY-MM-DD (or null)")


def _minutes(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MINUTES:
        raise ValueError(f"duration_minutes must be a whole number of minutes, 1 to {MAX_MINUTES}")
    return value


def visit_changes(body: Mapping[str, Any]) -> dict[str, Any]:
    """The fields a request sets, checked (``ValueError``: 400 with what to send).

    ``window_from`` and ``window_until`` go together; both ``null`` means any time.
    """
    unknown = sorted(set(body) - set(VISIT_FIELDS) - {"version"})
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)}; a visit takes "
                         f"{', '.join(VISIT_FIELDS)}")
    changes: dict[str, Any] = {}
    if ("window_from" in body) != ("window_until" in body):
        raise ValueError("give window_from and window_until together (both null: any time)")
    if "window_from" in body:
        ends = (body["window_from"], body["window_until"])
        if (ends[0] is None) != (ends[1] is None):
            raise ValueError("window_from and window_until are both times, or both null")
        changes["window_from"], changes["window_until"] = (
            ("", "") if ends[0] is None else (clock_text(ends[0], "window_from"),
                                              clock_text(ends[1], "window_until")))
    if "duration_minutes" in body:
        changes["duration_minutes"] = _minutes(body["duration_minutes"])
    if "skills" in body:
        changes["skills"] = json.dumps(list(clean_skills(body["skills"] or [])))
    for name in ("latest_day", "on_day"):
        if name in body:
            changes[name] = _day(body[name], name)
    if not changes:
        raise ValueError(f"send at least one of {', '.join(VISIT_FIELDS)}")
    return changes


def check_terms(terms: VisitTerms) -> None:
    """Refuse terms no plan could meet (422): a window shorter than the visit, a must-visit day
    after the latest day."""
    if terms.window_from is not None and terms.window_until is not None:
        start, end = parse_clock(terms.window_from), parse_clock(terms.window_until)
        minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        minutes = minutes if minutes > 0 else minutes + 24 * 60
        if minutes < terms.duration_minutes:
            raise PlanError(f"the window {terms.window_from}-{terms.window_until} is shorter "
                            f"than the visit ({terms.duration_minutes} minutes)")
    if terms.on_day and terms.latest_day and terms.on_day > terms.latest_day:
        raise PlanError("the must-visit day is after the latest day")


def set_visit(
    session: Session, location_id: int, changes: Mapping[str, Any], username: str
) -> VisitTerms:
    """Record a commander's change to one location's visit; returns the terms now in force.

    Raises :class:`NotFound` for an unknown location and :class:`PlanError` (422) for terms no
    plan could meet; nothing is written then.
    """
    loc = session.get(Location, location_id)
    if loc is None:
        raise NotFound(f"no location {location_id}")
    settings = session.get(VisitSettings, location_id)
    if settings is None:
        settings = VisitSettings(location_id=location_id, updated_by=username,
                                 updated_at=utcnow())
        session.add(settings)
    for name, value in changes.items():
        setattr(settings, name, value)
    settings.updated_by, settings.updated_at = username, utcnow()
    terms = visit_terms(loc.premises_type, loc.risk, settings)
    check_terms(terms)
    session.flush()
    processing_log.record(session, username, processing_log.ALTERATION,
                          f"plan: visit terms of location {location_id} set "
                          f"({', '.join(sorted(changes))})", records=[location_id])
    return terms
