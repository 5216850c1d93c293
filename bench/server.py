"""A real OpsMap server for the fault and load tests: gunicorn with N workers on 127.0.0.1.

Used by ``bench/bench_load.py``, ``tests/operations/test_crash.py`` and
``tests/planning/test_concurrency_http.py``. The server is started in
its own process group, so the whole of it (master and workers) can be killed at once as a crash
would, and its workers can be found and killed one by one. Only the loopback address is used.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config import Config

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    """A free TCP port on the loopback address."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def server_env(config: Config) -> dict[str, str]:
    """The environment that makes ``app:create_app()`` build exactly ``config``."""
    env = {
        **os.environ,
        "DATABASE_URL": config.database_url,
        "OPSMAP_INSTANCE": str(config.instance_dir),
        "OPSMAP_CACHE_DIR": str(config.cache_dir),
        "OPSMAP_SECRET_KEY": config.secret_key,
        "OPSMAP_PHONE_KEY": config.phone_key,
        "OPSMAP_MARKING": config.marking,
    }
    if config.boundaries_path:
        env["OPSMAP_BOUNDARIES"] = str(config.boundaries_path)
    return env


@dataclass
class GunicornServer:
    """``gunicorn -w N app:create_app()`` on a free loopback port, logging to ``log``."""

    config: Config
    log: Path
    workers: int = 4
    threads: int = 1
    port: int = field(default_factory=free_port)
    access_log: Path | None = None
    proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        """The server's URL."""
        return f"http://{HOST}:{self.port}"

    def start(self, timeout_s: float = 180) -> None:
        """Start the server and wait until it is ready with every worker up."""
        args = [
            sys.executable, "-m", "gunicorn", "-w", str(self.workers), "--threads",
            str(self.threads), "-b", f"{HOST}:{self.port}", "--timeout", "120",
            "--graceful-timeout", "10", "app:create_app()",
        ]
        if self.access_log is not None:  # method, path, request type, status, microseconds
            args[-1:-1] = ["--access-logfile", str(self.access_log), "--access-logformat",
                           '%(m)s %(U)s "%({x-bench}i)s" %(s)s %(D)s']
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                args, cwd=ROOT, env=server_env(self.config), stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True,
            )
        self.wait_ready(timeout_s)

    def worker_pids(self) -> list[int]:
        """The pids of the master's live worker processes."""
        if self.proc is None:
            return []
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return []

    def wait_ready(self, timeout_s: float = 180) -> None:
        """Wait for ``/readyz`` to answer 200 and for every worker to be running."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError("gunicorn exited:\n" + self.log.read_text()[-3000:])
            try:
                with urllib.request.urlopen(self.base + "/readyz", timeout=10) as response:
                    if response.status == 200 and len(self.worker_pids()) >= self.workers:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn not ready in time:\n" + self.log.read_text()[-3000:])

    def kill_worker(self) -> int:
        """``kill -9`` one worker (the master starts another); returns its pid."""
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill_all(self) -> None:
        """``kill -9`` the master and every worker at once, as a crash or power cut would."""
        if self.proc is None:
            return
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.proc = None

    def stop(self) -> None:
        """Stop gracefully (SIGTERM), then make sure nothing of it is left."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.proc = None


def call(
    base: str, token: str, method: str, path: str, body: dict[str, Any] | None = None,
    timeout_s: float = 30,
) -> tuple[int, dict[str, Any]]:
    """One JSON request with a bearer token; ``(0, {})`` when no answer came at all."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + path, data=data, method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        try:
            return exc.code, json.loads(raw)
        except ValueError:
            return exc.code, {"raw": raw.decode("utf-8", "replace")[:500]}
    except (urllib.error.URLError, OSError, ValueError):
        return 0, {}
