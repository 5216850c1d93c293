"""Hardening of the gunicorn server itself, for what the Flask application cannot reach.

gunicorn writes ``Server: gunicorn`` into every response *after* the application has answered
(``gunicorn.http.wsgi.Response.default_headers``), so removing the header in ``after_request``
achieves nothing, and gunicorn offers no setting for it. The one place to drop it is in the
worker, before the first request: :func:`post_worker_init` is a gunicorn server hook, installed
by ``gunicorn.conf.py`` (which ``gunicorn app:server`` reads from the working directory) and by
``python app.py run``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

SERVER_HEADER = "server:"


def without_server_line(default_headers: Callable[[Any], list[str]]) -> Callable[[Any], list[str]]:
    """Wrap gunicorn's ``default_headers`` so that its status-and-headers list has no Server."""

    def default_headers_without_server(response: Any) -> list[str]:
        return [
            line for line in default_headers(response)
            if not line.lower().startswith(SERVER_HEADER)
        ]

    default_headers_without_server.opsmap_wrapped = True  # type: ignore[attr-defined]
    return default_headers_without_server


def hide_server_header() -> None:
    """Stop this gunicorn process naming itself in a ``Server`` header (idempotent)."""
    from gunicorn.http import wsgi

    current = wsgi.Response.default_headers
    if not getattr(current, "opsmap_wrapped", False):
        wsgi.Response.default_headers = without_server_line(current)


def post_worker_init(_worker: object) -> None:
    """gunicorn hook: runs in each worker once it is ready, before it takes requests."""
    hide_server_header()
    logger.debug("gunicorn Server header removed in this worker")
