"""The status lifecycle rules the planning and tracking depend on (pure, no database)."""

from __future__ import annotations

import pytest

from layers.core.status import (
    ACTIONED,
    IN_PROGRESS,
    NFA,
    OUTCOME_STATUS,
    PLANNED,
    STATUSES,
    TRANSITIONS,
    UNPLANNED,
    VISITED,
    TransitionError,
    check_transition,
)


def test_pln001_happy_path_unplanned_to_actioned() -> None:
    assert check_transition(UNPLANNED, PLANNED).status == PLANNED
    assert check_transition(PLANNED, IN_PROGRESS).status == IN_PROGRESS
    assert check_transition(IN_PROGRESS, VISITED).status == VISITED
    decision = check_transition(VISITED, ACTIONED, "actioned", {"safeguarded": 2, "arrests": 1})
    assert decision.status == ACTIONED
    assert decision.results == {"safeguarded": 2, "arrests": 1}


def test_pln002_closing_a_visit_needs_an_outcome() -> None:
    with pytest.raises(TransitionError, match="needs an outcome"):
        check_transition(VISITED, NFA)


@pytest.mark.parametrize("outcome", ["no_trace", "no_access", "refused_entry"])
def test_pln003_negative_outcomes_close_as_nfa(outcome: str) -> None:
    assert check_transition(VISITED, NFA, outcome).status == NFA
    with pytest.raises(TransitionError):
        check_transition(VISITED, ACTIONED, outcome)


def test_pln004_postponed_goes_back_to_planning() -> None:
    assert OUTCOME_STATUS["postponed"] == PLANNED
    assert check_transition(VISITED, PLANNED, "postponed").status == PLANNED


@pytest.mark.parametrize(
    ("current", "requested"),
    [(UNPLANNED, IN_PROGRESS), (UNPLANNED, VISITED), (PLANNED, VISITED), (ACTIONED, PLANNED)],
)
def test_pln005_skipping_steps_is_refused(current: str, requested: str) -> None:
    with pytest.raises(TransitionError, match="can move to"):
        check_transition(current, requested)


def test_pln006_results_only_with_actioned_and_never_negative() -> None:
    with pytest.raises(TransitionError, match="only with the outcome 'actioned'"):
        check_transition(VISITED, NFA, "no_trace", {"arrests": 1})
    with pytest.raises(TransitionError, match="negative"):
        check_transition(VISITED, ACTIONED, "actioned", {"arrests": -1})
    with pytest.raises(TransitionError, match="unknown result"):
        check_transition(VISITED, ACTIONED, "actioned", {"parking_tickets": 1})


def test_pln007_every_status_has_a_way_out_and_closed_ones_reopen() -> None:
    assert set(TRANSITIONS) == set(STATUSES)
    for closed in (ACTIONED, NFA):
        assert TRANSITIONS[closed] == {UNPLANNED}
