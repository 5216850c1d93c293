"""Public updates CLI: ``public draft|approve|reject|export|list|show``.

The same store functions as the "Public updates" page and the API, so the same rules apply:
``--user`` must be an active OpsMap account with the commander or admin role (the CLI has no
sign-in, so the account's role is what it can check), the drafter cannot approve, and only an
approved update can be exported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from config import Config
from layers import accounts
from layers.core.errors import NotFound, RuleError
from layers.public import store
from layers.public.figures import Period
from layers.public.release import SCOPES
from layers.public.wording import x_length
from layers.services import Services

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``public`` and its subcommands to the CLI."""
    public = sub.add_parser("public", help="public updates for social media (draft, approve, "
                            "reject, export)")
    cmds = public.add_subparsers(dest="public_command", required=True)
    draft = cmds.add_parser("draft", help="draft an update for a period and scope")
    draft.add_argument("--from", dest="start", type=dt.date.fromisoformat, required=True,
                       help="first day, YYYY-MM-DD")
    draft.add_argument("--to", dest="end", type=dt.date.fromisoformat, required=True,
                       help="last day, YYYY-MM-DD (a day, or the week so far)")
    draft.add_argument("--scope", choices=SCOPES, default="force",
                       help="force-wide, by division, or by district when every district "
                            "count passes the threshold (else merged into divisions)")
    draft.add_argument("--user", required=True, help="who drafts it (a commander or admin)")
    draft.add_argument("--json", action="store_true", help="print the draft as JSON")
    draft.set_defaults(handler=cmd_draft)
    for name, verb in (("approve", "approve"), ("reject", "reject")):
        decide = cmds.add_parser(name, help=f"{verb} a draft (a second commander or admin)")
        decide.add_argument("id", type=int)
        decide.add_argument("--user", required=True, help="who decides (not the drafter)")
        decide.add_argument("--note", required=name == "reject", default=None,
                            help="why (required to reject)")
        decide.add_argument("--json", action="store_true")
        decide.set_defaults(handler=cmd_decide, approve=name == "approve")
    export = cmds.add_parser("export", help="write an approved update's texts, cards and alt text")
    export.add_argument("id", type=int)
    export.add_argument("--out", type=Path, required=True, help="folder to write the files into")
    export.add_argument("--user", default=None,
                        help="who exports it, for the processing log (default: you)")
    export.set_defaults(handler=cmd_export)
    listing = cmds.add_parser("list", help="list updates, newest first")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_list)
    show = cmds.add_parser("show", help="show one update: figures, texts, checks, decision")
    show.add_argument("id", type=int)
    show.set_defaults(handler=cmd_show)


def _services() -> Services:
    return Services(Config.from_env())


def _person(svc: Services, username: str) -> store.Person:
    """The account behind ``--user``: it must exist, be active, and be a commander or admin."""
    with svc.db.read() as session:
        user = accounts.get_user(session, username)
        if user is None:
            raise store.NotPermitted(
                f"{username!r} has no OpsMap account: public updates are drafted and approved "
                f"by commanders and admins (python app.py users add {username} --role commander)"
            )
        if not user.active:
            raise store.NotPermitted(f"the account {username!r} is disabled")
        return store.Person(user.username, user.role)


def _refusals(action: Callable[[], int]) -> int:
    try:
        return action()
    except (RuleError, NotFound, ValueError) as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1


def _print_update(data: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    print(f"update #{data['id']} ({data['status']}), {data['period']['words']}, "
          f"shown by {data['level']} (k = {data['k']})")
    for key, text in data["figures"]["force"].items():
        print(f"  force-wide {key}: {text}")
    for area, figures in data["figures"]["areas"].items():
        print(f"  {area}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    print("checks:")
    for check in data["checks"]:
        print(f"  [{check['outcome']}] {check['message']}")
    print(f"X post ({x_length(data['texts']['x'])} characters):\n  {data['texts']['x']}")
    print("Facebook post:\n" + data["texts"]["facebook"])


def cmd_draft(args: argparse.Namespace) -> int:
    """Draft an update and print it (``--json`` for the JSON form)."""

    def act() -> int:
        svc = _services()
        period = Period(args.start, args.end)
        row = store.draft_update(svc.db, period, args.scope, _person(svc, args.user),
                                 svc.config.public_k)
        _print_update(store.as_dict(row), args.json)
        return 0

    return _refusals(act)


def cmd_decide(args: argparse.Namespace) -> int:
    """Approve or reject a draft as a second person."""

    def act() -> int:
        svc = _services()
        row = store.decide(svc.db, args.id, _person(svc, args.user), args.approve, args.note)
        if args.json:
            print(json.dumps(store.as_dict(row), indent=2, ensure_ascii=False))
        else:
            print(f"update #{row.id} {row.status} by {row.decided_by}")
        return 0

    return _refusals(act)


def cmd_export(args: argparse.Namespace) -> int:
    """Write an approved update's files; refused unless it is approved."""

    def act() -> int:
        svc = _services()
        username = args.user or f"cli:{getpass.getuser()}"
        bundle = store.export_update(svc.db, args.id, username, svc.boundaries)
        for path in bundle.write(args.out):
            print(f"wrote {path}")
        return 0

    return _refusals(act)


def cmd_list(args: argparse.Namespace) -> int:
    """List updates."""
    rows = [store.as_dict(r) for r in store.list_updates(_services().db)]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for r in rows:
        print(f"#{r['id']:<5} {r['status']:<9} {r['period']['from']} to {r['period']['to']} "
              f"{r['level']:<9} drafted by {r['drafted_by']}"
              + (f", {r['status']} by {r['decided_by']}" if r["decided_by"] else ""))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Show one update."""

    def act() -> int:
        _print_update(store.as_dict(store.get_update(_services().db, args.id)), False)
        return 0

    return _refusals(act)
