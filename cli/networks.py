"""CLI: ``python app.py networks rebuild [--json]`` and ``networks list --json``.

``rebuild`` runs the rebuild here and now (what the background job runs) and prints what it
found; ``list`` prints every network of two or more adverts. Listing is a consultation of
personal data, so it is recorded in the processing log under the operating-system user.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging

from config import Config
from layers.audit import processing_log
from layers.networks.rebuild import rebuild_networks
from layers.networks.views import network_list
from layers.services import Services

logger = logging.getLogger(__name__)


def _user(args: argparse.Namespace) -> str:
    return args.user or f"cli:{getpass.getuser()}"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``networks`` commands to the CLI."""
    cmd = sub.add_parser("networks", help="networks of adverts: rebuild and list")
    nsub = cmd.add_subparsers(dest="networks_command", required=True)
    rebuild = nsub.add_parser("rebuild", help="link every advert into networks now")
    rebuild.add_argument("--json", action="store_true", help="print the summary as JSON")
    rebuild.add_argument("--user", default=None, help="who asked, for the processing log")
    rebuild.set_defaults(handler=cmd_rebuild)
    listing = nsub.add_parser("list", help="every network of two or more adverts")
    listing.add_argument("--json", action="store_true", help="print JSON (the API's shape)")
    listing.add_argument("--user", default=None, help="who asked, for the processing log")
    listing.set_defaults(handler=cmd_list)


def cmd_rebuild(args: argparse.Namespace) -> int:
    """Rebuild now and print what was found."""
    svc = Services(Config.from_env())

    def progress(percent: int, message: str) -> None:
        if not args.json:
            print(f"{percent:3d}% {message}", flush=True)

    summary = rebuild_networks(svc.db, _user(args), progress)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(
            f"{summary['networks']} networks linking {summary['linked_adverts']} of "
            f"{summary['adverts']} adverts; {summary['moves']} moves, {summary['alerts']} "
            f"new-in-town alerts, {summary['links']} links ({summary['seconds']} s)"
        )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """Print the networks (JSON with ``--json``, a table otherwise)."""
    svc = Services(Config.from_env())
    with svc.db.write(bump=False) as session:
        networks = network_list(session)
        processing_log.record(
            session, _user(args), processing_log.CONSULTATION, f"networks list ({len(networks)})"
        )
    if args.json:
        print(json.dumps({"networks": networks}, indent=2))
        return 0
    print(f"{'network':>8} {'adverts':>7} {'districts':>9} {'moves':>5}  last seen")
    for n in networks:
        print(
            f"{'N' + str(n['id']):>8} {n['size']:>7} {len(n['districts']):>9} "
            f"{len(n['moves']):>5}  {n['last_seen'] or '-'}"
        )
    return 0
