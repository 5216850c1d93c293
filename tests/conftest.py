"""Shared fixtures: configuration, real SQLite and real PostgreSQL stores, the app and clients.

The ``services`` fixture is parametrised over both backends, so every store test runs on both.
PostgreSQL tests use a fresh database per test session on the server named by
``OPSMAP_TEST_PG`` (default: this machine's). Set ``OPSMAP_REQUIRE_PG=1`` (CI does) to fail
rather than skip when it is unreachable.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from bench.databases import scratch_postgres
from config import Config
from layers.cache import FRAMES
from layers.services import Services

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BOUNDARIES = ROOT.parent / "shared" / "geodata" / "lancashire_districts.geojson"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

MakeUser = Callable[[str, str], str]
"""The ``make_user`` fixture: (username, role) -> a new user's random password."""


def boundaries_path() -> Path:
    """The district boundaries the tests use (``OPSMAP_BOUNDARIES`` or ../shared)."""
    return Path(os.environ.get("OPSMAP_BOUNDARIES", str(DEFAULT_BOUNDARIES))).resolve()


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Cache folder for the postcode index, shared by the whole run (built once)."""
    configured = os.environ.get("OPSMAP_CACHE_DIR")
    return Path(configured) if configured else tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str | None]:
    """URL of a fresh PostgreSQL database for this run, or ``None`` when unreachable."""
    scratch = ExitStack()
    try:
        url = scratch.enter_context(
            scratch_postgres(os.environ.get("OPSMAP_TEST_PG", DEFAULT_PG), "opsmap_test")
        )
    except Exception as exc:
        if os.environ.get("OPSMAP_REQUIRE_PG") == "1":
            raise
        pytest.skip(f"PostgreSQL unreachable: {exc}")
        return
    with scratch:
        yield url


def make_config(tmp_path: Path, cache_dir: Path, database_url: str | None = None) -> Config:
    """A test configuration: temp instance folder, real boundaries, given database."""
    env = {
        "OPSMAP_INSTANCE": str(tmp_path / "instance"),
        "OPSMAP_CACHE_DIR": str(cache_dir),
        "OPSMAP_BOUNDARIES": str(boundaries_path()),
        "OPSMAP_SECRET_KEY": secrets.token_urlsafe(32),
        "OPSMAP_PHONE_KEY": secrets.token_urlsafe(32),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return Config.from_env(env, testing=True)


def components(tree: object) -> Iterator[Any]:
    """Every node of a Dash layout tree (components, text), walking lists and children."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list | tuple):
            stack.extend(node)
            continue
        yield node
        children = getattr(node, "children", None)
        if children is not None:
            stack.append(children)


def run_cli(
    *args: str, env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``python app.py ARGS`` as an operator runs it, in the repository, with ``env``."""
    return subprocess.run(
        [sys.executable, "app.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def cli_env(tmp_path: Path, cache_dir: Path) -> dict[str, str]:
    """Environment for ``python app.py`` on a fresh SQLite instance folder."""
    env = dict(os.environ)
    env.update(
        OPSMAP_INSTANCE=str(tmp_path / "instance"),
        OPSMAP_CACHE_DIR=str(cache_dir),
        OPSMAP_BOUNDARIES=str(boundaries_path()),
    )
    env.pop("DATABASE_URL", None)
    return env


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """Which database backend this test runs on."""
    return request.param


def fresh_services(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, cache_dir: Path
) -> Services:
    """Services on a freshly migrated, empty database of the ``backend`` kind (on PostgreSQL,
    this run's database emptied); the caller disposes of it."""
    url = None
    if backend == "postgresql":
        url = request.getfixturevalue("pg_server_url")
        _reset_postgres(url)
        FRAMES.clear()  # the new database's revisions start again: frames cached are another's
    svc = Services(make_config(tmp_path, cache_dir, url))
    svc.db.upgrade()
    return svc


@pytest.fixture
def services(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, cache_dir: Path
) -> Iterator[Services]:
    """Services on a freshly migrated, empty database of the ``backend`` kind."""
    svc = fresh_services(backend, request, tmp_path, cache_dir)
    yield svc
    svc.db.dispose()


@pytest.fixture
def sqlite_services(tmp_path: Path, cache_dir: Path) -> Iterator[Services]:
    """Services on a migrated SQLite file (for tests that need only one backend)."""
    svc = Services(make_config(tmp_path, cache_dir))
    svc.db.upgrade()
    yield svc
    svc.db.dispose()


@pytest.fixture
def app(sqlite_services: Services) -> Flask:
    """The whole application on a migrated SQLite database."""
    from app import create_app

    server = create_app(sqlite_services.config)
    return server


@pytest.fixture
def make_user(app: Flask) -> Callable[[str, str], str]:
    """Create a user with ``role`` and return their random password."""
    from layers.accounts import create_user

    def _make(username: str, role: str) -> str:
        password = secrets.token_urlsafe(16)
        svc: Services = app.extensions["opsmap"]
        with svc.db.write() as session:
            create_user(session, username, role, password)
        return password

    return _make


@pytest.fixture
def client_as(app: Flask, make_user: MakeUser) -> Callable[[str], FlaskClient]:
    """A test client signed in (through ``/login``) as a new user with the given role."""

    def _client(role: str) -> FlaskClient:
        username = f"{role}-{uuid.uuid4().hex[:6]}"
        password = make_user(username, role)
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code in (302, 303), response.data[:500]
        return client

    return _client


E2E_RERUNS = 2
"""Browser tests drive real Chromium against a live server on a shared 2-core machine: a click
that lands while the map redraws, or a page slowed by other work, can miss its moment. Each
end-to-end test gets two more tries (pytest-rerunfailures); every rerun is reported in the
summary (``-ra``), so a flaky test stays visible, and one that fails three times fails."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give every test marked ``e2e`` its reruns."""
    for item in items:
        if item.get_closest_marker("e2e") is not None:
            item.add_marker(pytest.mark.flaky(reruns=E2E_RERUNS, reruns_delay=2))
