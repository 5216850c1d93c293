"""Issue 10 item 14: no ``Server: gunicorn`` header, checked against real gunicorn processes.

gunicorn adds the header after the application has answered, so only a real server shows it:
both ways OpsMap is served are started here (``gunicorn app:server``, which reads
``gunicorn.conf.py`` from the working directory, and ``python app.py run``).
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.serving import without_server_line
from layers.services import Services
from tests.conftest import boundaries_path

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _headers(port: int, path: str) -> dict[str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return {name.lower(): value for name, value in response.getheaders()}
    finally:
        conn.close()


def _serve(command: list[str], services: Services, port: int, log: Path) -> Iterator[int]:
    config = services.config
    env = {
        **os.environ,
        "DATABASE_URL": config.database_url,
        "OPSMAP_INSTANCE": str(config.instance_dir),
        "OPSMAP_BOUNDARIES": str(boundaries_path()),
        "OPSMAP_SECRET_KEY": config.secret_key,
        "OPSMAP_PHONE_KEY": config.phone_key,
        "OPSMAP_HOST": "127.0.0.1",
        "OPSMAP_PORT": str(port),
    }
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    _headers(port, "/login")
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"server did not start:\n{log.read_text()}")
                    time.sleep(0.3)
            yield port
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(params=["gunicorn app:server", "python app.py run"])
def served(
    request: pytest.FixtureRequest, sqlite_services: Services, tmp_path: Path
) -> Iterator[int]:
    port = _free_port()
    if request.param.startswith("gunicorn"):
        command = [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}",
                   "app:server"]
    else:
        command = [sys.executable, "app.py", "run", "--workers", "1"]
    yield from _serve(command, sqlite_services, port, tmp_path / "server.log")


def test_sec190_gunicorn_does_not_name_itself(served: int) -> None:
    for path in ("/login", "/healthz", "/no/such/page", "/api/summary"):
        headers = _headers(served, path)
        assert "server" not in headers, (path, headers.get("server"))
        assert headers.get("x-content-type-options") == "nosniff", path


def test_sec191_only_the_server_line_is_dropped() -> None:
    def default_headers(_response: object) -> list[str]:
        return ["HTTP/1.1 200 OK\r\n", "Server: gunicorn\r\n", "Date: x\r\n",
                "Connection: close\r\n", "X-Server-Note: kept\r\n"]

    lines = without_server_line(default_headers)(object())
    assert lines == ["HTTP/1.1 200 OK\r\n", "Date: x\r\n", "Connection: close\r\n",
                     "X-Server-Note: kept\r\n"]
