"""The field page and API over HTTP: a team's phone, a commander's board, and the refusals."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from layers.field.clock import ManualClock
from layers.services import Services
from tests.field.conftest import DAY, TEN_AM, FieldDay, plan_day


def _signed_in(app: Flask, username: str, password: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 303 and response.headers["Location"] == "/field"
    return client


def _day(app: Flask) -> tuple[FieldDay, FlaskClient]:
    svc: Services = app.extensions["opsmap"]
    day = plan_day(svc, DAY, ManualClock(TEN_AM))
    return day, _signed_in(app, "alpha1", "a-long-test-password-1")


def test_fld030_page_is_light_same_origin_and_strict_csp(app: Flask) -> None:
    _unused, phone = _day(app)
    page = phone.get("/field")
    assert page.status_code == 200 and b"/field/static/field.js" in page.data
    assert b"<script>" not in page.data and b"http" not in page.data.lower()
    policy = page.headers["Content-Security-Policy"]
    script_src = next(p for p in policy.split("; ") if p.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    total = len(page.data)
    for name in ("field.js", "field.css"):
        asset = phone.get(f"/field/static/{name}")
        assert asset.status_code == 200
        assert b"http://" not in asset.data and b"https://" not in asset.data
        total += len(asset.data)
    worker = phone.get("/field/sw.js")
    assert worker.headers["Service-Worker-Allowed"] == "/field"
    total += len(worker.data)
    assert total < 300_000
    assert phone.get("/field/static/__init__.py").status_code == 404


def test_fld031_team_api_gives_own_stops_and_applies_queue_once(app: Flask) -> None:
    day, phone = _day(app)
    stops = phone.get("/api/field/stops").get_json()
    assert stops["team"] == "ALPHA1" and stops["grace_minutes"] == 15
    assert [s["location_id"] for s in stops["stops"]] == day.alpha_stops
    first = stops["stops"][0]
    now = TEN_AM.isoformat()
    queue = [
        {"key": "k-http-arr1", "location_id": first["location_id"], "kind": "arrived",
         "version": first["version"], "done_at": now},
        {"key": "k-http-done", "location_id": first["location_id"], "kind": "done",
         "after": "k-http-arr1", "outcome": "no_trace", "done_at": now},
        {"key": "k-http-othr", "location_id": day.bravo_stops[0], "kind": "arrived",
         "version": 2, "done_at": now},
        {"key": "bad"},
    ]
    answers = phone.post("/api/field/actions", json={"actions": queue}).get_json()["results"]
    assert [a["state"] for a in answers] == ["applied", "applied", "refused", "invalid"]
    assert "no stop" in answers[2]["message"]
    again = phone.post("/api/field/actions", json={"actions": queue[:2]}).get_json()["results"]
    assert again == answers[:2]
    assert phone.post("/api/field/actions", json={"actions": []}).status_code == 400


def test_fld032_team_role_refused_commander_routes(app: Flask) -> None:
    _unused, phone = _day(app)
    for path in ("/api/field/board", "/api/teams", "/api/locations", "/api/board"):
        assert phone.get(path).status_code in (403, 404), path
    assert phone.post("/api/field/alerts/1/ack", json={"note": "x"}).status_code == 403


def test_fld033_commander_board_sees_overdue_and_acknowledges(
    app: Flask, client_as: Callable[[str], FlaskClient]
) -> None:
    day, phone = _day(app)
    first = day.alpha_stops[0]
    phone.post("/api/field/actions", json={"actions": [
        {"key": "k-late-arr1", "location_id": first, "kind": "arrived", "version": 2,
         "done_at": TEN_AM.isoformat()}]})
    commander = client_as("commander")
    assert commander.get("/field").status_code == 403
    day.clock.advance(59)
    assert commander.get("/api/field/board").get_json()["alerts"] == []
    day.clock.advance(1)
    board = commander.get("/api/field/board").get_json()
    (alert,) = board["alerts"]
    assert alert["call_sign"] == "ALPHA1"
    ack = commander.post(f"/api/field/alerts/{alert['id']}/ack", json={"note": ""})
    assert ack.status_code == 422
    ack = commander.post(f"/api/field/alerts/{alert['id']}/ack", json={"note": "Rang: safe"})
    assert ack.status_code == 200
    assert commander.get("/api/field/board").get_json()["alerts"] == []
    assert client_as("analyst").post(
        f"/api/field/alerts/{alert['id']}/ack", json={"note": "x"}).status_code == 403
