"""gunicorn's configuration, read from the working directory by ``gunicorn app:server``.

Only server hooks live here; workers, binding and timeouts are given on the command line (see
the README). ``python app.py run`` installs the same hook itself.
"""

from dashboard.serving import post_worker_init

__all__ = ["post_worker_init"]
