"""The briefing pack over HTTP: ``GET /briefing/pack?date=YYYY-MM-DD&since=...&format=...``.

For partners and teams who take the briefing away: ``format`` is ``zip`` (the default: HTML,
CSV and PDF together), ``html``, ``csv`` or ``pdf``. The pack is redacted, so every signed-in
role may have it; each download is recorded as a disclosure in the processing log. The day and
``since`` are bounded to the operation (:mod:`layers.briefing.window`): outside it, a 400 that
says the allowed range.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, request

from dashboard.access import EVERYONE, current_principal, require, same_origin_only
from dashboard.api.errors import domain_errors, json_error
from dashboard.context import services
from layers.briefing.pack import PackFiles, export_pack
from layers.briefing.window import request_options

logger = logging.getLogger(__name__)

briefing_blueprint = Blueprint("briefing", __name__)

FORMATS: dict[str, str] = {
    "zip": "application/zip",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


@briefing_blueprint.get("/briefing/pack")
@require(*EVERYONE)
@same_origin_only
def briefing_pack() -> Response | tuple[Response, int]:
    """Build and send the briefing pack for a day (default today, within the operation)."""
    fmt = request.args.get("format", "zip").lower()
    if fmt not in FORMATS:
        return json_error(400, f"format must be one of {', '.join(FORMATS)}")
    svc = services()

    def export() -> PackFiles:
        options = request_options(svc.db, svc.config, request.args.get("date"),
                                  request.args.get("since"))
        return export_pack(svc.db, options, svc.boundaries, svc.config.marking,
                           current_principal().username, f"GET /briefing/pack ({fmt})")

    files = domain_errors(export)
    if not isinstance(files, PackFiles):
        return files
    body: bytes | str | None = {"html": files.html, "csv": files.csv, "pdf": files.pdf}.get(fmt)
    if fmt == "zip":
        body = files.zip_bytes()
    if body is None:
        return json_error(400, "the PDF could not be made")
    response = Response(body, mimetype=FORMATS[fmt].split(";")[0])
    response.headers["Content-Type"] = FORMATS[fmt]
    response.headers["Content-Disposition"] = f'attachment; filename="{files.stem}.{fmt}"'
    return response
