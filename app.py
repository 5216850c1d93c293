"""OpsMap entry point: ``create_app(config)`` builds the WSGI application; ``server`` is it.

``gunicorn -w 4 app:server`` serves it in production. ``python app.py COMMAND`` hands over to
the command line in :mod:`cli` (also installed as ``opsmap``), so this file stays a thin shell.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from cli import main
from config import Config
from layers.services import Services

logger = logging.getLogger("opsmap")


def create_app(config: Config | None = None) -> Flask:
    """Build the Flask server with the Dash dashboard, the JSON API and access control."""
    from dashboard.api import blueprints
    from dashboard.factory import create_dash
    from dashboard.field import field_page
    from dashboard.security import init_security

    config = config or Config.from_env()
    services = Services(config)
    server = Flask(__name__, static_folder=None)
    server.config.update(
        SECRET_KEY=config.secret_key,
        MAX_CONTENT_LENGTH=config.max_upload_mb * 1024 * 1024,
        TESTING=config.testing,
        DEBUG=config.debug,
    )
    server.extensions["opsmap"] = services
    if config.proxy_fix:
        # Behind a TLS-terminating proxy: trust its X-Forwarded-* so cookies get Secure.
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    init_security(server)
    for blueprint in blueprints():
        server.register_blueprint(blueprint)
    server.register_blueprint(field_page)
    create_dash(server, config)
    if not config.testing:
        from layers.jobs.runner import start_worker_thread

        for _ in range(max(0, config.job_threads)):
            start_worker_thread(services)  # background jobs progress without another process
    return server


def __getattr__(name: str) -> Any:
    """``app.server`` builds the application on first access (what gunicorn asks for)."""
    if name == "server":
        value = create_app()
        globals()["server"] = value
        return value
    raise AttributeError(name)


if __name__ == "__main__":
    sys.exit(main())
