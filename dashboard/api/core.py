"""The small JSON API for scripts and QGIS: summary, layers as GeoJSON, status changes.

Contract (scripts depend on it): ``/api/summary`` answers ``{"districts": [{"code", "name",
"division", "counts": {"premises", "tipoffs", "adverts"}, "status": {...}}], "totals": {...}}``;
every GeoJSON feature has ``id``, ``kind``, ``district_code``, ``status`` and ``version``.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify, request

from dashboard.access import ADMIN, COMMANDER, OPERATIONAL, current_principal, require
from dashboard.api import fields
from dashboard.api.errors import Answer, domain_errors, json_error
from dashboard.api.planning import status_request
from dashboard.context import services
from layers.audit import processing_log
from layers.core.errors import NotFound
from layers.core.kinds import KIND_NAMES
from layers.core.queries import current_frame, district_summary, geojson, location_detail, totals
from layers.core.status import STATUSES
from layers.planning.status_changes import set_status

logger = logging.getLogger(__name__)

api_blueprint = Blueprint("api", __name__)


@api_blueprint.get("/api/summary")
@require(*OPERATIONAL)
def summary() -> Response:
    """Per district: counts per layer and per status, plus force totals."""
    svc = services()
    _rev, frame = current_frame(svc.db)
    rows = district_summary(frame, svc.boundaries[["code", "name", "division"]])
    return jsonify({"districts": rows, "totals": totals(rows)})


@api_blueprint.get("/api/layers/<kind>.geojson")
@require(*OPERATIONAL)
def layer_geojson(kind: str) -> Response | tuple[Response, int]:
    """One layer as GeoJSON, filtered by ``district`` and ``status`` (repeatable parameters)."""
    if kind not in KIND_NAMES:
        return json_error(404, f"unknown layer {kind!r}: use one of {', '.join(KIND_NAMES)}")
    statuses = tuple(request.args.getlist("status"))
    bad = [s for s in statuses if s not in STATUSES]
    if bad:
        return json_error(400, f"unknown status {bad[0]!r}: use one of {', '.join(STATUSES)}")
    principal = current_principal()
    svc = services()
    with svc.db.read() as session:
        collection = geojson(session, kind, tuple(request.args.getlist("district")), statuses)
    ids = [f["properties"]["id"] for f in collection["features"]]
    with svc.db.write(bump=False) as session:
        processing_log.record(
            session,
            principal.username,
            processing_log.CONSULTATION,
            f"API read of layer {kind} as GeoJSON",
            records=ids,
        )
    response = jsonify(collection)
    response.mimetype = "application/geo+json"
    return response


@api_blueprint.patch("/api/locations/<int(max=2147483647):location_id>")
@require(ADMIN, COMMANDER)
def patch_location(location_id: int) -> Answer:
    """Change a location's status: JSON ``status``, ``version``, optional ``note``/``outcome``.

    The same change, rules and error answers as ``POST /api/locations/<id>/status``.
    """
    user = current_principal().username

    def change() -> tuple[Response, int]:
        request_ = status_request(fields.json_object())
        with services().db.write() as session:
            loc = set_status(session, location_id, username=user, **request_)
            detail = location_detail(session, loc.id)
        if detail is None:  # removed in the same instant by an undo: say so rather than fail
            raise NotFound(f"no location {location_id}")
        keep = ("id", "kind", "status", "version", "outcome", "district_code")
        return jsonify({k: detail[k] for k in keep}), 200

    return domain_errors(change)
