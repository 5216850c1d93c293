"""The operational status lifecycle of a location and the rules for moving along it.

unplanned -> planned -> in progress -> visited -> outcome. Closing a visit requires an
outcome: *actioned* (with results), *no trace*, *no access* and *refused entry* close it as
"no further action" or "actioned"; *postponed* sends it back to planning.

A commander closing a visit after the event should not have to save three times: choosing an
outcome for a planned or in-progress visit records the steps in between (in progress, visited)
as their own history entries, in one save (:func:`status_steps`). Every front end (operations
map, planning page, API) goes through these rules, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from layers.core.errors import RuleError

UNPLANNED = "unplanned"
PLANNED = "planned"
IN_PROGRESS = "in_progress"
VISITED = "visited"
ACTIONED = "actioned"
NFA = "no_further_action"

STATUSES: tuple[str, ...] = (UNPLANNED, PLANNED, IN_PROGRESS, VISITED, ACTIONED, NFA)
STATUS_LABELS: dict[str, str] = {
    UNPLANNED: "Unplanned",
    PLANNED: "Planned",
    IN_PROGRESS: "In progress",
    VISITED: "Visited",
    ACTIONED: "Actioned",
    NFA: "No further action",
}
DONE_STATUSES: frozenset[str] = frozenset({VISITED, ACTIONED, NFA})

OUTCOMES: dict[str, str] = {
    "actioned": "Actioned",
    "no_trace": "No trace",
    "no_access": "No access",
    "refused_entry": "Refused entry",
    "postponed": "Postponed (back to planning)",
}
OUTCOME_STATUS: dict[str, str] = {
    "actioned": ACTIONED,
    "no_trace": NFA,
    "no_access": NFA,
    "refused_entry": NFA,
    "postponed": PLANNED,
}
RESULT_FIELDS: dict[str, str] = {
    "safeguarded": "Potential victims safeguarded",
    "nrm_referrals": "NRM referrals",
    "arrests": "Arrests",
    "warrants": "Warrants executed",
    "closure_orders": "Closure orders",
    "intel_submitted": "Intelligence submitted",
}
MAX_RESULT = 10_000
"""The largest figure one visit can record for a result (a typing slip, not a real count)."""
VISIT_STEPS: tuple[str, ...] = (PLANNED, IN_PROGRESS, VISITED)
"""The steps of a visit that a one-step close records on the way to its outcome."""

TRANSITIONS: dict[str, frozenset[str]] = {
    UNPLANNED: frozenset({PLANNED, NFA}),
    PLANNED: frozenset({IN_PROGRESS, UNPLANNED, NFA}),
    IN_PROGRESS: frozenset({VISITED, PLANNED}),
    VISITED: frozenset({ACTIONED, NFA, PLANNED}),
    ACTIONED: frozenset({UNPLANNED}),
    NFA: frozenset({UNPLANNED}),
}
"""Allowed moves. Reopening a closed location (back to unplanned) is allowed and audited."""


class TransitionError(RuleError):
    """A status change the lifecycle does not allow, with the reason in the user's words."""


@dataclass(frozen=True)
class Decision:
    """The checked result of a requested change: the status to store and its outcome."""

    status: str
    outcome: str | None
    results: dict[str, int]


def check_transition(
    current: str,
    requested: str,
    outcome: str | None = None,
    results: dict[str, int] | None = None,
) -> Decision:
    """Check a requested change against the lifecycle and return what to store.

    ``requested`` may be a status or, when closing a visit, the outcome decides the status.
    Raises :class:`TransitionError` with a message a commander can act on.
    """
    if requested not in STATUSES:
        raise TransitionError(f"unknown status {requested!r}: use one of {', '.join(STATUSES)}")
    results = result_figures(results)
    if current == VISITED and outcome is None:
        raise TransitionError(
            "closing a visit needs an outcome: choose " + ", ".join(OUTCOMES.values())
        )
    if outcome is not None:
        if outcome not in OUTCOMES:
            raise TransitionError(f"unknown outcome {outcome!r}: use one of {', '.join(OUTCOMES)}")
        if OUTCOME_STATUS[outcome] != requested:
            raise TransitionError(
                f"the outcome {OUTCOMES[outcome]!r} means status "
                f"{STATUS_LABELS[OUTCOME_STATUS[outcome]]!r}, not {STATUS_LABELS[requested]!r}: "
                "clear the outcome or choose that status"
            )
    if requested not in TRANSITIONS[current]:
        allowed = ", ".join(STATUS_LABELS[s] for s in sorted(TRANSITIONS[current]))
        raise TransitionError(
            f"a location that is {STATUS_LABELS[current]!r} can move to: {allowed}"
        )
    if results and outcome != "actioned":
        raise TransitionError("results are recorded only with the outcome 'actioned'")
    return Decision(requested, outcome, results)


def result_figures(results: dict[str, Any] | None) -> dict[str, int]:
    """The result figures of a visit as whole numbers, zeros left out.

    Refuses unknown fields, fractions, true/false and figures outside 0..:data:`MAX_RESULT`,
    so a slip of the keyboard never reaches the board as a count.
    """
    figures: dict[str, int] = {}
    for key, value in (results or {}).items():
        if value is None or value == "":
            continue
        if key not in RESULT_FIELDS:
            raise TransitionError(f"unknown result fields: {key}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TransitionError(f"{RESULT_FIELDS[key]} must be a whole number")
        if isinstance(value, float) and not value.is_integer():
            raise TransitionError(f"{RESULT_FIELDS[key]} must be a whole number")
        if value < 0:
            raise TransitionError("result figures cannot be negative")
        if value > MAX_RESULT:
            raise TransitionError(f"{RESULT_FIELDS[key]} above {MAX_RESULT:,} is not a real count")
        if value:
            figures[key] = int(value)
    return figures


def next_statuses(current: str) -> list[str]:
    """The statuses a location may move to next, in lifecycle order."""
    return [s for s in STATUSES if s in TRANSITIONS[current]]


def status_choices(current: str) -> list[str]:
    """What a status form offers: the next statuses plus the closes one save can record.

    A planned or in-progress visit may be closed directly (actioned, no further action) by
    choosing its outcome; :func:`status_steps` records the steps in between.
    """
    reachable = set(next_statuses(current))
    if current in (PLANNED, IN_PROGRESS):
        reachable |= {ACTIONED, NFA}
    return [s for s in STATUSES if s in reachable]


def default_next_status(current: str) -> str | None:
    """The status a form preselects: the next step forward in the lifecycle, if there is one.

    A closed location has no step forward; its form starts with nothing chosen, so reopening
    it is always a deliberate choice.
    """
    forward = [s for s in next_statuses(current) if STATUSES.index(s) > STATUSES.index(current)]
    return forward[0] if forward else None


def sync_choice(
    current: str, status: str | None, outcome: str | None, changed: str
) -> tuple[str | None, str | None]:
    """Keep a form's status and outcome consistent after the user changed one of them.

    Choosing an outcome chooses the status it means; choosing a status the outcome does not
    mean clears the outcome, and choosing *actioned* chooses its only outcome. ``changed`` is
    ``"status"`` or ``"outcome"``.
    """
    if changed == "outcome" and outcome in OUTCOME_STATUS:
        implied = OUTCOME_STATUS[outcome]
        if implied in status_choices(current) or implied == current:
            return implied, outcome
        return status, outcome
    if changed == "status" and outcome in OUTCOME_STATUS and OUTCOME_STATUS[outcome] != status:
        return status, None
    if changed == "status" and status == ACTIONED and outcome is None:
        return status, "actioned"
    return status, outcome


def status_steps(
    current: str,
    requested: str | None,
    outcome: str | None = None,
    results: dict[str, Any] | None = None,
) -> list[Decision]:
    """The changes one save records, in order, each checked against the lifecycle.

    Usually one. With an outcome that closes a visit (anything but *postponed*), a planned or
    in-progress visit first passes through the visit steps it has not recorded yet, so the
    history still shows in progress and visited. ``requested`` may be left out when an outcome
    is chosen: the outcome decides the status. Raises :class:`TransitionError`.
    """
    if outcome is not None and outcome not in OUTCOMES:
        raise TransitionError(f"unknown outcome {outcome!r}: use one of {', '.join(OUTCOMES)}")
    target = requested or (OUTCOME_STATUS[outcome] if outcome else None)
    if target is None:
        raise TransitionError("choose the new status, or an outcome to close the visit")
    if outcome == "postponed" and current == PLANNED:
        raise TransitionError(
            "this visit is still planned: to postpone it, move it to another day on the plan"
        )
    between: list[str] = []
    if outcome not in (None, "postponed") and current in (PLANNED, IN_PROGRESS):
        between = list(VISIT_STEPS[VISIT_STEPS.index(current) + 1 :])
    decisions = []
    here = current
    for step in between:
        decisions.append(check_transition(here, step))
        here = step
    decisions.append(check_transition(here, target, outcome, results))
    return decisions
