"""The background-job queue: submit, claim exactly once, progress, finish or fail."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import update

from layers.jobs import queue
from layers.jobs.models import DONE, FAILED, RUNNING, Job
from layers.jobs.runner import HANDLERS, run_one


def test_net070_submit_coalesces_claim_report_finish(services):
    with services.db.write() as session:
        first = queue.submit(session, "networks.rebuild", {}, "analyst1")
        again = queue.submit(session, "networks.rebuild", {}, "analyst2")
        other = queue.submit(session, "imports.big", {"file": "a.csv"}, "analyst1")
    assert again == first and other != first
    job = queue.claim(services.db, "w1")
    assert job is not None and job.id == first and job.state == RUNNING
    queue.report(services.db, first, 140, "half way")
    assert (queue.get(services.db, first).progress, queue.get(services.db, first).message) == (
        100,
        "half way",
    )
    queue.finish(services.db, first, {"networks": 3})
    done = queue.get(services.db, first)
    assert done.state == DONE and done.result == {"networks": 3} and done.finished_at
    with services.db.write() as session:
        later = queue.submit(session, "networks.rebuild", {}, "analyst1")
    assert later != first  # a finished job is not reused
    assert [j.id for j in queue.recent(services.db, "imports.big")] == [other]


def test_net071_each_job_is_claimed_by_exactly_one_worker(services):
    with services.db.write() as session:
        ids = [queue.submit(session, "test.job", {"n": i}, "t") for i in range(12)]
    claimed: list[int] = []
    lock = threading.Lock()

    def worker(name: str) -> None:
        while (job := queue.claim(services.db, name)) is not None:
            with lock:
                claimed.append(job.id)

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(claimed) == ids


def test_net072_a_job_whose_worker_died_is_claimed_again(services):
    with services.db.write() as session:
        job_id = queue.submit(session, "test.job", {}, "t")
    assert queue.claim(services.db, "lost") is not None
    assert queue.claim(services.db, "other") is None
    old = dt.datetime.now(dt.UTC) - queue.STALE_AFTER - dt.timedelta(minutes=1)
    with services.db.write() as session:
        session.execute(update(Job).where(Job.id == job_id).values(updated_at=old))
    again = queue.claim(services.db, "other")
    assert again is not None and again.id == job_id


def test_net073_a_failing_or_unknown_job_fails_with_its_reason(services, monkeypatch):
    monkeypatch.setitem(HANDLERS, "test.broken", "tests.networks.test_jobs:_broken")
    with services.db.write() as session:
        unknown = queue.submit(session, "test.nobody", {}, "t")
        broken = queue.submit(session, "test.broken", {}, "t")
    assert run_one(services) == unknown
    assert run_one(services) == broken
    assert run_one(services) is None
    assert queue.get(services.db, unknown).state == FAILED
    assert "no handler" in queue.get(services.db, unknown).message
    failed = queue.get(services.db, broken)
    assert failed.state == FAILED and "disk full" in failed.message


def _broken(_services, _job, progress):
    progress(10, "starting")
    raise OSError("disk full")
