"""Planning in time through the API, on SQLite and PostgreSQL: teams with shifts, windows on
premises, suggest, accept, every ETA inside its window and its team's shift; re-planning a day
after a postponed visit, and a stale re-plan refused."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from layers.core.models import Operation
from layers.services import Services

from .conftest import MONDAY, add_premises

DAY = MONDAY.isoformat()
SUGGEST = {"days": [DAY], "accept": True, "threshold": 0}


@pytest.fixture
def timed_app(services: Services) -> Iterator[Flask]:
    """The app on the parametrised store, with an operation over the test week."""
    from app import create_app

    with services.db.write() as s:
        s.add(Operation(name="Op Time", start_date=MONDAY,
                        end_date=MONDAY + dt.timedelta(days=6), is_demo=False))
    yield create_app(services.config)


@pytest.fixture
def commander(timed_app: Flask) -> FlaskClient:
    from layers.accounts import create_user

    svc: Services = timed_app.extensions["opsmap"]
    password = secrets.token_urlsafe(16)
    with svc.db.write() as session:
        create_user(session, "commander-t", "commander", password)
    client = timed_app.test_client()
    done = client.post("/login", data={"username": "commander-t", "password": password})
    assert done.status_code in (302, 303)
    return client


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def inside(eta: dt.datetime, etd: dt.datetime, start: str, end: str) -> bool:
    """Whether [eta, etd] lies inside the daily window start-end (which may cross midnight)."""
    opens = eta.replace(hour=0, minute=0, second=0) + dt.timedelta(minutes=_minutes(start))
    if eta < opens:  # the part of yesterday's window that runs past midnight
        opens -= dt.timedelta(days=1)
    length = (_minutes(end) - _minutes(start)) % (24 * 60) or 24 * 60
    return opens <= eta and etd <= opens + dt.timedelta(minutes=length)


def _setup(client: FlaskClient, svc: Services) -> dict[str, list[int]]:
    day_team = client.post("/api/teams", json={
        "call_sign": "Alpha 1", "division": "South", "base_postcode": "PR1 2RH",
        "shift_start": "08:00", "shift_end": "16:00", "break_minutes": 30, "members": 3,
        "skills": ["interpreter: Romanian"], "daily_capacity": 12})
    assert day_team.status_code == 201, day_team.json
    assert day_team.json["skills"] == ["interpreter: Romanian"]
    night = client.post("/api/teams", json={
        "call_sign": "Night 1", "division": "South", "base_lon": -2.6310, "base_lat": 53.6530,
        "shift_start": "20:00", "shift_end": "04:00", "break_minutes": 0})
    assert night.status_code == 201, night.json
    ids = {"day": add_premises(svc, "preston", 5, risk="low", seed=1),
           "late": add_premises(svc, "chorley", 2, seed=2),
           "skill": add_premises(svc, "leyland", 1, seed=3)}
    for loc in ids["late"]:  # a flat visited late in the evening, past midnight
        r = client.patch(f"/api/locations/{loc}/visit", json={
            "window_from": "22:30", "window_until": "01:30", "duration_minutes": 50})
        assert r.status_code == 200, r.json
    r = client.patch(f"/api/locations/{ids['day'][0]}/visit",
                     json={"skills": ["interpreter: Romanian"], "duration_minutes": 120})
    assert r.status_code == 200 and r.json["skills"] == ["interpreter: Romanian"]
    r = client.patch(f"/api/locations/{ids['skill'][0]}/visit", json={"skills": ["warrant"]})
    assert r.status_code == 200
    return ids


def test_tap001_suggest_accept_every_eta_in_window_and_shift(commander, timed_app) -> None:
    svc: Services = timed_app.extensions["opsmap"]
    ids = _setup(commander, svc)
    answer = commander.post("/api/plan/suggest", json=SUGGEST)
    assert answer.status_code == 200, answer.json
    left = {u["location_id"]: u for u in answer.json["unplanned"]}
    assert left[ids["skill"][0]]["reason"] == "skill"
    assert "warrant" in left[ids["skill"][0]]["detail"]
    assert sorted(answer.json["done"]) == sorted(ids["day"] + ids["late"])
    plan = commander.get(f"/api/plan?day={DAY}")
    assert plan.status_code == 200, plan.json
    teams = {t["call_sign"]: t for t in plan.json["teams"]}
    assert [s["location_id"] for s in teams["Night 1"]["stops"]] != []
    assert {s["location_id"] for s in teams["Night 1"]["stops"]} == set(ids["late"])
    assert ids["day"][0] in {s["location_id"] for s in teams["Alpha 1"]["stops"]}
    for team in teams.values():
        shift_start = dt.datetime.fromisoformat(team["shift"]["start"])
        shift_end = dt.datetime.fromisoformat(team["shift"]["end"])
        assert shift_end > shift_start
        assert team["shift_left_minutes"] >= 0
        for stop in team["stops"]:
            eta = dt.datetime.fromisoformat(stop["eta"])
            etd = dt.datetime.fromisoformat(stop["etd"])
            assert eta.utcoffset() is not None
            assert shift_start <= eta < etd <= shift_end
            assert etd - eta == dt.timedelta(minutes=stop["duration_minutes"])
            assert inside(eta, etd, stop["window_from"], stop["window_until"]), stop
    night_etas = [dt.datetime.fromisoformat(s["eta"]) for s in teams["Night 1"]["stops"]]
    assert all(e.hour >= 22 or e.hour < 2 for e in night_etas)


def test_tap002_replan_after_postponement_and_stale_replan(commander, timed_app) -> None:
    svc: Services = timed_app.extensions["opsmap"]
    _setup(commander, svc)
    commander.post("/api/plan/suggest", json=SUGGEST)
    alpha = next(t for t in commander.get(f"/api/plan?day={DAY}").json["teams"]
                 if t["call_sign"] == "Alpha 1")
    first, second = alpha["stops"][0], alpha["stops"][1]
    # The first visit started on time and runs long; the second is postponed.
    r = commander.post(f"/api/locations/{first['location_id']}/status",
                       json={"status": "in_progress", "version": first["version"]})
    assert r.status_code == 200, r.json
    r = commander.post(f"/api/locations/{second['location_id']}/status",
                       json={"status": "in_progress", "version": second["version"]})
    r = commander.post(f"/api/locations/{second['location_id']}/status",
                       json={"outcome": "postponed", "version": r.json["version"]})
    assert r.status_code == 200, r.json
    now = dt.datetime.fromisoformat(first["etd"]) + dt.timedelta(minutes=40)
    team_id = alpha["team_id"]
    proposal = commander.post("/api/plan/replan", json={
        "team_id": team_id, "day": DAY, "now": now.isoformat()})
    assert proposal.status_code == 200, proposal.json
    body = proposal.json
    assert body["postponed"] == [second["location_id"]]
    stops = body["stops"]
    assert stops[0]["location_id"] == first["location_id"] and stops[0]["fixed"]
    assert dt.datetime.fromisoformat(stops[0]["etd"]) == now  # held until now: it ran long
    assert second["location_id"] not in {s["location_id"] for s in stops}
    for stop in stops[1:]:
        assert dt.datetime.fromisoformat(stop["eta"]) >= now
    accept = {k: body[k] for k in ("team_id", "day", "based_on", "stops")}
    assert commander.post("/api/plan/replan/accept", json=accept).status_code == 200
    again = commander.post("/api/plan/replan/accept", json=accept)
    assert again.status_code == 409, again.json
    after = next(t for t in commander.get(f"/api/plan?day={DAY}").json["teams"]
                 if t["team_id"] == team_id)
    by_location = {s["location_id"]: s for s in after["stops"]}
    assert by_location[second["location_id"]]["eta"] is None
    assert after["stops"][-1]["location_id"] == second["location_id"]


def test_tap003_bad_input_answers_400_or_422(commander, timed_app) -> None:
    svc: Services = timed_app.extensions["opsmap"]
    loc = add_premises(svc, "preston", 1)[0]
    bad = {"call_sign": "B 1", "division": "South", "base_lon": -2.7, "base_lat": 53.7}
    assert commander.post("/api/teams", json={**bad, "shift_start": "25:00"}).status_code == 400
    assert commander.post("/api/teams", json={**bad, "skills": "warrant"}).status_code == 400
    assert commander.post("/api/teams", json={**bad, "shift_start": "08:00",
                                              "shift_end": "08:00"}).status_code == 422
    assert commander.post("/api/teams", json={
        **bad, "base_postcode": "ZZ9 9ZZ"}).status_code in (400, 422)
    visit = f"/api/locations/{loc}/visit"
    assert commander.patch(visit, json={"window_from": "10:00"}).status_code == 400
    assert commander.patch(visit, json={"duration_minutes": 0}).status_code == 400
    too_short = commander.patch(visit, json={"window_from": "10:00", "window_until": "10:30",
                                             "duration_minutes": 45})
    assert too_short.status_code == 422 and "shorter" in too_short.json["error"]
    assert commander.patch("/api/locations/999999/visit",
                           json={"duration_minutes": 30}).status_code == 404
    assert commander.post("/api/plan/suggest", json={"days": []}).status_code == 400
    assert commander.post("/api/plan/suggest", json={"days": ["2027-01-01"]}).status_code == 404
    assert commander.get("/api/plan?day=tuesday").status_code == 400


def test_tap004_roles(timed_app, commander) -> None:
    from layers.accounts import create_user

    svc: Services = timed_app.extensions["opsmap"]
    with svc.db.write() as session:
        create_user(session, "analyst-t", "analyst", "analyst-pass-123456")
    analyst = timed_app.test_client()
    analyst.post("/login", data={"username": "analyst-t", "password": "analyst-pass-123456"})
    assert analyst.get(f"/api/plan?day={DAY}").status_code == 200
    assert analyst.post("/api/plan/suggest", json={"days": [DAY]}).status_code == 403
    assert analyst.patch("/api/teams/1", json={"break_minutes": 30}).status_code == 403
    assert timed_app.test_client().get(f"/api/plan?day={DAY}").status_code in (302, 401)


def test_tap005_patch_team_moves_base_and_checks_version(commander, timed_app) -> None:
    made = commander.post("/api/teams", json={
        "call_sign": "Alpha 2", "division": "South", "base_postcode": "PR1 2RH"})
    team = made.json
    moved = commander.patch(f"/api/teams/{team['id']}", json={
        "version": team["version"], "base_lon": -2.631, "base_lat": 53.653,
        "shift_start": "20:00", "shift_end": "04:00", "break_minutes": 45,
        "skills": ["warrant", "warrant", " safeguarding  lead "]})
    assert moved.status_code == 200, moved.json
    assert moved.json["start_lon"] == pytest.approx(-2.631)
    assert moved.json["skills"] == ["safeguarding lead", "warrant"]
    assert (moved.json["shift_start"], moved.json["shift_end"]) == ("20:00", "04:00")
    stale = commander.patch(f"/api/teams/{team['id']}",
                            json={"version": team["version"], "break_minutes": 10})
    assert stale.status_code == 409



