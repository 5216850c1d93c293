"""HTTP endpoints for scripted imports and exports (analysts and admins only).

- ``POST /api/imports``: multipart ``file`` plus ``kind`` (``premises``, ``tipoffs``, ``adverts``,
  ``custom``), optional ``dry_run`` (``1``/``true``), ``name``, repeatable ``map``
  (``COLUMN=FIELD``) and repeatable ``value`` (``FIELD:VALUE=KNOWN VALUE``). Answers the
  validation report: 200 when accepted, 422 when refused. The upload size limit is enforced by
  Flask (``MAX_CONTENT_LENGTH``: 413) and again while the file is staged.
- ``GET /api/imports``: past imports, newest first; ``GET /api/imports/<id>``: one, with the
  report stored when it was committed.
- ``POST /api/imports/<id>/undo``: remove what an import stored that nobody has acted on (only
  the importer or an admin); the answer lists what was kept.
- ``GET /api/export/<kind>.<fmt>``: a layer filtered by ``district`` and ``status`` (repeatable);
  ``kind`` ``custom`` takes ``layer``; ``clean=1`` leaves the marking lines out of a CSV.

Domain errors are answered through :mod:`dashboard.api.errors` (404, 403, 409, 400).
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify, request

from dashboard.access import ADMIN, ANALYST, current_principal, require, same_origin_only
from dashboard.api.errors import error_response, json_error
from dashboard.context import services
from layers.core.queries import Filters
from layers.core.status import STATUSES
from layers.exports.files import ExportError, ExportRequest, export_layer
from layers.imports import (
    IMPORT_KINDS,
    ImportNotFound,
    ImportRefused,
    Undoer,
    UndoRefused,
    get_import,
    import_file,
    import_report,
    list_imports,
    parse_map_args,
    parse_value_args,
    undo_import,
)

logger = logging.getLogger(__name__)

imports_api = Blueprint("imports_api", __name__)

TRUE = ("1", "true", "yes", "on")


@imports_api.post("/api/imports")
@require(ANALYST, ADMIN)
def post_import() -> tuple[Response, int]:
    """Import (or dry-run) one uploaded file; the body is the report."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return json_error(400, "send the file as multipart form field 'file'")
    kind = request.form.get("kind", "")
    if kind not in IMPORT_KINDS:
        return json_error(400, f"kind must be one of {', '.join(IMPORT_KINDS)}")
    try:
        mapping = parse_map_args(request.form.getlist("map"))
        values = parse_value_args(request.form.getlist("value"))
    except ImportRefused as exc:
        return json_error(400, str(exc))
    result = import_file(
        services(),
        upload.stream,
        upload.filename,
        kind,
        current_principal().username,
        name=request.form.get("name") or None,
        mapping=mapping,
        values=values,
        dry_run=request.form.get("dry_run", "").lower() in TRUE,
    )
    return jsonify(result.report.as_dict()), 200 if result.report.ok else 422


@imports_api.get("/api/imports")
@require(ANALYST, ADMIN)
def get_imports() -> Response:
    """Past imports, newest first."""
    with services().db.read() as session:
        rows = list_imports(session)
    return jsonify({"imports": [r.as_dict() for r in rows]})


@imports_api.get("/api/imports/<int:import_id>")
@require(ANALYST, ADMIN)
def get_one_import(import_id: int) -> Response | tuple[Response, int]:
    """One import and the report stored when it was committed."""
    try:
        with services().db.read() as session:
            found = get_import(session, import_id)
            report = import_report(session, import_id)
    except ImportNotFound as exc:
        return error_response(exc)
    return jsonify({**found.as_dict(), "report": report})


@imports_api.post("/api/imports/<int:import_id>/undo")
@require(ANALYST, ADMIN)
def post_undo(import_id: int) -> tuple[Response, int]:
    """Undo one import: what nobody has acted on goes, the rest stays and is listed."""
    principal = current_principal()
    try:
        outcome = undo_import(
            services().db, import_id, Undoer(principal.username, admin=principal.role == ADMIN)
        )
    except UndoRefused as exc:
        return error_response(exc)
    body = {
        "id": import_id,
        "status": "undone" if outcome.complete else "partly undone",
        "removed": outcome.removed,
        "kept": [{"id": k.id, "ref": k.ref, "reasons": k.reasons} for k in outcome.kept],
        "message": outcome.message(),
    }
    return jsonify(body), 200


@imports_api.get("/api/export/<kind>.<fmt>")
@require(ANALYST, ADMIN)
@same_origin_only
def get_export(kind: str, fmt: str) -> Response | tuple[Response, int]:
    """A layer as a file, filtered like the map (``district``, ``status``)."""
    statuses = tuple(request.args.getlist("status"))
    bad = [s for s in statuses if s not in STATUSES]
    if bad:
        return json_error(400, f"unknown status {bad[0]!r}: use one of {', '.join(STATUSES)}")
    filters = Filters(districts=tuple(request.args.getlist("district")), statuses=statuses)
    wanted = ExportRequest(
        kind,
        fmt,
        request.args.get("layer"),
        filters,
        clean=request.args.get("clean", "").lower() in TRUE,
    )
    try:
        export = export_layer(services(), wanted, current_principal().username)
    except ExportError as exc:
        return error_response(exc)
    response = Response(export.data, mimetype=export.mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=export.file_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
