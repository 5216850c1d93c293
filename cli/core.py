"""Core CLI commands: ``run``, ``check``, ``db upgrade`` and ``seed-demo``."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys

from flask import Flask

from config import Config
from geodata.force import BoundaryError
from geodata.postcodes import postcode_index_status
from layers.core.demo import has_data, monday_of, seed_demo
from layers.services import Services

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the core commands to the CLI."""
    run = sub.add_parser("run", help="serve the dashboard (gunicorn, OPSMAP_HOST/OPSMAP_PORT)")
    run.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    run.set_defaults(handler=cmd_run, needs_schema=False)

    check = sub.add_parser("check", help="validate configuration: boundaries, database, postcodes")
    check.set_defaults(handler=cmd_check, needs_schema=False)

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_sub.add_parser("upgrade", help="create or upgrade the schema (Alembic)")
    upgrade.set_defaults(handler=cmd_db_upgrade, needs_schema=False)

    demo = sub.add_parser("seed-demo", help="load the synthetic demo week of action")
    demo.add_argument(
        "--week-start",
        type=dt.date.fromisoformat,
        default=None,
        help="Monday the week starts (default: this week's Monday)",
    )
    demo.add_argument("--if-empty", action="store_true", help="only when no data is stored yet")
    demo.set_defaults(handler=cmd_seed_demo)


def cmd_run(args: argparse.Namespace) -> int:
    """Serve the app with gunicorn (the same server as production)."""
    from gunicorn.app.base import BaseApplication

    from dashboard.serving import post_worker_init

    config = Config.from_env()

    class _Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{config.host}:{config.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("threads", 4)
            self.cfg.set("timeout", 120)
            self.cfg.set("accesslog", "-")
            self.cfg.set("post_worker_init", post_worker_init)

        def load(self) -> Flask:
            from app import create_app

            return create_app(config)

    print(f"OpsMap on http://{config.host}:{config.port}  (Ctrl-C stops)", flush=True)
    _Server().run()
    return 0


def cmd_check(_args: argparse.Namespace) -> int:
    """Check boundaries, database and migrations, and the postcode index; say what is wrong."""
    svc = Services(Config.from_env())
    problems = 0
    try:
        bounds = svc.boundaries
        print(f"boundaries: ok, {len(bounds)} districts")
    except BoundaryError as exc:
        problems += 1
        print(f"boundaries: PROBLEM: {exc}")
    try:
        pending = svc.db.pending_migrations()
        if pending:
            problems += 1
            print(
                f"database: PROBLEM: migrations pending ({', '.join(pending)}): "
                "run 'python app.py db upgrade'"
            )
        else:
            print(f"database: ok ({svc.db.dialect})")
    except Exception as exc:  # noqa: BLE001 - report any connection failure in words
        problems += 1
        print(
            f"database: PROBLEM: cannot connect ({exc.__class__.__name__}: {exc}); "
            "check DATABASE_URL"
        )
    print(f"postcodes: {postcode_index_status(svc.config.cache_dir)}")
    return 1 if problems else 0


def cmd_db_upgrade(_args: argparse.Namespace) -> int:
    """Bring the schema up to date."""
    svc = Services(Config.from_env())
    svc.db.upgrade()
    print(f"database: schema up to date ({svc.db.dialect})")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    """Load the demo week (replacing earlier demo data; never touching real data)."""
    svc = Services(Config.from_env())
    if args.if_empty:
        with svc.db.read() as session:
            if has_data(session):
                print("seed-demo: data already stored; nothing changed")
                return 0
    week_start = args.week_start or monday_of(dt.date.today())
    if week_start.weekday() != 0:
        print(f"seed-demo: {week_start} is not a Monday", file=sys.stderr)
        return 1
    postcodes, districts = svc.postcodes, svc.districts
    with svc.db.write() as session:
        summary = seed_demo(session, postcodes, districts, week_start, svc.config.phone_key)
    print(
        f"seed-demo: week of {summary.week_start}: {summary.premises} premises, "
        f"{summary.tipoffs} tip-offs, {summary.adverts} adverts (synthetic)"
    )
    return 0
