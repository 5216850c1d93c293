"""Submitting, claiming, reporting and finishing jobs: each step one short transaction."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from layers.core.db import Database
from layers.core.errors import NotFound
from layers.core.models import utcnow
from layers.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job

logger = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(minutes=15)
"""A running job silent this long lost its worker and is queued again."""
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class JobView:
    """A job as pages, the CLI and the API show it."""

    id: int
    kind: str
    params: dict[str, Any]
    state: str
    progress: int
    message: str
    result: dict[str, Any] | None
    created_by: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    def as_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        for name in ("created_at", "started_at", "finished_at"):
            value = out[name]
            out[name] = value.isoformat() if value else None
        return out


def _view(job: Job) -> JobView:
    return JobView(
        job.id,
        job.kind,
        json.loads(job.params or "{}"),
        job.state,
        job.progress,
        job.message,
        json.loads(job.result) if job.result else None,
        job.created_by,
        job.created_at,
        job.started_at,
        job.finished_at,
    )


def submit(
    session: Session, kind: str, params: dict[str, Any], created_by: str, coalesce: bool = True
) -> int:
    """Queue a job in ``session``'s transaction; with ``coalesce``, an identical job still
    waiting in the queue is reused (two imports in a row need one rebuild, not two)."""
    text = json.dumps(params, sort_keys=True)
    if coalesce:
        waiting = session.scalar(
            select(Job.id).where(Job.kind == kind, Job.params == text, Job.state == QUEUED)
        )
        if waiting is not None:
            return int(waiting)
    job = Job(kind=kind, params=text, state=QUEUED, created_by=created_by, message="waiting")
    session.add(job)
    session.flush()
    logger.info("job %d queued: %s by %s", job.id, kind, created_by)
    return int(job.id)


def claim(db: Database, worker: str, kinds: tuple[str, ...] | None = None) -> JobView | None:
    """Take the oldest queued job (or ``None``): exactly one worker gets each job."""
    now = utcnow()
    with db.write(bump=False) as session:
        session.execute(
            update(Job)
            .where(Job.state == RUNNING, Job.updated_at < now - STALE_AFTER)
            .values(state=QUEUED, message="queued again: its worker stopped answering")
        )
        query = select(Job).where(Job.state == QUEUED, Job.attempts < MAX_ATTEMPTS)
        if kinds:
            query = query.where(Job.kind.in_(kinds))
        query = query.order_by(Job.id).limit(1)
        if db.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        job = session.scalars(query).first()
        if job is None:
            return None
        job.state, job.worker, job.attempts = RUNNING, worker, job.attempts + 1
        job.started_at = job.updated_at = now
        job.message = "started"
        return _view(job)


def report(db: Database, job_id: int, progress: int, message: str) -> None:
    """Record how far a running job got (0-100) and what it is doing; also its heartbeat."""
    with db.write(bump=False) as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id, Job.state == RUNNING)
            .values(progress=max(0, min(100, int(progress))), message=message, updated_at=utcnow())
        )


def finish(db: Database, job_id: int, result: dict[str, Any], message: str = "done") -> None:
    """Mark a job done with its result."""
    now = utcnow()
    with db.write(bump=False) as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(
                state=DONE,
                progress=100,
                message=message,
                result=json.dumps(result, default=str),
                updated_at=now,
                finished_at=now,
            )
        )


def fail(db: Database, job_id: int, message: str) -> None:
    """Mark a job failed with the reason in words."""
    now = utcnow()
    with db.write(bump=False) as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(state=FAILED, message=message, updated_at=now, finished_at=now)
        )


def get(db: Database, job_id: int) -> JobView:
    """One job (``NotFound`` when there is none)."""
    with db.read() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise NotFound(f"there is no job {job_id}")
        return _view(job)


def recent(db: Database, kind: str | None = None, limit: int = 20) -> list[JobView]:
    """The newest jobs, newest first (optionally of one kind)."""
    with db.read() as session:
        query = select(Job).order_by(Job.id.desc()).limit(max(1, min(limit, 500)))
        if kind:
            query = query.where(Job.kind == kind)
        return [_view(j) for j in session.scalars(query)]
