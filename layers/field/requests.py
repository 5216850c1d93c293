"""Reading one queued phone action from JSON: every field checked and every range bounded.

A phone's clock and a hostile script are both untrusted, so the time an action was done must
fall between the start of the day before and a few minutes from now on the server's clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from layers.core.status import RESULT_FIELDS

KINDS: tuple[str, ...] = ("on_way", "arrived", "done", "cant_visit")
DONE_OUTCOMES: tuple[str, ...] = ("actioned", "no_trace")
REASONS: dict[str, str] = {
    "no_access": "no_access",
    "refused": "refused_entry",
    "postponed": "postponed",
}
"""A "Can't visit" reason on the phone and the lifecycle outcome it records."""
KEY_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_NOTE = 500
MAX_FIGURE = 1000
FUTURE_SKEW = dt.timedelta(minutes=5)
OLDEST = dt.timedelta(hours=36)


@dataclass(frozen=True)
class ActionRequest:
    """One action as the team did it: what, to which stop, when, from which version."""

    key: str
    location_id: int
    kind: str
    done_at: dt.datetime
    version: int | None = None
    after: str | None = None
    outcome: str | None = None
    reason: str | None = None
    results: dict[str, int] = field(default_factory=dict)
    note: str = ""


def _whole(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}")
    return value


def _time(value: Any, now: dt.datetime) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError("done_at must be an ISO 8601 time") from exc
    if when.tzinfo is None:
        raise ValueError("done_at must include its time zone")
    when = when.astimezone(dt.UTC)
    if when > now + FUTURE_SKEW:
        raise ValueError("done_at is in the future: check the phone's clock")
    if when < now - OLDEST:
        raise ValueError("done_at is more than a day and a half ago")
    return when


def _results(value: Any) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, dict) or set(value) - set(RESULT_FIELDS):
        raise ValueError(f"results may hold only: {', '.join(RESULT_FIELDS)}")
    return {k: _whole(v, k, 0, MAX_FIGURE) for k, v in value.items() if v}


def _choice(value: Any, name: str, allowed: tuple[str, ...] | dict[str, str]) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of: {', '.join(allowed)}")
    return str(value)


def parse_action(body: Any, now: dt.datetime) -> ActionRequest:
    """The action in ``body``; ``ValueError`` naming the first field that is wrong."""
    if not isinstance(body, dict):
        raise ValueError("each action must be a JSON object")
    key = str(body.get("key", ""))
    if not KEY_RE.match(key):
        raise ValueError("key must be 8-64 letters, digits, - or _")
    kind = _choice(body.get("kind"), "kind", KINDS)
    after = body.get("after")
    if after is not None and not KEY_RE.match(str(after)):
        raise ValueError("after must be the key of an earlier action")
    version = body.get("version")
    if after is None:
        version = _whole(version, "version", 1, 2**31 - 1)
    note = body.get("note") or ""
    if not isinstance(note, str) or len(note) > MAX_NOTE:
        raise ValueError(f"note must be text of at most {MAX_NOTE} characters")
    outcome = _choice(body.get("outcome"), "outcome", DONE_OUTCOMES) if kind == "done" else None
    reason = _choice(body.get("reason"), "reason", REASONS) if kind == "cant_visit" else None
    results = _results(body.get("results")) if outcome == "actioned" else {}
    return ActionRequest(
        key=key,
        location_id=_whole(body.get("location_id"), "location_id", 1, 2**31 - 1),
        kind=kind,
        done_at=_time(body.get("done_at"), now),
        version=version if after is None else None,
        after=str(after) if after is not None else None,
        outcome=outcome,
        reason=reason,
        results=results,
        note=note.strip(),
    )
