"""Running jobs: handlers by kind, one job at a time, and the worker loop and thread."""

from __future__ import annotations

import importlib
import logging
import os
import socket
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from layers.jobs import queue

if TYPE_CHECKING:
    from layers.services import Services

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
Handler = Callable[["Services", queue.JobView, Progress], dict[str, Any]]

HANDLERS: dict[str, str] = {
    "networks.rebuild": "layers.networks.rebuild:rebuild_job",
}
"""Job kind -> ``module:function`` of its handler (imported when a job of that kind runs)."""
POLL_SECONDS = 2.0


class JobError(Exception):
    """A handler's failure in the user's words (the job fails with this message)."""


def handler_for(kind: str) -> Handler:
    """The handler of ``kind`` (``JobError`` for a kind nobody handles)."""
    target = HANDLERS.get(kind)
    if target is None:
        raise JobError(f"no handler for jobs of kind {kind!r}")
    module, _, name = target.partition(":")
    handler: Handler = getattr(importlib.import_module(module), name)
    return handler


def worker_name() -> str:
    """Who is working: host, process and thread (shown on the job)."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}"


def run_one(services: Services, kinds: tuple[str, ...] | None = None) -> int | None:
    """Claim and run one job; its id, or ``None`` when the queue was empty."""
    job = queue.claim(services.db, worker_name(), kinds)
    if job is None:
        return None

    def progress(percent: int, message: str) -> None:
        queue.report(services.db, job.id, percent, message)

    try:
        result = handler_for(job.kind)(services, job, progress)
    except JobError as exc:
        queue.fail(services.db, job.id, str(exc))
        logger.warning("job %d (%s) failed: %s", job.id, job.kind, exc)
    except Exception as exc:  # a worker must survive any job: record it and carry on
        queue.fail(services.db, job.id, f"failed unexpectedly: {type(exc).__name__}: {exc}")
        logger.exception("job %d (%s) failed", job.id, job.kind)
    else:
        queue.finish(services.db, job.id, result)
        logger.info("job %d (%s) done", job.id, job.kind)
    return job.id


def run_pending(services: Services) -> list[int]:
    """Run every queued job now, in this thread (the CLI's ``--once`` and the tests)."""
    done: list[int] = []
    while (job_id := run_one(services)) is not None:
        done.append(job_id)
    return done


def work(services: Services, stop: threading.Event, poll: float = POLL_SECONDS) -> None:
    """Run jobs until ``stop`` is set, sleeping ``poll`` seconds when the queue is empty."""
    while not stop.is_set():
        try:
            ran = run_one(services)
        except Exception:  # the database may be briefly away; keep the worker alive
            logger.exception("job worker could not reach the queue")
            ran = None
        if ran is None:
            stop.wait(poll)


def start_worker_thread(services: Services) -> threading.Event:
    """Start a daemon worker thread in this process; set the returned event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(target=work, args=(services, stop), name="opsmap-jobs", daemon=True)
    thread.start()
    logger.info("job worker thread started in process %d", os.getpid())
    return stop
