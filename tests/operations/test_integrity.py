"""The half-applied-change checks find what a crash could leave behind (and nothing else)."""

from __future__ import annotations

from sqlalchemy import update

from layers.audit import processing_log
from layers.core.models import HistoryEntry, Location
from layers.core.status import PLANNED
from layers.operation.integrity import (
    acknowledged,
    half_applied,
    unlogged_changes,
    version_gaps,
)
from layers.planning.status_changes import set_status
from tests.planning.conftest import add_premises


def test_ops040_whole_changes_pass_and_broken_ones_are_named(services):
    first, second, third = add_premises(services, "preston", 3)
    with services.db.write() as session:
        set_status(session, first, PLANNED, 1, "alice")
        set_status(session, second, PLANNED, 1, "alice")
    with services.db.write() as session:  # one change through three statuses, one log row
        set_status(session, first, None, 2, "alice", outcome="no_access")
    with services.db.read() as session:
        assert half_applied(session, ["alice"]) == []
    with services.db.write() as session:
        # A status without its history entry (the version moved on alone) ...
        session.execute(update(Location).where(Location.id == third).values(version=2))
        # ... and a history entry without its processing-log row.
        session.add(HistoryEntry(location_id=second, username="alice", action="status",
                                 from_status=PLANNED, to_status="in_progress",
                                 from_version=2, to_version=3))
        session.execute(update(Location).where(Location.id == second).values(version=3))
        processing_log.record(session, "bob", processing_log.ALTERATION, "status: other",
                              records=[first])
    with services.db.read() as session:
        assert version_gaps(session) == {third: (2, 0)}
        assert unlogged_changes(session, ["alice"]) == {("alice", second): 1}
        problems = half_applied(session, ["alice"])
    assert problems == [
        f"location {third} is at version 2 but has 0 history entries",
        f"alice: location {second} has +1 history entries without their log row",
    ]


def test_ops041_acknowledged_changes_lost_doubled_or_extra(services):
    first, second = add_premises(services, "preston", 2)
    with services.db.write() as session:
        set_status(session, first, PLANNED, 1, "alice")
        set_status(session, second, PLANNED, 1, "alice")
        session.add(HistoryEntry(location_id=second, username="alice", action="status",
                                 from_status=PLANNED, to_status=PLANNED,
                                 from_version=1, to_version=2))
    with services.db.read() as session:
        assert acknowledged(session, [(first, 2)], ["alice"]) == ([], [], 2)
        assert acknowledged(session, [(first, 2), (second, 2), (first, 3)], ["alice"]) == (
            [(first, 3)], [(second, 2)], 1)
