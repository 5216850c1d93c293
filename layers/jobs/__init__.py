"""Background jobs: long work (rebuilding networks, big imports, solving plans) off the request.

A request never waits for minutes of work. It *submits* a job (a row in ``jobs``: its kind,
JSON parameters and who asked) in its own transaction, and answers at once with the job id.
A worker *claims* the oldest queued job (PostgreSQL ``FOR UPDATE SKIP LOCKED``, so many workers
never take the same job; SQLite serialises claims through its ``BEGIN IMMEDIATE`` write lock),
runs its handler, *reports progress* (0-100 and a message, which the pages show) and
*finishes* or *fails* it with the reason in words.

Workers run as ``python app.py jobs work`` (one process, as many as you like) and, so that a
single-machine deployment needs nothing extra, as one daemon thread in each web worker process
(``OPSMAP_JOB_THREADS``, default 1; 0 turns it off). A job whose worker died is picked up again
once its heartbeat is older than :data:`layers.jobs.queue.STALE_AFTER`.

To add a kind of job: write a handler ``(services, job, progress) -> result dict`` in your
capability and add one line to :data:`layers.jobs.runner.HANDLERS`.
"""
