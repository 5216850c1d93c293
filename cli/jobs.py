"""CLI: ``python app.py jobs work [--once]`` runs background jobs; ``jobs list`` shows them.

A worker process is optional: the web app runs a worker thread in each of its processes
(``OPSMAP_JOB_THREADS``). Run ``jobs work`` to add workers, or ``jobs work --once`` from cron.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import threading
from typing import Any

from config import Config
from layers.jobs import queue
from layers.jobs.runner import POLL_SECONDS, run_pending, work
from layers.services import Services

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``jobs`` commands to the CLI."""
    cmd = sub.add_parser("jobs", help="background jobs: run a worker, list jobs")
    jsub = cmd.add_subparsers(dest="jobs_command", required=True)
    worker = jsub.add_parser("work", help="run queued jobs until stopped (Ctrl-C)")
    worker.add_argument("--once", action="store_true", help="run what is queued, then stop")
    worker.add_argument("--poll", type=float, default=POLL_SECONDS, help="seconds between looks")
    worker.set_defaults(handler=cmd_work)
    listing = jsub.add_parser("list", help="the newest jobs")
    listing.add_argument("--kind", default=None, help="only jobs of this kind")
    listing.add_argument("--limit", type=int, default=20)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_list)


def cmd_work(args: argparse.Namespace) -> int:
    """Work through the queue (once, or until a signal)."""
    svc = Services(Config.from_env())
    if args.once:
        done = run_pending(svc)
        print(f"ran {len(done)} job(s)")
        return 0
    stop = threading.Event()

    def _stop(*_: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    print("working through the job queue (Ctrl-C stops)", flush=True)
    work(svc, stop, max(0.1, args.poll))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """Print the newest jobs."""
    svc = Services(Config.from_env())
    jobs = queue.recent(svc.db, args.kind, args.limit)
    if args.json:
        print(json.dumps({"jobs": [j.as_dict() for j in jobs]}, indent=2))
        return 0
    for j in jobs:
        print(
            f"{j.id:>5} {j.kind:<20} {j.state:<8} {j.progress:>3}% {j.created_by:<16} {j.message}"
        )
    return 0
