"""The CLI as an operator uses it: help, check, migrations and the demo week."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from layers.core.demo import build_demo, monday_of
from layers.core.models import Location
from tests.conftest import run_cli


def test_cli001_help_lists_the_commands(cli_env):
    out = run_cli("--help", env=cli_env)
    assert out.returncode == 0
    for command in ("run", "check", "seed-demo", "db"):
        assert command in out.stdout


def test_cli002_check_says_what_is_wrong_then_ok(cli_env, tmp_path):
    missing = dict(cli_env, OPSMAP_BOUNDARIES=str(tmp_path / "nowhere.geojson"))
    bad = run_cli("check", env=missing)
    assert bad.returncode == 1
    assert "boundaries: PROBLEM" in bad.stdout and "OPSMAP_BOUNDARIES" in bad.stdout
    assert "migrations pending" in bad.stdout
    assert run_cli("db", "upgrade", env=cli_env).returncode == 0
    good = run_cli("check", env=cli_env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "boundaries: ok, 14 districts" in good.stdout


def test_cli005_unmigrated_database_gets_a_sentence_not_a_traceback(cli_env):
    for args in (("seed-demo",), ("import", "--help"), ("users", "list")):
        out = run_cli(*args, env=cli_env)
        if args[-1] == "--help":
            assert out.returncode == 0
            continue
        assert out.returncode == 1
        assert "Traceback" not in out.stderr
        assert "db upgrade" in out.stderr and "first" in out.stderr


def test_cli006_opsmap_script_is_installed_with_the_same_commands():
    script = Path(sys.executable).with_name("opsmap")
    if not script.exists():
        pytest.fail("the opsmap console script is not installed in the venv (make venv)")
    out = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "seed-demo" in out.stdout


def test_cli003_seed_demo_once_and_only_into_an_empty_store(cli_env):
    assert run_cli("db", "upgrade", env=cli_env).returncode == 0
    first = run_cli("seed-demo", "--if-empty", env=cli_env)
    assert first.returncode == 0, first.stderr
    assert "premises" in first.stdout and "synthetic" in first.stdout
    again = run_cli("seed-demo", "--if-empty", env=cli_env)
    assert "nothing changed" in again.stdout


def test_cli004_demo_week_is_deterministic_and_covers_all_districts(sqlite_services):
    svc = sqlite_services
    week = monday_of(__import__("datetime").date(2026, 11, 25))
    a = build_demo(svc.postcodes, svc.districts, week, "key")
    b = build_demo(svc.postcodes, svc.districts, week, "key")
    assert a["premises"]["ref"].tolist() == b["premises"]["ref"].tolist()
    assert a["adverts"]["lon"].equals(b["adverts"]["lon"])
    premises = a["premises"]
    assert 140 <= len(premises) <= 160
    assert set(premises["district_code"]) == set(svc.boundaries["code"])  # all 14 districts
    assert len(a["tipoffs"]) == 600 and len(a["adverts"]) == 5000
    observed = a["tipoffs"]["observed_at"].dt.tz_convert("Europe/London").dt.date
    assert observed.min() >= week and observed.nunique() == 7
    # Circuits: some phone numbers are used in several districts.
    ads = a["adverts"]
    spread = ads.groupby("phone_hash")["district_code"].nunique()
    assert (spread >= 3).sum() >= 5
    assert (ads["accuracy_m"] > 1000).any()  # some coarse geotags
    with svc.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Location)) == 0
