"""The briefing pack over HTTP: ``GET /briefing/pack?date=YYYY-MM-DD&since=...&format=...``.

For partners and teams who take the briefing away: ``format`` is ``zip`` (the default: HTML,
CSV and PDF together), ``html``, ``csv`` or ``pdf``. The pack is redacted, so every signed-in
role may have it; each download is recorded as a disclosure in the processing log.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import Blueprint, Response, request

from dashboard.access import EVERYONE, current_principal, require
from dashboard.api.errors import json_error
from dashboard.context import services
from layers.briefing.model import BriefingOptions
from layers.briefing.pack import export_pack
from layers.core.clock import LONDON

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
def briefing_pack() -> Response | tuple[Response, int]:
    """Build and send the briefing pack for a day (default today)."""
    fmt = request.args.get("format", "zip").lower()
    if fmt not in FORMATS:
        return json_error(400, f"format must be one of {', '.join(FORMATS)}")
    try:
        raw_day = request.args.get("date")
        day = dt.date.fromisoformat(raw_day) if raw_day else dt.datetime.now(LONDON).date()
        raw_since = request.args.get("since")
        since = dt.datetime.fromisoformat(raw_since) if raw_since else None
    except ValueError:
        return json_error(400, "date must be YYYY-MM-DD and since an ISO date and time")
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=LONDON)
    svc = services()
    principal = current_principal()
    options = BriefingOptions(day=day, since=since, address_level=svc.config.briefing_address)
    files = export_pack(svc.db, options, svc.boundaries, svc.config.marking, principal.username,
                        f"GET /briefing/pack ({fmt})")
    body: bytes | str
    if fmt == "zip":
        body = files.zip_bytes()
    elif fmt == "html":
        body = files.html
    elif fmt == "csv":
        body = files.csv
    else:
        if files.pdf is None:
            return json_error(400, "the PDF could not be made")
        body = files.pdf
    response = Response(body, mimetype=FORMATS[fmt].split(";")[0])
    response.headers["Content-Type"] = FORMATS[fmt]
    response.headers["Content-Disposition"] = f'attachment; filename="{files.stem}.{fmt}"'
    return response
