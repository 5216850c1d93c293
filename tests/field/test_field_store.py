"""Field mode on real SQLite and PostgreSQL: visibility, exactly-once replay, lifecycle, timers."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import select

from layers.audit.processing_log import ProcessingLog
from layers.core.errors import NotFound, RuleError
from layers.core.models import HistoryEntry, Location
from layers.field import actions, links, stops, timers
from layers.field.requests import parse_action
from layers.field.tables import FieldAction, OverdueAlert
from layers.planning.status_changes import set_status
from layers.services import Services
from tests.field.conftest import FieldDay

FORBIDDEN_KEYS = {"summary", "notes", "ref", "phone_hash", "phone_last3", "channel", "site"}


def _send(services: Services, user: str, **body: Any) -> dict[str, Any]:
    now = services.clock()
    body.setdefault("done_at", now.isoformat())
    with services.db.write() as session:
        team = links.team_of(session, user)
        return actions.apply_action(session, team, user, parse_action(body, now), now).as_dict()


def _stop(services: Services, user: str, location_id: int) -> dict[str, Any]:
    with services.db.read() as session:
        team = links.team_of(session, user)
        found = [s.as_dict() for s in stops.shift_stops(session, team, services.clock())]
    return next(s for s in found if s["location_id"] == location_id)


def test_fld010_team_sees_only_its_own_stops_today(services: Services, field_day: FieldDay) -> None:
    with services.db.read() as session:
        alpha = [s.as_dict() for s in
                 stops.shift_stops(session, links.team_of(session, "alpha1"), services.clock())]
        bravo = [s.as_dict() for s in
                 stops.shift_stops(session, links.team_of(session, "bravo1"), services.clock())]
    assert [s["location_id"] for s in alpha] == field_day.alpha_stops
    assert [s["location_id"] for s in bravo] == field_day.bravo_stops
    assert field_day.tomorrow not in [s["location_id"] for s in alpha]
    first = alpha[0]
    assert first["address"] == "1 Test Street, Preston"
    assert (first["risk"], first["premises_type"]) == ("high", "nail bar")
    assert first["safety_note"] == "Dog at stop 1"
    assert first["expected_minutes"] == 45 and first["status"] == "planned"
    assert not FORBIDDEN_KEYS & set(first)
    assert "Seen: workers" not in json.dumps(alpha)


def test_fld011_another_teams_stop_is_refused(services: Services, field_day: FieldDay) -> None:
    with pytest.raises(NotFound):
        _send(services, "alpha1", key="k-other-team", location_id=field_day.bravo_stops[0],
              kind="arrived", version=2)
    with pytest.raises(NotFound):
        _send(services, "alpha1", key="k-tomorrow1", location_id=field_day.tomorrow,
              kind="arrived", version=2)
    with services.db.read() as session:
        assert session.get(Location, field_day.bravo_stops[0]).status == "planned"
        assert session.scalar(select(FieldAction.key)) is None
        with pytest.raises(links.NotLinked):
            links.team_of(session, "commander-a")


def test_fld012_replayed_key_applies_exactly_once_keeping_time_done(
    services: Services, field_day: FieldDay
) -> None:
    first = field_day.alpha_stops[0]
    arrived_at = field_day.clock() - dt.timedelta(minutes=30)
    done_at = field_day.clock() - dt.timedelta(minutes=5)
    arrive = dict(key="k-arrive-01", location_id=first, kind="arrived", version=2,
                  done_at=arrived_at.isoformat())
    done = dict(key="k-done-0001", location_id=first, kind="done", after="k-arrive-01",
                outcome="actioned", results={"safeguarded": 2, "arrests": 1},
                note="two workers safeguarded", done_at=done_at.isoformat())
    answers = [_send(services, "alpha1", **arrive), _send(services, "alpha1", **done)]
    field_day.clock.advance(20)  # the connection came back later: replay both again
    again = [_send(services, "alpha1", **arrive), _send(services, "alpha1", **done)]
    assert answers == again
    assert [a["state"] for a in answers] == ["applied", "applied"]
    with services.db.read() as session:
        loc = session.get(Location, first)
        assert (loc.status, loc.outcome, loc.version) == ("actioned", "actioned", 5)
        assert json.loads(loc.outcome_detail) == {"safeguarded": 2, "arrests": 1}
        rows = session.scalars(select(HistoryEntry).where(
            HistoryEntry.location_id == first, HistoryEntry.action == "status")
            .order_by(HistoryEntry.to_version)).all()
        assert [(h.to_status, h.at) for h in rows] == [
            ("in_progress", arrived_at), ("visited", done_at), ("actioned", done_at)]
        assert session.query(FieldAction).count() == 2
    assert _stop(services, "alpha1", first)["left_at"] == done_at.isoformat()


def test_fld013_commander_change_meanwhile_is_a_conflict_in_plain_words(
    services: Services, field_day: FieldDay
) -> None:
    stop = field_day.alpha_stops[1]
    with services.db.write() as session:
        set_status(session, stop, "no_further_action", 2, "commander-a",
                   note="intel withdrawn", outcome="no_trace")
    answer = _send(services, "alpha1", key="k-stale-arr", location_id=stop, kind="arrived",
                   version=2)
    chained = _send(services, "alpha1", key="k-stale-don", location_id=stop, kind="done",
                    after="k-stale-arr", outcome="no_trace")
    assert answer["state"] == "refused"
    assert "commander-a changed this location" in answer["message"]
    assert "intel withdrawn" in answer["message"]
    assert chained["state"] == "refused" and "step before it" in chained["message"]
    with services.db.read() as session:
        loc = session.get(Location, stop)
        assert (loc.status, loc.version) == ("no_further_action", 5)  # via the visit steps


def test_fld014_cant_visit_paths_follow_the_lifecycle(
    services: Services, field_day: FieldDay
) -> None:
    refused, postponed, _third = field_day.alpha_stops
    a = _send(services, "alpha1", key="k-refused1", location_id=refused, kind="cant_visit",
              reason="refused", version=2)
    b = _send(services, "alpha1", key="k-postpone", location_id=postponed, kind="cant_visit",
              reason="postponed", version=2, note="owner asked for Friday")
    assert (a["state"], b["state"]) == ("applied", "applied")
    with services.db.read() as session:
        assert session.get(Location, refused).outcome == "refused_entry"
        assert session.get(Location, refused).status == "no_further_action"
        assert session.get(Location, postponed).status == "unplanned"
    again = _send(services, "alpha1", key="k-postpone", location_id=postponed,
                  kind="cant_visit", reason="postponed", version=2)
    assert again == b


def test_fld015_overdue_alert_raised_after_grace_and_kept_until_acknowledged(
    services: Services, field_day: FieldDay
) -> None:
    stop = field_day.alpha_stops[0]
    _send(services, "alpha1", key="k-on-way-1", location_id=stop, kind="on_way", version=2)
    with services.db.write() as session:
        board = timers.field_board(session, field_day.clock(), 15)
    alpha = next(t for t in board["teams"] if t["call_sign"] == "ALPHA1")
    assert alpha["state"] == "travelling"
    _send(services, "alpha1", key="k-arrive-1", location_id=stop, kind="arrived", version=2)
    arrived = field_day.clock()
    field_day.clock.advance(45 + 15 - 1)
    with services.db.write() as session:
        board = timers.field_board(session, field_day.clock(), 15)
    alpha = next(t for t in board["teams"] if t["call_sign"] == "ALPHA1")
    assert (alpha["state"], alpha["since"]) == ("on_site", arrived.isoformat())
    assert board["alerts"] == []
    field_day.clock.advance(1)
    with services.db.write() as session:
        board = timers.field_board(session, field_day.clock(), 15)
        timers.field_board(session, field_day.clock(), 15)  # a second screen polling
    assert len(board["alerts"]) == 1
    alert = board["alerts"][0]
    assert alert["call_sign"] == "ALPHA1" and alert["address"] == "1 Test Street, Preston"
    assert next(t for t in board["teams"] if t["call_sign"] == "ALPHA1")["state"] == "overdue"
    _send(services, "alpha1", key="k-late-done", location_id=stop, kind="done",
          after="k-arrive-1", outcome="no_trace")
    with services.db.write() as session:
        assert len(timers.field_board(session, field_day.clock(), 15)["alerts"]) == 1
        with pytest.raises(RuleError, match="needs a note"):
            timers.acknowledge(session, alert["id"], "commander-a", "  ", field_day.clock())
    with services.db.write() as session:
        timers.acknowledge(session, alert["id"], "commander-a", "Rang ALPHA1: all safe",
                           field_day.clock())
    with services.db.write() as session:
        assert timers.field_board(session, field_day.clock(), 15)["alerts"] == []
        with pytest.raises(RuleError, match="already acknowledged"):
            timers.acknowledge(session, alert["id"], "commander-b", "me too", field_day.clock())
    with services.db.read() as session:
        assert session.query(OverdueAlert).count() == 1
        kinds = [h.action for h in session.scalars(select(HistoryEntry).where(
            HistoryEntry.location_id == stop).order_by(HistoryEntry.id))]
        assert kinds.count("alert") == 1 and kinds.count("alert_ack") == 1
        log = [r.detail for r in session.scalars(select(ProcessingLog).order_by(ProcessingLog.id))]
    assert any("ALPHA1 check-in" in d for d in log)
    assert any("ALPHA1 check-out" in d for d in log)
    assert any(d.startswith("field: Overdue: ALPHA1") for d in log)
    assert any("acknowledged: Rang ALPHA1" in d for d in log)


def test_fld016_board_panel_lists_each_checkout_once_with_recorded_time(
    services: Services, field_day: FieldDay
) -> None:
    from dashboard.components.field_panel import update_rows

    first, second, _third = field_day.alpha_stops
    recorded = field_day.clock() - dt.timedelta(minutes=7)
    _send(services, "alpha1", key="k-panel-arr", location_id=first, kind="arrived", version=2)
    _send(services, "alpha1", key="k-panel-don", location_id=first, kind="done",
          after="k-panel-arr", outcome="no_trace", done_at=recorded.isoformat())
    _send(services, "alpha1", key="k-panel-no1", location_id=second, kind="cant_visit",
          reason="no_access", version=2)
    _send(services, "alpha1", key="k-panel-don", location_id=first, kind="done",
          after="k-panel-arr", outcome="no_trace", done_at=recorded.isoformat())
    with services.db.write() as session:
        board = timers.field_board(session, field_day.clock(), 15)
    rows = [(u["location_id"], u["outcome"], u["done_at"]) for u in board["updates"]]
    assert rows == [(second, "no_access", field_day.clock().isoformat()),
                    (first, "no_trace", recorded.isoformat())]
    text = str(update_rows(board["updates"]))
    assert text.count("No trace") == 1 and "09:53" in text and "10:00" in text


def test_fld019_a_stop_linked_to_a_network_says_so_in_facts_only(
    services: Services, field_day: FieldDay
) -> None:
    """What to expect includes the linked network's facts (size, districts), never its text."""
    import datetime as dt

    from layers.networks.models import Network, NetworkLink

    linked = field_day.alpha_stops[1]
    with services.db.write() as session:
        network = Network(size=23, districts='["E07000123", "E07000118", "E06000009"]',
                          first_seen=dt.datetime(2026, 11, 30, tzinfo=dt.UTC),
                          template="Sweet new girl in town call 07700 900123")
        session.add(network)
        session.flush()
        session.add(NetworkLink(network_id=network.id, location_id=linked, kind="premises",
                                reason="geotags within 250 m", distance_m=120.0))
        network_id = network.id
    stop = _stop(services, "alpha1", linked)
    assert stop["network"] == f"linked to network N{network_id}: 23 adverts, 3 districts"
    assert _stop(services, "alpha1", field_day.alpha_stops[0])["network"] is None
    with services.db.read() as session:
        everything = json.dumps([s.as_dict() for s in stops.shift_stops(
            session, links.team_of(session, "alpha1"), services.clock())])
    assert "Sweet new girl" not in everything and "07700" not in everything


def test_fld020_a_stop_carries_the_planned_arrival_time(
    services: Services, field_day: FieldDay
) -> None:
    """The phone shows the ETA the plan gave the stop (layers.planning's solver writes it)."""
    import datetime as dt

    from sqlalchemy import update

    from layers.planning.models import Assignment

    eta = dt.datetime(2026, 12, 2, 11, 20, tzinfo=dt.UTC)
    first = field_day.alpha_stops[0]
    with services.db.write() as session:
        session.execute(update(Assignment).where(Assignment.location_id == first).values(eta=eta))
    assert dt.datetime.fromisoformat(_stop(services, "alpha1", first)["eta"]) == eta
    assert _stop(services, "alpha1", field_day.alpha_stops[1])["eta"] is None
