"""``python app.py public ...`` as an operator (or a hold-out check) runs it, on the demo week."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from layers.core.clock import today_local
from layers.core.demo import monday_of
from layers.core.models import Location
from tests.conftest import run_cli
from tests.public.test_demo_week import assert_public_files


@pytest.fixture
def cli_env(cli_env: dict[str, str]) -> dict[str, str]:
    """The shared CLI environment, with the deployment's own public k left out."""
    env = dict(cli_env)
    env.pop("OPSMAP_PUBLIC_K", None)
    return env


@pytest.mark.slow
def test_pub070_cli_draft_approve_export_from_the_demo_week(cli_env: dict[str, str],
                                                            tmp_path: Path) -> None:
    monday = monday_of(today_local())
    sunday = monday + dt.timedelta(days=6)
    assert run_cli("db", "upgrade", env=cli_env).returncode == 0
    assert run_cli("seed-demo", "--week-start", monday.isoformat(), env=cli_env).returncode == 0
    for name, role in (("alice", "commander"), ("bob", "admin"), ("ann", "analyst")):
        added = run_cli("users", "add", name, "--role", role, "--password-stdin", env=cli_env,
                        stdin="a long enough password\n")
        assert added.returncode == 0, added.stderr
    period = ("--from", monday.isoformat(), "--to", sunday.isoformat())
    nobody = run_cli("public", "draft", *period, "--user", "zed", env=cli_env)
    assert nobody.returncode == 1 and "has no OpsMap account" in nobody.stderr
    analyst = run_cli("public", "draft", *period, "--user", "ann", env=cli_env)
    assert analyst.returncode == 1 and "commanders and admins" in analyst.stderr
    drafted = run_cli("public", "draft", *period, "--scope", "division", "--user", "alice",
                  "--json", env=cli_env)
    assert drafted.returncode == 0, drafted.stderr
    draft = json.loads(drafted.stdout)
    assert {"id", "figures", "texts", "checks"} <= set(draft)
    assert draft["status"] == "draft" and draft["level"] == "division"
    assert any(c["outcome"] == "held back" for c in draft["checks"])
    uid = str(draft["id"])
    out = tmp_path / "export"
    early = run_cli("public", "export", uid, "--out", str(out), env=cli_env)
    assert early.returncode == 1 and "only an approved update" in early.stderr
    assert not out.exists()
    own = run_cli("public", "approve", uid, "--user", "alice", env=cli_env)
    assert own.returncode == 1 and "second person" in own.stderr
    approved = run_cli("public", "approve", uid, "--user", "bob", "--note", "checked", env=cli_env)
    assert approved.returncode == 0, approved.stderr
    exported = run_cli("public", "export", uid, "--out", str(out), env=cli_env)
    assert exported.returncode == 0, exported.stderr
    engine = create_engine(f"sqlite:///{tmp_path / 'instance' / 'opsmap.sqlite3'}")
    with engine.connect() as conn:
        rows = conn.execute(select(Location.ref, Location.postcode)).all()
    engine.dispose()
    assert_public_files(out, {r for r, _ in rows if r}, {p for _, p in rows if p})
    listing = run_cli("public", "list", env=cli_env)
    assert f"#{uid}" in listing.stdout and "approved by bob" in listing.stdout
