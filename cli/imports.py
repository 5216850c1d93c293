"""CLI commands ``import`` and ``export`` (and ``imports`` to list or undo past imports).

``python app.py import PATH --kind adverts --dry-run --json`` prints the validation report
(machine-readable with ``--json``) and exits 0 when the file was accepted, 1 when refused.

Whoever runs the CLI is on the server with the database's credentials, so ``imports --undo``
acts as an admin would: it may undo anyone's import, and like every undo it keeps what others
have acted on and is logged under ``--user``.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
from pathlib import Path

from config import Config
from layers.core.kinds import KIND_NAMES
from layers.core.queries import Filters
from layers.core.status import STATUSES
from layers.exports.files import FORMATS, ExportError, ExportRequest, export_layer
from layers.imports import (
    IMPORT_KINDS,
    ImportRefused,
    Undoer,
    UndoRefused,
    import_file,
    list_imports,
    parse_map_args,
    parse_value_args,
    undo_import,
)
from layers.services import Services

logger = logging.getLogger(__name__)


def _default_user() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``import``, ``export`` and ``imports`` to the CLI."""
    imp = sub.add_parser(
        "import", help="import a file (CSV, XLSX, GeoJSON, GPKG, zipped SHP, KML/KMZ)"
    )
    imp.add_argument("path", type=Path, help="the file to import")
    imp.add_argument(
        "--kind", required=True, choices=IMPORT_KINDS, help="layer kind to import into"
    )
    imp.add_argument("--name", help="name of the custom layer (default: the file name)")
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="map a column to a field or location role (lat, lon, easting, northing, gridref, "
        "postcode, wkt, ignore); repeatable",
    )
    imp.add_argument(
        "--value",
        action="append",
        default=[],
        metavar="FIELD:VALUE=KNOWN",
        help="map a value the vocabulary lacks to a known one, e.g. premises_type:Bedsit=HMO; "
        "repeatable",
    )
    imp.add_argument("--dry-run", action="store_true", help="validate and report; store nothing")
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    imp.add_argument("--user", default=None, help="who is importing (recorded as provenance)")
    imp.set_defaults(handler=cmd_import)

    exp = sub.add_parser(
        "export", help="export a layer (filtered) to CSV, XLSX, GeoJSON or GeoPackage"
    )
    exp.add_argument("--kind", required=True, choices=(*KIND_NAMES, "custom"))
    exp.add_argument("--layer", help="custom layer name or id (with --kind custom)")
    exp.add_argument("--format", required=True, choices=tuple(FORMATS), dest="fmt")
    exp.add_argument("--out", required=True, type=Path, help="file to write")
    exp.add_argument("--district", action="append", default=[], help="district code; repeatable")
    exp.add_argument("--status", action="append", default=[], choices=STATUSES, help="repeatable")
    exp.add_argument(
        "--clean",
        action="store_true",
        help="machine-clean CSV: field names as the header, no marking lines (the file name "
        "still carries the marking)",
    )
    exp.add_argument("--user", default=None)
    exp.set_defaults(handler=cmd_export)

    imports = sub.add_parser("imports", help="list past imports, or undo one")
    imports.add_argument("--undo", type=int, metavar="ID", help="undo import ID as a unit")
    imports.add_argument("--user", default=None)
    imports.add_argument("--json", action="store_true")
    imports.set_defaults(handler=cmd_imports)


def cmd_import(args: argparse.Namespace) -> int:
    """Import (or dry-run) one file and print its report; 0 accepted, 1 refused."""
    svc = Services(Config.from_env())
    try:
        mapping = parse_map_args(args.map)
        values = parse_value_args(args.value)
    except ImportRefused as exc:
        print(f"REFUSED: {exc}", file=sys.stderr)
        return 1
    if not args.path.is_file():
        print(f"REFUSED: {args.path} is not a file", file=sys.stderr)
        return 1
    result = import_file(
        svc,
        args.path,
        args.path.name,
        args.kind,
        args.user or _default_user(),
        name=args.name,
        mapping=mapping,
        values=values,
        dry_run=args.dry_run,
    )
    report = result.report
    if args.json:
        print(json.dumps(report.as_dict(), indent=2, default=str))
    else:
        print("\n".join(report.lines()))
    return 0 if report.ok else 1


def cmd_export(args: argparse.Namespace) -> int:
    """Write one layer, filtered by district and status, to ``--out``."""
    svc = Services(Config.from_env())
    filters = Filters(districts=tuple(args.district), statuses=tuple(args.status))
    request = ExportRequest(args.kind, args.fmt, args.layer, filters, clean=args.clean)
    try:
        export = export_layer(svc, request, args.user or _default_user())
    except ExportError as exc:
        print(f"export: {exc}", file=sys.stderr)
        return 1
    args.out.write_bytes(export.data)
    print(f"export: {export.rows} rows of {args.layer or args.kind} written to {args.out}")
    return 0


def cmd_imports(args: argparse.Namespace) -> int:
    """List imports, newest first, or undo one."""
    svc = Services(Config.from_env())
    if args.undo is not None:
        try:
            outcome = undo_import(svc.db, args.undo, Undoer(args.user or _default_user(), True))
        except UndoRefused as exc:
            print(f"undo: {exc}", file=sys.stderr)
            return 1
        print(f"undo: {outcome.message()}")
        return 0
    with svc.db.read() as session:
        rows = list_imports(session)
    if args.json:
        print(json.dumps([r.as_dict() for r in rows], indent=2))
        return 0
    for r in rows:
        print(
            f"#{r.id:<5} {r.created_at}  {r.status:<9} {r.kind:<8} {r.rows_stored:>8} stored  "
            f"{r.file_name}  by {r.created_by}"
        )
    return 0
