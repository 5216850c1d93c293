"""Bulk assign (the planning page's "Assign selected" and an accepted suggestion): one function
that plans row by row, skipping with a reason what cannot be planned. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from layers.core.models import Location
from layers.planning import assignments, bulk
from layers.planning.models import Assignment
from layers.planning.status_changes import set_status

from .conftest import MONDAY

TUESDAY = MONDAY + dt.timedelta(days=1)


def _rows(services, ids: list[int]) -> list[dict]:
    """Grid rows as the planning page holds them: id, version, ref and priority."""
    with services.db.read() as s:
        locs = {loc.id: loc for loc in s.scalars(select(Location).where(Location.id.in_(ids)))}
    return [
        {"id": i, "version": locs[i].version, "ref": locs[i].ref, "priority": float(n)}
        for n, i in enumerate(ids)
    ]


def test_blk001_each_skip_says_why_and_the_rest_commit(services, premises, team) -> None:
    ids = premises("preston", 6)
    alpha, bravo = team("Alpha 1", capacity=10), team("Bravo 2", capacity=10)
    rows = _rows(services, ids)  # what the commander's grid shows before colleagues act
    refs = [r["ref"] for r in rows]
    with services.db.write() as s:
        assignments.assign(s, ids[0], 1, bravo, MONDAY, "commander-b")  # planned by a colleague
        assignments.assign(s, ids[1], 1, bravo, MONDAY, "commander-b")
        set_status(s, ids[1], None, 2, "commander-b", outcome="no_access")  # closed meanwhile
    # The grid was refreshed for ids[2] (planned, seen as planned) and ids[3] (closed).
    with services.db.write() as s:
        assignments.assign(s, ids[2], 1, bravo, TUESDAY, "commander-b")
        set_status(s, ids[3], "no_further_action", 1, "commander-b")
    fresh = {r["id"]: r for r in _rows(services, ids[2:4])}
    for i in (2, 3):
        rows[i] = {**fresh[ids[i]], "priority": rows[i]["priority"]}
    requests = bulk.selection_requests(rows, alpha, MONDAY)
    assert [r.location_id for r in requests] == ids[::-1]  # most urgent first
    with services.db.write() as s:
        report = bulk.assign_many(s, requests, "commander-a", reason="tip-off cluster")
    assert sorted(report.done) == sorted(ids[4:])
    skipped = report.skipped
    assert skipped[ids[0]].startswith(f"{refs[0]}: Not saved: commander-b changed this location")
    assert "'Planned'" in skipped[ids[0]]
    assert skipped[ids[1]].startswith(f"{refs[1]}: Not saved: commander-b")
    assert skipped[ids[2]] == f"{refs[2]} is already planned: move it instead."
    assert skipped[ids[3]] == f"{refs[3]} is No further action: not planned."
    summary = report.summary()
    assert summary.startswith("Assigned 2. ")
    assert f"{refs[2]} is already planned" in summary
    with services.db.read() as s:
        mine = s.scalars(select(Assignment).where(Assignment.team_id == alpha)).all()
        assert sorted(a.location_id for a in mine) == sorted(ids[4:])
        assert s.get(Location, ids[0]).version == 2  # the colleague's plan stands


def test_blk002_a_full_team_day_skips_the_least_urgent_unless_allowed(
    services, premises, team
) -> None:
    ids = premises("preston", 4)
    alpha = team("Alpha 1", capacity=2)
    rows = _rows(services, ids)  # priority 0..3: ids[3] most urgent
    with services.db.write() as s:
        report = bulk.assign_many(s, bulk.selection_requests(rows, alpha, MONDAY), "cmdr")
    assert sorted(report.done) == sorted(ids[2:])
    for i in ids[:2]:
        ref = next(r["ref"] for r in rows if r["id"] == i)
        assert report.skipped[i] == (
            f"{ref}: Alpha 1 on Mon 30 Nov is full (2 of 2 visits): allow over capacity to "
            "plan more."
        )
    with services.db.write() as s:
        again = bulk.assign_many(
            s, bulk.selection_requests(rows[:2], alpha, MONDAY), "cmdr", over_capacity=True
        )
    assert sorted(again.done) == sorted(ids[:2])
    assert again.warnings == [
        "Alpha 1 on Mon 30 Nov has 3 visits planned for a capacity of 2 (1 over).",
        "Alpha 1 on Mon 30 Nov has 4 visits planned for a capacity of 2 (2 over).",
    ]
    with services.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Assignment)) == 4


def test_blk003_unassign_many_skips_closed_visits(services, premises, team) -> None:
    ids = premises("chorley", 3)
    alpha = team("Alpha 1", "chorley")
    with services.db.write() as s:
        made = [assignments.assign(s, i, 1, alpha, MONDAY, "cmdr").assignment for i in ids]
        set_status(s, ids[1], "in_progress", 2, "cmdr")
    rows = [
        {"id": i, "ref": f"R{n}", "assignment_id": a.id, "assignment_version": a.version}
        for n, (i, a) in enumerate(zip(ids, made, strict=True))
    ]
    with services.db.write() as s:
        report = bulk.unassign_many(s, rows, "cmdr", reason="intel stale")
    assert sorted(report.done) == [ids[0], ids[2]]
    assert report.skipped == {
        ids[1]: "R1: a visit that is in progress stays on the plan: change its status."
    }
    assert report.summary("Unassigned").startswith("Unassigned 2. R1: a visit")
