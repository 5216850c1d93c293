"""The planning API, run sheets and page trees through the Flask app (signed-in test clients)."""

from __future__ import annotations

import csv
import io

from flask import g

from dashboard.access import Principal
from dashboard.pages.board.layout import layout as board_layout
from dashboard.pages.planning.ids import STATUS_FORM, Ids
from dashboard.pages.planning.layout import layout as planning_layout

from .conftest import MONDAY, add_premises, add_team

TUESDAY = "2026-12-01"


def _svc(app):
    return app.extensions["opsmap"]


def test_api001_roles_on_teams(app, client_as) -> None:
    analyst, commander = client_as("analyst"), client_as("commander")
    body = {
        "call_sign": "Alpha 1",
        "division": "South",
        "start_lon": -2.7035,
        "start_lat": 53.759,
        "partners": ["council licensing"],
        "daily_capacity": 5,
    }
    assert analyst.post("/api/teams", json=body).status_code == 403
    assert app.test_client().get("/api/teams").status_code in (401, 302)
    created = commander.post("/api/teams", json=body)
    assert created.status_code == 201, created.json
    assert created.json["partners"] == ["council licensing"]
    listing = analyst.get("/api/teams").json["teams"]
    assert [t["call_sign"] for t in listing] == ["Alpha 1"]
    assert commander.post("/api/teams", json=body).status_code == 422
    assert commander.post("/api/teams", json={"call_sign": "x"}).status_code == 400


def test_api002_assign_move_conflict_status_board(app, client_as) -> None:
    svc = _svc(app)
    ids = add_premises(svc, "preston", 3)
    alpha = add_team(svc, "Alpha 1")
    bravo = add_team(svc, "Bravo 2")
    a, b = client_as("commander"), client_as("commander")
    made = a.post(
        "/api/assignments",
        json={"location_id": ids[0], "version": 1, "team_id": alpha, "day": MONDAY.isoformat()},
    )
    assert made.status_code == 201, made.json
    assignment = made.json
    assert assignment["location_version"] == 2
    # Same location, same version, second commander: 409 naming the first change.
    late = b.post(
        "/api/assignments",
        json={"location_id": ids[0], "version": 1, "team_id": bravo, "day": TUESDAY},
    )
    assert late.status_code == 409
    assert late.json["current_version"] == 2
    moved = a.patch(
        f"/api/assignments/{assignment['id']}",
        json={"version": 1, "team_id": bravo, "day": TUESDAY, "reason": "closer"},
    )
    assert moved.status_code == 200, moved.json
    stale = b.patch(f"/api/assignments/{assignment['id']}", json={"version": 1, "position": 0})
    assert stale.status_code == 409
    assert "Bravo 2" in stale.json["message"]
    assert stale.json["changed_by"].startswith("commander-")
    # Status along the lifecycle, refused skip, closing with an outcome.
    loc = ids[0]
    assert (
        a.post(f"/api/locations/{loc}/status", json={"status": "visited", "version": 3}).status_code
        == 422
    )
    r = a.post(f"/api/locations/{loc}/status", json={"status": "in_progress", "version": 3})
    assert r.status_code == 200, r.json
    r = a.post(f"/api/locations/{loc}/status", json={"status": "visited", "version": 4})
    assert r.json["version"] == 5
    r = a.post(
        f"/api/locations/{loc}/status",
        json={
            "status": "actioned",
            "version": 5,
            "outcome": "actioned",
            "results": {"safeguarded": 3},
        },
    )
    assert r.json["status"] == "actioned"
    assert (
        b.post(f"/api/locations/{loc}/status", json={"status": "planned", "version": 5}).status_code
        == 409
    )
    board = client_as("analyst").get("/api/board?left=week").json
    assert board["totals"]["done"] == 1
    assert board["results"]["safeguarded"] == 3
    assert board["left"] == []
    # Unassign a second location.
    made = a.post(
        "/api/assignments",
        json={"location_id": ids[1], "version": 1, "team_id": alpha, "day": MONDAY.isoformat()},
    ).json
    assert a.delete(f"/api/assignments/{made['id']}?version=2").status_code == 409
    assert a.delete(f"/api/assignments/{made['id']}", json={"version": 1}).status_code == 200
    assert (
        client_as("analyst").delete(f"/api/assignments/{made['id']}?version=1").status_code == 403
    )


def test_api003_runsheets_carry_the_marking(app, client_as) -> None:
    svc = _svc(app)
    ids = add_premises(svc, "blackpool", 3)
    alpha = add_team(svc, "Alpha 1", "blackpool")
    c = client_as("commander")
    for i in ids:
        c.post(
            "/api/assignments",
            json={
                "location_id": i,
                "version": 1,
                "team_id": alpha,
                "day": MONDAY.isoformat(),
                "safety_note": "dog on premises",
            },
        )
    marking = svc.config.marking
    page = c.get(f"/runsheets/{alpha}/{MONDAY.isoformat()}.html")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert text.count(marking) >= 2
    assert "dog on premises" in text and "HIGH RISK" in text
    assert "http://" not in text and "https://" not in text
    pdf = c.get(f"/runsheets/{alpha}/{MONDAY.isoformat()}.pdf")
    assert pdf.data.startswith(b"%PDF")
    sheet = c.get(f"/runsheets/{alpha}/{MONDAY.isoformat()}.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(sheet)))
    assert rows[0] == [marking] and rows[-1] == [marking]
    assert rows[2][:6] == ["stop", "arrive", "leave", "window", "location_id", "reference"]
    assert len(rows) == 3 + 3 + 1
    assert rows[3][1:4] == ["", "", "09:00-18:00"]  # planned by hand: not timed yet
    assert rows[3][8].startswith("SD ")  # Blackpool is in the SD 100 km square
    assert c.get(f"/runsheets/{alpha}/{MONDAY.isoformat()}.exe").status_code == 404
    assert (
        client_as("briefing").get(f"/runsheets/{alpha}/{MONDAY.isoformat()}.csv").status_code == 403
    )


def test_api004_page_trees(app) -> None:
    with app.test_request_context("/planning"):
        g.principal = Principal("cmdr", "commander")
        tree = planning_layout()
        text = str(tree)
    for wanted in (Ids.MAP, Ids.GRID, Ids.ASSIGN, Ids.SUGGEST, Ids.STOPS, STATUS_FORM.save):
        assert f"'{wanted}'" in text
    with app.test_request_context("/board"):
        g.principal = Principal("analyst1", "analyst")
        text = str(board_layout())
    assert "brd-left-scope" in text and "brd-by-district" in text
