"""The one status change every page and the API make: rules (pure) and the one-step close
recorded in the store (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from layers.audit.processing_log import ProcessingLog
from layers.core.models import HistoryEntry, Location
from layers.core.queries import history
from layers.core.status import (
    ACTIONED,
    IN_PROGRESS,
    NFA,
    PLANNED,
    UNPLANNED,
    VISITED,
    TransitionError,
    default_next_status,
    result_figures,
    status_choices,
    status_steps,
    sync_choice,
)
from layers.planning import assignments
from layers.planning.models import Assignment
from layers.planning.status_changes import set_status

from .conftest import MONDAY


def test_stc001_default_next_status_is_the_next_step_forward() -> None:
    assert default_next_status(UNPLANNED) == PLANNED
    assert default_next_status(PLANNED) == IN_PROGRESS
    assert default_next_status(IN_PROGRESS) == VISITED
    assert default_next_status(VISITED) == ACTIONED
    assert default_next_status(ACTIONED) is None  # reopening is never preselected
    assert default_next_status(NFA) is None


def test_stc002_choices_include_the_one_step_close() -> None:
    assert status_choices(PLANNED) == [UNPLANNED, IN_PROGRESS, ACTIONED, NFA]
    assert status_choices(IN_PROGRESS) == [PLANNED, VISITED, ACTIONED, NFA]
    assert status_choices(UNPLANNED) == [PLANNED, NFA]
    assert status_choices(ACTIONED) == [UNPLANNED]


def test_stc003_steps_between_are_recorded_for_an_outcome() -> None:
    steps = status_steps(PLANNED, None, "actioned", {"safeguarded": 2})
    assert [s.status for s in steps] == [IN_PROGRESS, VISITED, ACTIONED]
    assert [s.outcome for s in steps] == [None, None, "actioned"]
    assert steps[-1].results == {"safeguarded": 2}
    assert [s.status for s in status_steps(IN_PROGRESS, NFA, "no_access")] == [VISITED, NFA]
    assert [s.status for s in status_steps(VISITED, None, "refused_entry")] == [NFA]
    assert [s.status for s in status_steps(IN_PROGRESS, None, "postponed")] == [PLANNED]
    assert [s.status for s in status_steps(PLANNED, IN_PROGRESS)] == [IN_PROGRESS]


def test_stc004_refusals_say_what_to_do() -> None:
    with pytest.raises(TransitionError, match="means status 'No further action', not 'In prog"):
        status_steps(PLANNED, IN_PROGRESS, "no_access")
    with pytest.raises(TransitionError, match="choose the new status, or an outcome"):
        status_steps(PLANNED, None, None)
    with pytest.raises(TransitionError, match="move it to another day"):
        status_steps(PLANNED, None, "postponed")
    with pytest.raises(TransitionError, match="can move to"):
        status_steps(UNPLANNED, VISITED)
    with pytest.raises(TransitionError, match="needs an outcome"):
        status_steps(VISITED, ACTIONED)


def test_stc005_sync_keeps_status_and_outcome_consistent() -> None:
    assert sync_choice(PLANNED, IN_PROGRESS, "actioned", "outcome") == (ACTIONED, "actioned")
    assert sync_choice(PLANNED, ACTIONED, "actioned", "status") == (ACTIONED, "actioned")
    assert sync_choice(PLANNED, IN_PROGRESS, "actioned", "status") == (IN_PROGRESS, None)
    assert sync_choice(PLANNED, IN_PROGRESS, None, "outcome") == (IN_PROGRESS, None)  # cleared
    assert sync_choice(VISITED, None, "postponed", "outcome") == (PLANNED, "postponed")
    assert sync_choice(PLANNED, ACTIONED, None, "status") == (ACTIONED, "actioned")
    assert sync_choice(PLANNED, NFA, None, "status") == (NFA, None)  # which outcome? ask


def test_stc006_result_figures_are_whole_and_bounded() -> None:
    assert result_figures({"arrests": 2.0, "safeguarded": 0, "warrants": None}) == {"arrests": 2}
    for bad, message in (
        ({"arrests": True}, "whole number"),
        ({"arrests": 1.5}, "whole number"),
        ({"arrests": "2"}, "whole number"),
        ({"arrests": 10**20}, "not a real count"),
        ({"arrests": -1}, "negative"),
        ({"parking": 1}, "unknown result"),
    ):
        with pytest.raises(TransitionError, match=message):
            result_figures(bad)


@pytest.fixture
def planned(services, premises, team) -> int:
    """A Preston premises a commander has planned for team Alpha 1 on Monday."""
    (loc_id,) = premises("preston", 1)
    alpha = team("Alpha 1")
    with services.db.write() as s:
        assignments.assign(s, loc_id, 1, alpha, MONDAY, "commander-a")
    return loc_id


def test_stc007_one_step_close_records_each_step_with_who_and_when(
    services, planned: int
) -> None:
    loc_id = planned
    with services.db.write() as s:
        loc = set_status(
            s, loc_id, None, 2, "officer-b", "two safeguarded", "actioned", {"safeguarded": 2}
        )
        assert (loc.status, loc.version, loc.outcome) == (ACTIONED, 5, "actioned")
    with services.db.read() as s:
        entries = list(reversed(history(s, loc_id)))
        logged = s.scalars(
            select(ProcessingLog).where(ProcessingLog.detail.like("status: location%"))
        ).all()
        assert s.scalar(select(Assignment.id).where(Assignment.location_id == loc_id))
    steps = [(e["from_status"], e["to_status"]) for e in entries[1:]]
    assert steps == [(PLANNED, IN_PROGRESS), (IN_PROGRESS, VISITED), (VISITED, ACTIONED)]
    assert [e["to_version"] for e in entries[1:]] == [3, 4, 5]
    assert all(e["username"] == "officer-b" and e["at"] is not None for e in entries[1:])
    assert entries[-1]["note"] == "two safeguarded"
    assert entries[-1]["detail"] == {"outcome": "actioned", "results": {"safeguarded": 2}}
    assert "Actioned" in entries[1]["note"]  # the steps in between say why they were recorded
    assert [e.detail for e in logged] == [
        f"status: location {loc_id} to actioned via In progress, Visited (actioned)"
    ]


def test_stc008_a_refused_step_writes_nothing_and_reopen_clears_the_outcome(
    services, planned: int
) -> None:
    loc_id = planned
    with pytest.raises(TransitionError), services.db.write() as s:
        set_status(s, loc_id, None, 2, "officer", outcome="actioned", results={"arrests": -1})
    with services.db.read() as s:
        assert s.get(Location, loc_id).version == 2
        assert len(s.scalars(select(HistoryEntry)).all()) == 1
    with services.db.write() as s:
        set_status(s, loc_id, None, 2, "officer", outcome="no_trace")
    with services.db.write() as s:
        loc = set_status(s, loc_id, UNPLANNED, 5, "commander-a", note="new intelligence")
        assert (loc.status, loc.outcome, loc.outcome_detail) == (UNPLANNED, None, None)
    with services.db.read() as s:
        assert s.scalar(select(Assignment.id)) is None  # reopened: off the plan
        closing = s.scalars(select(HistoryEntry).where(HistoryEntry.to_status == NFA)).one()
        assert json.loads(closing.detail)["outcome"] == "no_trace"  # history keeps it
