"""CLI: ``python app.py briefing --date YYYY-MM-DD --out PATH [--since ...]``.

Writes the self-contained HTML pack, the CSV of figures and the PDF, and records the export as a
disclosure in the processing log (by the operating-system user who ran it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import logging
import sys
from pathlib import Path

from config import Config
from layers.briefing.pack import export_pack
from layers.briefing.window import BriefingRangeError, options_for, parse_since
from layers.services import Services

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``briefing`` command to the CLI."""
    cmd = sub.add_parser("briefing", help="export the briefing pack (HTML, CSV, PDF) for a day")
    cmd.add_argument("--date", type=dt.date.fromisoformat, required=True,
                     help="the briefing day, YYYY-MM-DD")
    cmd.add_argument("--out", type=Path, required=True,
                     help="the HTML file to write (CSV and PDF beside it), or a folder")
    cmd.add_argument("--since", type=parse_since, default=None,
                     help="new intelligence from this time (ISO, Europe/London if no zone; "
                          "within the operation; default 24 hours before the briefing)")
    cmd.add_argument("--user", default=None,
                     help="who the pack is for, for the processing log (default: you)")
    cmd.set_defaults(handler=cmd_briefing)


def cmd_briefing(args: argparse.Namespace) -> int:
    """Build the pack and write its files."""
    config = Config.from_env()
    svc = Services(config)
    options = options_for(config, args.date, args.since)
    username = args.user or f"cli:{getpass.getuser()}"
    try:
        files = export_pack(svc.db, options, svc.boundaries, config.marking, username, "CLI")
    except BriefingRangeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in files.write(args.out):
        print(f"wrote {path}")
    return 0
