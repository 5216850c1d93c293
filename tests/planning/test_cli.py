"""Planning CLI: teams, the suggested plan in time, a day's plan and a run sheet (SQLite)."""

from __future__ import annotations

import json

import pytest

from app import main
from layers.services import Services

from .conftest import MONDAY, add_premises


@pytest.fixture
def env(sqlite_services: Services, monkeypatch: pytest.MonkeyPatch) -> Services:
    config = sqlite_services.config
    monkeypatch.setenv("DATABASE_URL", config.database_url)
    monkeypatch.setenv("OPSMAP_INSTANCE", str(config.instance_dir))
    monkeypatch.setenv("OPSMAP_CACHE_DIR", str(config.cache_dir))
    monkeypatch.setenv("OPSMAP_SECRET_KEY", config.secret_key)
    monkeypatch.setenv("OPSMAP_PHONE_KEY", config.phone_key)
    if config.boundaries_path:
        monkeypatch.setenv("OPSMAP_BOUNDARIES", str(config.boundaries_path))
    return sqlite_services


def test_cli001_teams_suggest_accept_runsheet(env, capsys, tmp_path) -> None:
    ids = add_premises(env, "preston", 5)
    assert (
        main(
            [
                "teams",
                "add",
                "Alpha 1",
                "--division",
                "South",
                "--start=-2.7035,53.759",
                "--capacity",
                "3",
                "--partner",
                "fire service",
            ]
        )
        == 0
    )
    assert main(["teams", "list", "--json"]) == 0
    out = capsys.readouterr().out
    teams = json.loads(out[out.index("[") :])
    assert teams[0]["partners"] == ["fire service"]
    assert main(["plan", "suggest", "--json", "--accept"]) == 0
    captured = capsys.readouterr()
    placements = json.loads(captured.out)["plan"]
    assert {p["location_id"] for p in placements} == set(ids)
    assert all(p["eta"] < p["etd"] for p in placements)
    assert "accepted 5" in captured.err
    day = min(p["day"] for p in placements)
    assert main(["plan", "day", "--day", day, "--json"]) == 0
    (alpha,) = json.loads(capsys.readouterr().out)["teams"]
    assert alpha["shift"]["start"].startswith(f"{day}T08:00")
    stops = alpha["stops"]
    assert stops and all(s["eta"] and s["window_from"] == "09:00" for s in stops)
    assert [s["eta"] for s in stops] == sorted(s["eta"] for s in stops)
    out_file = tmp_path / "sheet.csv"
    assert (
        main(["runsheet", "Alpha 1", "--day", day, "--format", "csv", "--out", str(out_file)]) == 0
    )
    text = out_file.read_text(encoding="utf-8-sig")
    assert text.startswith(env.config.marking)
    assert main(["plan", "week", "--name", "Op Aidant", "--start", "2026-12-07"]) == 0
    assert "Mon 07 Dec to Sun 13 Dec 2026" in capsys.readouterr().out
    assert main(["runsheet", "Nobody", "--day", MONDAY.isoformat(), "--out", str(out_file)]) == 1
