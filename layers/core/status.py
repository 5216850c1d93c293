"""The operational status lifecycle of a location and the rules for moving along it.

unplanned -> planned -> in progress -> visited -> outcome. Closing a visit requires an
outcome: *actioned* (with results), *no trace*, *no access* and *refused entry* close it as
"no further action" or "actioned"; *postponed* sends it back to planning.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    results = {k: int(v) for k, v in (results or {}).items() if v}
    unknown = set(results) - set(RESULT_FIELDS)
    if unknown:
        raise TransitionError(f"unknown result fields: {', '.join(sorted(unknown))}")
    if any(v < 0 for v in results.values()):
        raise TransitionError("result figures cannot be negative")
    if current == VISITED and outcome is None:
        raise TransitionError("closing a visit needs an outcome (actioned, no trace, ...)")
    if outcome is not None:
        if outcome not in OUTCOMES:
            raise TransitionError(f"unknown outcome {outcome!r}: use one of {', '.join(OUTCOMES)}")
        if OUTCOME_STATUS[outcome] != requested:
            raise TransitionError(
                f"outcome {OUTCOMES[outcome]!r} means status "
                f"{STATUS_LABELS[OUTCOME_STATUS[outcome]]!r}, not {STATUS_LABELS[requested]!r}"
            )
    if requested not in TRANSITIONS[current]:
        allowed = ", ".join(STATUS_LABELS[s] for s in sorted(TRANSITIONS[current]))
        raise TransitionError(
            f"a location that is {STATUS_LABELS[current]!r} can move to: {allowed}"
        )
    if results and outcome != "actioned":
        raise TransitionError("results are recorded only with the outcome 'actioned'")
    return Decision(requested, outcome, results)


def next_statuses(current: str) -> list[str]:
    """The statuses a location may move to next, in lifecycle order."""
    return [s for s in STATUSES if s in TRANSITIONS[current]]
