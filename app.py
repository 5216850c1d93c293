"""OpsMap entry point: ``create_app`` builds the WSGI application, ``main`` is the CLI.

``gunicorn -w 4 app:server`` serves it in production; ``python app.py --help`` lists commands.
Feature packages add their own commands through ``register(subparsers)`` in the modules named
in :data:`COMMAND_MODULES`, so this file stays a thin shell.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config
from layers.services import Services

logger = logging.getLogger("opsmap")

COMMAND_MODULES: tuple[str, ...] = (
    "cli.core",
    "cli.accounts",
    "cli.planning",
    "cli.briefing",
    "cli.imports",
)


def create_app(config: Config | None = None) -> Flask:
    """Build the Flask server with the Dash dashboard, the JSON API and access control."""
    from dashboard.api.core import api_blueprint
    from dashboard.factory import create_dash
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
    server.register_blueprint(api_blueprint)
    server.register_blueprint(importlib.import_module("dashboard.api.planning").planning_api)
    server.register_blueprint(importlib.import_module("dashboard.api.briefing").briefing_blueprint)
    server.register_blueprint(importlib.import_module("dashboard.api.imports").imports_api)
    create_dash(server, config)
    return server


def __getattr__(name: str) -> Any:
    """``app.server`` builds the application on first access (what gunicorn asks for)."""
    if name == "server":
        value = create_app()
        globals()["server"] = value
        return value
    raise AttributeError(name)


def build_parser() -> argparse.ArgumentParser:
    """The CLI: core commands plus those each feature module registers."""
    parser = argparse.ArgumentParser(
        prog="python app.py",
        description="OpsMap: operations map for the week of action (Lancashire Constabulary).",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one CLI command and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from geodata.boundaries import BoundaryError
    from geodata.postcodes import PostcodeIndexError

    try:
        return int(args.handler(args) or 0)
    except (BoundaryError, PostcodeIndexError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
