"""CLI commands ``operation`` (status, close) and ``maintenance prune``.

``python app.py operation close --by ADMIN --confirm`` ends the operation: read-only from then
on, the records pack written to ``OPSMAP_RECORDS_DIR`` (or ``--out``). ``python app.py
maintenance prune`` is for cron (docs/OPERATIONS.md): it prunes sign-in sessions and attempts
and erases a closed operation's records once their retention period is over.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from cli.backup import operator
from config import Config
from layers.accounts import get_user
from layers.core.closure import state
from layers.core.db import Database
from layers.core.errors import RuleError
from layers.operation.closing import close_operation
from layers.operation.maintenance import prune
from layers.services import Services

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``operation`` and ``maintenance`` to the CLI."""
    op = sub.add_parser("operation", help="the operation's state; close it at the end")
    op_sub = op.add_subparsers(dest="operation_command", required=True)
    status = op_sub.add_parser("status", help="open, closed or erased, with dates")
    status.set_defaults(handler=cmd_status)
    close = op_sub.add_parser("close", help="close the operation (read-only) and write the pack")
    close.add_argument("--by", required=True, help="the admin account closing it")
    close.add_argument("--confirm", action="store_true", help="required: closing is final")
    close.add_argument("--retention-days", type=int, default=None,
                       help="days until the records are erased (default OPSMAP_RETENTION_DAYS)")
    close.add_argument("--mode", choices=("statistics", "delete"), default=None,
                       help="keep anonymous statistics or delete everything "
                            "(default OPSMAP_RETENTION_MODE)")
    close.add_argument("--out", type=Path, default=None,
                       help="folder for the records pack (default OPSMAP_RECORDS_DIR)")
    close.set_defaults(handler=cmd_close)

    maint = sub.add_parser("maintenance", help="scheduled housekeeping (for cron)")
    maint_sub = maint.add_subparsers(dest="maintenance_command", required=True)
    run = maint_sub.add_parser("prune", help="prune sessions, sign-in attempts, due records")
    run.add_argument("--by", default=None, help="who runs it, for the processing log")
    run.set_defaults(handler=cmd_prune)


def cmd_status(_args: argparse.Namespace) -> int:
    """Print the operation's state."""
    db = Database(Config.from_env().database_url)
    with db.read() as session:
        row = state(session)
    db.dispose()
    if row is None or row.closed_at is None:
        print("operation: open")
        return 0
    print(f"operation: {'erased' if row.erased_at else 'closed'} "
          f"(closed {row.closed_at:%Y-%m-%d %H:%M} UTC by {row.closed_by})")
    print(f"records pack: {row.records_pack or 'not written'} {row.records_pack_sha256 or ''}")
    if row.erased_at:
        print(f"records erased {row.erased_at:%Y-%m-%d %H:%M} UTC by {row.erased_by}")
    elif row.erase_after:
        print(f"records erased ({row.erasure_mode}) after {row.erase_after:%Y-%m-%d}")
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    """Close the operation as the named admin."""
    config = Config.from_env()
    if not args.confirm:
        print("operation close: closing cannot be undone; add --confirm", file=sys.stderr)
        return 1
    svc = Services(config)
    db = svc.db
    try:
        with db.read() as session:
            admin = get_user(session, args.by)
        if admin is None or not admin.active or admin.role != "admin":
            print(f"operation close: {args.by!r} is not an active admin account", file=sys.stderr)
            return 1
        report = close_operation(
            svc,
            args.out or config.records_dir or config.instance_dir / "records",
            admin.username,
            config.retention_days if args.retention_days is None else args.retention_days,
            args.mode or config.retention_mode,
        )
    except RuleError as exc:
        print(f"operation close: {exc}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(f"operation closed {report.closed_at:%Y-%m-%d %H:%M} UTC by {report.closed_by}: "
          "read-only from now")
    print(f"records pack: {report.pack.path}\nsha256 {report.pack.sha256}")
    print(f"records erased ({report.mode}) after {report.erase_after:%Y-%m-%d} "
          "by `python app.py maintenance prune`")
    return 0


def cmd_prune(args: argparse.Namespace) -> int:
    """One scheduled housekeeping run."""
    config = Config.from_env()
    db = Database(config.database_url)
    try:
        report = prune(db, config, operator(args.by))
    finally:
        db.dispose()
    print(f"maintenance: {report.sessions} sessions and {report.login_attempts} sign-in "
          "attempts pruned")
    if report.erasure is not None:
        total = sum(report.erasure.erased.values())
        print(f"maintenance: retention period over: {total} records erased "
              f"({report.erasure.mode}; {report.erasure.statistics} anonymous figures kept)")
    return 0
