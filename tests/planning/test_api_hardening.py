"""Issue 10 items 3 and 14 for the planning and core APIs: hostile call signs cannot shape a
download or break it, every run sheet page forbids script, and malformed JSON is a 400."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import numpy as np
from werkzeug.http import parse_options_header

from app import main
from geodata.crs import to_bng
from layers.core.models import Operation
from layers.planning.models import Team

from .conftest import MONDAY, add_premises, add_team

INJECTION = "Alpha\";filename*=UTF-8''runsheet.html;x=\""
WEEK = (MONDAY, MONDAY + dt.timedelta(days=6))


def _svc(app):
    return app.extensions["opsmap"]


def _week(svc) -> None:
    with svc.db.write() as s:
        s.add(Operation(name="Op Test", start_date=WEEK[0], end_date=WEEK[1], is_demo=False))


def _legacy_team(svc, call_sign: str) -> int:
    """A team stored before call signs were checked (straight into the table)."""
    e, n = to_bng(np.array([-3.05]), np.array([53.817]))
    with svc.db.write() as s:
        team = Team(
            call_sign=call_sign,
            division="West",
            start_lon=-3.05,
            start_lat=53.817,
            start_easting=float(e[0]),
            start_northing=float(n[0]),
            created_by="old",
        )
        s.add(team)
        s.flush()
        return team.id


def _plan(client, svc, team_id: int, note: str) -> None:
    (loc,) = add_premises(svc, "blackpool", 1)
    made = client.post(
        "/api/assignments",
        json={
            "location_id": loc,
            "version": 1,
            "team_id": team_id,
            "day": MONDAY.isoformat(),
            "safety_note": note,
        },
    )
    assert made.status_code == 201, made.json


def test_hrd001_a_hostile_call_sign_cannot_name_the_download(app, client_as) -> None:
    svc = _svc(app)
    _week(svc)
    commander = client_as("commander")
    team_id = _legacy_team(svc, INJECTION)
    _plan(commander, svc, team_id, "<script>alert('note')</script> dog on premises")
    sheet = commander.get(f"/runsheets/{team_id}/{MONDAY.isoformat()}.csv")
    assert sheet.status_code == 200
    header = sheet.headers["Content-Disposition"]
    kind, params = parse_options_header(header)
    assert kind == "attachment"
    assert params == {"filename": "runsheet-Alpha_filename_UTF-8_runsheet_html_x-2026-11-30.csv"}
    assert "filename*" not in header and header.count(";") == 1
    pdf = commander.get(f"/runsheets/{team_id}/{MONDAY.isoformat()}.pdf")
    assert parse_options_header(pdf.headers["Content-Disposition"])[1]["filename"].endswith(".pdf")
    # A line break stored in a call sign gives a download, not a 500.
    broken = _legacy_team(svc, "Bravo\r\nSet-Cookie: x=1")
    answer = commander.get(f"/runsheets/{broken}/{MONDAY.isoformat()}.csv")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == (
        "attachment; filename=runsheet-Bravo_Set-Cookie_x_1-2026-11-30.csv"
    )
    assert "Set-Cookie" not in {k for k, _v in answer.headers}


def test_hrd002_every_run_sheet_page_forbids_script(app, client_as, tmp_path) -> None:
    svc = _svc(app)
    _week(svc)
    commander = client_as("commander")
    team_id = add_team(svc, "Alpha 1", "blackpool")
    _plan(commander, svc, team_id, "<img src=x onerror=alert(1)>")
    page = commander.get(f"/runsheets/{team_id}/{MONDAY.isoformat()}.html").get_data(as_text=True)
    policy = re.search(r"http-equiv='Content-Security-Policy' content=\"([^\"]+)\"", page)
    assert policy, page[:400]
    rules = html.unescape(policy.group(1))
    assert "script-src 'none'" in rules and "default-src 'none'" in rules
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script" not in page


def test_hrd003_call_signs_are_checked_at_every_door(app, client_as) -> None:
    commander = client_as("commander")
    body = {"division": "West", "start_lon": -3.05, "start_lat": 53.817}
    for hostile, said in (
        (INJECTION, "letters, digits, spaces"),
        ("Alpha\r\nX-Injected: 1", "line breaks"),
        ("A" * 41, "at most 40"),
    ):
        answer = commander.post("/api/teams", json={**body, "call_sign": hostile})
        assert answer.status_code == 400, (hostile, answer.status_code, answer.json)
        assert said in answer.json["error"]
    assert commander.get("/api/teams").json["teams"] == []
    assert commander.post("/api/teams", json={**body, "call_sign": "Alpha 1"}).status_code == 201


def test_hrd004_strict_json_is_400_with_a_message(app, client_as) -> None:
    svc = _svc(app)
    (loc,) = add_premises(svc, "preston", 1)
    alpha = add_team(svc, "Alpha 1")
    c = client_as("commander")
    cases = [
        ("patch", f"/api/locations/{loc}", {"status": "planned", "version": True}, "whole number"),
        (
            "post",
            f"/api/locations/{loc}/status",
            {"status": "planned", "version": 10**30},
            "between",
        ),
        (
            "post",
            f"/api/locations/{loc}/status",
            {"status": "planned", "version": 1.0},
            "whole number",
        ),
        ("post", f"/api/locations/{loc}/status", {"status": ["planned"], "version": 1}, "text"),
        (
            "post",
            f"/api/locations/{loc}/status",
            {"status": "planned", "version": 1, "note": {"x": 1}},
            "note must be text",
        ),
        (
            "post",
            "/api/assignments",
            {"location_id": loc, "version": 1, "team_id": alpha, "day": 20261130},
            "YYYY-MM-DD",
        ),
        (
            "post",
            "/api/assignments",
            {"location_id": 2**40, "version": 1, "team_id": alpha, "day": MONDAY.isoformat()},
            "between",
        ),
        (
            "post",
            "/api/teams",
            {"call_sign": "X", "division": "West", "start_lon": True, "start_lat": 53.8},
            "start_lon",
        ),
        (
            "post",
            "/api/teams",
            {
                "call_sign": "X",
                "division": "West",
                "start_lon": -3.0,
                "start_lat": 53.8,
                "daily_capacity": 10**12,
            },
            "between",
        ),
    ]
    for method, url, body, said in cases:
        answer = getattr(c, method)(url, json=body)
        assert answer.status_code == 400, (url, body, answer.status_code)
        assert said in answer.json["error"], (body, answer.json)
    # Results beyond what JSON numbers hold, and a non-object body.
    inf = c.post(
        f"/api/locations/{loc}/status",
        data='{"status": "planned", "version": 1, "results": {"arrests": 1e400}}',
        content_type="application/json",
    )
    assert inf.status_code == 400 and "whole number" in inf.json["error"]
    for raw in ('"x"', "x", "[1, 2]", "null"):
        answer = c.delete("/api/assignments/1", data=raw, content_type="application/json")
        assert answer.status_code == 400, (raw, answer.status_code)
        assert "JSON object" in answer.json["error"]
    too_big = c.patch(
        "/api/locations/99999999999999999999", json={"status": "planned", "version": 1}
    )
    assert too_big.status_code == 404
    assert c.get("/api/history.csv?location=99999999999999999999").status_code == 400
    # Nothing above changed the location.
    ok = c.post(f"/api/locations/{loc}/status", json={"status": "planned", "version": 1})
    assert ok.status_code == 200 and ok.json["version"] == 2


def test_hrd005_cli_refuses_a_hostile_call_sign(sqlite_services, monkeypatch, capsys) -> None:
    config = sqlite_services.config
    for name, value in (
        ("DATABASE_URL", config.database_url),
        ("OPSMAP_INSTANCE", str(config.instance_dir)),
        ("OPSMAP_CACHE_DIR", str(config.cache_dir)),
        ("OPSMAP_SECRET_KEY", config.secret_key),
        ("OPSMAP_PHONE_KEY", config.phone_key),
        ("OPSMAP_BOUNDARIES", str(config.boundaries_path)),
    ):
        monkeypatch.setenv(name, value)
    args = ["teams", "add", INJECTION, "--division", "West", "--start=-3.05,53.817"]
    assert main(args) == 1
    assert "letters, digits, spaces" in capsys.readouterr().err
    assert main(["teams", "list", "--json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out[out.index("[") :]) == []
