"""HTTP endpoints for scripted imports and exports (analysts and admins only).

- ``POST /api/imports``: multipart ``file`` plus ``kind`` (``premises``, ``tipoffs``, ``adverts``,
  ``custom``), optional ``dry_run`` (``1``/``true``), ``name`` and repeatable ``map``
  (``COLUMN=FIELD``). Answers the validation report: 200 when accepted, 422 when refused.
  The upload size limit is enforced by Flask (``MAX_CONTENT_LENGTH``: 413) and again while the
  file is staged.
- ``GET /api/imports``: past imports, newest first.
- ``POST /api/imports/<id>/undo``: remove everything an import stored.
- ``GET /api/export/<kind>.<fmt>``: a layer filtered by ``district`` and ``status`` (repeatable);
  ``kind`` ``custom`` takes ``layer``.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify, request

from dashboard.access import ADMIN, ANALYST, current_principal, require
from dashboard.api.errors import json_error
from dashboard.context import services
from layers.core.queries import Filters
from layers.core.status import STATUSES
from layers.exports.files import ExportError, export_layer
from layers.imports import (
    IMPORT_KINDS,
    ImportRefused,
    UndoRefused,
    import_file,
    list_imports,
    parse_map_args,
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
    except ImportRefused as exc:
        return json_error(400, str(exc))
    principal = current_principal()
    result = import_file(
        services(),
        upload.stream,
        upload.filename,
        kind,
        principal.username,
        name=request.form.get("name") or None,
        mapping=mapping,
        dry_run=request.form.get("dry_run", "").lower() in TRUE,
    )
    body = result.report.as_dict()
    return jsonify(body), 200 if result.report.ok else 422


@imports_api.get("/api/imports")
@require(ANALYST, ADMIN)
def get_imports() -> Response:
    """Past imports, newest first."""
    with services().db.read() as session:
        rows = list_imports(session)
    return jsonify({"imports": [r.as_dict() for r in rows]})


@imports_api.post("/api/imports/<int:import_id>/undo")
@require(ANALYST, ADMIN)
def post_undo(import_id: int) -> tuple[Response, int]:
    """Undo one import as a unit."""
    principal = current_principal()
    try:
        removed = undo_import(services().db, import_id, principal.username)
    except UndoRefused as exc:
        return json_error(409 if "already" in str(exc) else 404, str(exc))
    return jsonify({"id": import_id, "status": "undone", "removed": removed}), 200


@imports_api.get("/api/export/<kind>.<fmt>")
@require(ANALYST, ADMIN)
def get_export(kind: str, fmt: str) -> Response | tuple[Response, int]:
    """A layer as a file, filtered like the map (``district``, ``status``)."""
    statuses = tuple(request.args.getlist("status"))
    bad = [s for s in statuses if s not in STATUSES]
    if bad:
        return json_error(400, f"unknown status {bad[0]!r}: use one of {', '.join(STATUSES)}")
    filters = Filters(districts=tuple(request.args.getlist("district")), statuses=statuses)
    principal = current_principal()
    try:
        export = export_layer(
            services().db, kind, fmt, principal.username, filters, layer=request.args.get("layer")
        )
    except ExportError as exc:
        missing = "unknown" in str(exc) or "no custom" in str(exc)
        return json_error(404 if missing else 400, str(exc))
    response = Response(export.data, mimetype=export.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
