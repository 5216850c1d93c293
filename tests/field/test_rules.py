"""Unit rules without a database: the overdue rule on a controlled clock, action parsing."""

from __future__ import annotations

import datetime as dt

import pytest

from layers.field.clock import ManualClock
from layers.field.requests import parse_action
from layers.field.tables import Visit
from layers.field.timers import is_overdue

T0 = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)


def _visit(minutes: int = 45) -> Visit:
    return Visit(arrived_at=T0, expected_minutes=minutes,
                 due_at=T0 + dt.timedelta(minutes=minutes))


def test_fld001_overdue_only_after_deadline_plus_grace() -> None:
    clock = ManualClock(T0)
    visit = _visit()
    clock.advance(45 + 14)
    assert not is_overdue(visit, clock(), 15)
    clock.advance(0.99)
    assert not is_overdue(visit, clock(), 15)
    clock.advance(0.01)
    assert is_overdue(visit, clock(), 15)


def test_fld002_checked_out_or_not_arrived_is_never_overdue() -> None:
    late = T0 + dt.timedelta(hours=5)
    left = _visit()
    left.left_at = T0 + dt.timedelta(minutes=30)
    assert not is_overdue(left, late, 15)
    assert not is_overdue(Visit(expected_minutes=45), late, 15)
    assert is_overdue(_visit(30), T0 + dt.timedelta(minutes=30), 0)


def _body(**extra: object) -> dict[str, object]:
    body: dict[str, object] = {"key": "k-0000001", "location_id": 7, "kind": "arrived",
                               "version": 2, "done_at": T0.isoformat()}
    body.update(extra)
    return body


def test_fld003_parse_keeps_the_time_done_and_bounds_everything() -> None:
    req = parse_action(_body(done_at="2026-12-02T09:40:00+00:00"), T0)
    assert req.done_at == T0 - dt.timedelta(minutes=20)
    assert req.version == 2 and req.after is None
    chained = parse_action(_body(after="k-previous1", version=None), T0)
    assert chained.after == "k-previous1" and chained.version is None
    done = parse_action(_body(kind="done", outcome="actioned",
                              results={"arrests": 2, "safeguarded": 0}), T0)
    assert done.results == {"arrests": 2}
    cases = [
        (_body(key="short"), "key"),
        (_body(kind="dance"), "kind"),
        (_body(version=None), "version"),
        (_body(done_at="2026-12-02T10:30:00+00:00"), "future"),
        (_body(done_at="2026-11-29T10:00:00+00:00"), "day and a half"),
        (_body(done_at="2026-12-02T10:00:00"), "time zone"),
        (_body(kind="done", outcome="dancing"), "outcome"),
        (_body(kind="cant_visit", reason="bored"), "reason"),
        (_body(kind="done", outcome="actioned", results={"arrests": -1}), "arrests"),
        (_body(kind="done", outcome="actioned", results={"bribes": 1}), "results"),
        (_body(note="x" * 501), "note"),
        ("not a dict", "JSON object"),
    ]
    for body, words in cases:
        with pytest.raises(ValueError, match=words):
            parse_action(body, T0)


def test_fld004_cant_visit_reason_and_note() -> None:
    req = parse_action(_body(kind="cant_visit", reason="refused", note="  door shut  "), T0)
    assert (req.reason, req.note, req.outcome) == ("refused", "door shut", None)
