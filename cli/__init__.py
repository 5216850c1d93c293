"""OpsMap's command line: ``opsmap COMMAND`` (or ``python app.py COMMAND``).

One module per capability adds its commands through ``register(subparsers)``; the modules are
listed in :data:`COMMAND_MODULES`. Each command builds its :class:`layers.services.Services`
once from the environment and calls typed domain functions: no rule lives here.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

COMMAND_MODULES: tuple[str, ...] = (
    "cli.core",
    "cli.accounts",
    "cli.planning",
    "cli.briefing",
    "cli.imports",
    "cli.public",
    "cli.backup",
    "cli.operation",
    "cli.jobs",
    "cli.networks",
)


def build_parser() -> argparse.ArgumentParser:
    """The CLI: core commands plus those each capability module registers."""
    parser = argparse.ArgumentParser(
        prog="opsmap",
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
    from geodata.force import BoundaryError
    from geodata.postcodes import PostcodeIndexError
    from layers.core.closure import OperationClosed

    if getattr(args, "needs_schema", True) and (problem := schema_problem()):
        print(f"error: {problem}", file=sys.stderr)
        return 1
    try:
        return int(args.handler(args) or 0)
    except (BoundaryError, PostcodeIndexError, OperationClosed) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def schema_problem() -> str | None:
    """Why the configured database cannot be used yet, in words, or ``None`` when it can.

    Commands that read or write data call this first, so a database that was never migrated
    gets one clear sentence instead of a traceback from deep inside a query.
    """
    from config import Config
    from layers.core.db import Database

    db = Database(Config.from_env().database_url)
    try:
        pending = db.pending_migrations()
    finally:
        db.dispose()
    if pending:
        return (
            "the database schema is not up to date (pending: " + ", ".join(pending) + "): "
            "run `python app.py db upgrade` (or `opsmap db upgrade`) first"
        )
    return None
