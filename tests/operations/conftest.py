"""Operations tests: the demo week with plans, accounts and logged changes; a second database."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from layers import schema  # noqa: F401 - every table in Base.metadata
from layers.accounts import create_token, create_user
from layers.core.demo import seed_demo
from layers.core.models import Base, Location
from layers.core.status import PLANNED
from layers.planning.assignments import assign
from layers.planning.status_changes import set_status
from layers.planning.teams import TeamSpec, create_team
from layers.services import Services
from tests.conftest import make_config

MONDAY = dt.date(2026, 11, 30)
COMPARED = (
    "locations",
    "location_history",
    "planning_teams",
    "planning_assignments",
    "users",
    "api_tokens",
    "processing_log",
)


def seed_week(svc: Services) -> dict[str, Any]:
    """The demo week plus a team, plans, status changes and accounts (all through the store)."""
    with svc.db.write() as session:
        seed_demo(session, svc.postcodes, svc.districts, MONDAY, svc.config.phone_key)
        create_user(session, "ops-admin", "admin", "correct horse battery")
        create_user(session, "ops-commander", "commander", "correct horse battery")
        _row, token = create_token(session, "bench", "ops-commander")
        team = create_team(
            session, TeamSpec("ALPHA 1", "South", -2.7035, 53.7590), "ops-commander"
        )
    with svc.db.read() as session:
        unplanned = session.execute(
            select(Location.id, Location.version)
            .where(Location.kind == "premises", Location.status == "unplanned")
            .order_by(Location.id)
            .limit(8)
        ).all()
    with svc.db.write() as session:
        for loc_id, version in unplanned[:4]:
            assign(session, loc_id, version, team.id, MONDAY, "ops-commander")
        for loc_id, version in unplanned[4:]:
            set_status(session, loc_id, PLANNED, version, "ops-commander")
    return {"token": token, "team_id": team.id}


def table_rows(svc: Services, name: str) -> list[tuple[Any, ...]]:
    """Every row of a table, in id order, as plain tuples."""
    tbl = Base.metadata.tables[name]
    with svc.db.read() as session:
        return [tuple(r) for r in session.execute(select(tbl).order_by(*tbl.primary_key))]


@pytest.fixture
def other_services(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, cache_dir: Path
) -> Iterator[Services]:
    """Services on a second, empty (never migrated) database of the same backend."""
    if backend == "sqlite":
        svc = Services(make_config(tmp_path / "other", cache_dir))
        yield svc
        svc.db.dispose()
        return
    base = make_url(request.getfixturevalue("pg_server_url"))
    name = f"{base.database}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    svc = Services(make_config(tmp_path / "other", cache_dir, url))
    yield svc
    svc.db.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
