"""Analysts' own layers (wards, areas of interest, routes): list, style, show/hide, rename, remove.

A custom layer keeps every attribute of its source file (as JSON per feature) and any geometry
type. Its style is a small JSON object the map reads: ``colour`` (outline / marker), ``fill``
(polygon fill colour or ``null`` for none), ``symbol`` (marker shape for points: the map draws
circles only, so no icon is ever fetched), ``opacity`` (0-1).

Every change is logged in the processing log in the caller's transaction, so the change and its
log entry commit together: renaming, showing or hiding and restyling are alterations, removing
a layer is an erasure (and its import then reads "layer removed", not "committed").
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from layers.audit import processing_log
from layers.core.errors import NotFound, found
from layers.core.models import CustomFeature, CustomLayer, ImportBatch, utcnow

logger = logging.getLogger(__name__)

PALETTE = ("#7b3294", "#008837", "#e66101", "#0571b0", "#ca0020", "#404040")
SYMBOLS = ("circle",)
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


LAYER_REMOVED = "layer removed"
"""Status of an import whose custom layer an analyst removed."""


class LayerError(ValueError):
    """A custom layer change that cannot be made (bad style, name taken)."""


class LayerNotFound(LayerError, NotFound):
    """There is no custom layer with that id."""


@dataclass(frozen=True)
class LayerInfo:
    """A custom layer as the imports page and the map list it."""

    id: int
    name: str
    geometry_type: str
    style: dict[str, Any]
    visible: bool
    features: int
    import_id: int | None
    created_by: str


def geometry_family(geoms: np.ndarray) -> str:
    """``Point``, ``LineString``, ``Polygon`` (Multi* folded in) or ``mixed``."""
    if len(geoms) == 0:
        return "Geometry"
    ids = set(np.unique(shapely.get_type_id(geoms)).tolist())
    families = {
        {
            0: "Point",
            4: "Point",
            1: "LineString",
            5: "LineString",
            2: "LineString",
            3: "Polygon",
            6: "Polygon",
        }.get(i, "mixed")
        for i in ids
    }
    return families.pop() if len(families) == 1 else "mixed"


def default_style(geometry_type: str | None) -> dict[str, Any]:
    """A readable default: purple outline, light fill for polygons, 0.6 opacity."""
    polygon = geometry_type in ("Polygon", "mixed")
    return {
        "colour": PALETTE[0],
        "fill": PALETTE[0] if polygon else None,
        "symbol": "circle",
        "opacity": 0.35 if polygon else 0.8,
    }


def validate_style(style: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise a style; raises :class:`LayerError` with what is wrong."""
    out = dict(default_style(None))
    out.update({k: v for k, v in style.items() if k in out})
    if not isinstance(out["colour"], str) or not _COLOUR.match(out["colour"]):
        raise LayerError(f"colour must look like #1f77b4, not {out['colour']!r}")
    if out["fill"] not in (None, "") and (
        not isinstance(out["fill"], str) or not _COLOUR.match(out["fill"])
    ):
        raise LayerError(f"fill must be a colour like #1f77b4 or empty, not {out['fill']!r}")
    out["fill"] = out["fill"] or None
    if out["symbol"] not in SYMBOLS:
        raise LayerError(f"symbol must be one of {', '.join(SYMBOLS)}")
    try:
        opacity = float(out["opacity"])
    except (TypeError, ValueError):
        raise LayerError(f"opacity must be a number from 0 to 1, not {out['opacity']!r}") from None
    if not 0 <= opacity <= 1:
        raise LayerError(f"opacity must be from 0 to 1, not {opacity}")
    out["opacity"] = opacity
    return out


def layer_exists(session: Session, name: str, except_id: int | None = None) -> bool:
    """Whether another layer already has this name (names are unique, case-insensitively)."""
    query = select(CustomLayer.id).where(func.lower(CustomLayer.name) == name.strip().lower())
    if except_id is not None:
        query = query.where(CustomLayer.id != except_id)
    return session.scalar(query.limit(1)) is not None


def list_layers(session: Session) -> list[LayerInfo]:
    """Every custom layer with its feature count, oldest first."""
    counts = dict(
        session.execute(
            select(CustomFeature.layer_id, func.count()).group_by(CustomFeature.layer_id)
        ).all()
    )
    return [
        LayerInfo(
            id=layer.id,
            name=layer.name,
            geometry_type=layer.geometry_type,
            style=json.loads(layer.style or "{}"),
            visible=bool(layer.visible),
            features=int(counts.get(layer.id, 0)),
            import_id=layer.import_id,
            created_by=layer.created_by,
        )
        for layer in session.scalars(select(CustomLayer).order_by(CustomLayer.id))
    ]


def _layer(session: Session, layer_id: int) -> CustomLayer:
    missing = LayerNotFound(f"there is no custom layer {layer_id}")
    return found(session.get(CustomLayer, layer_id), missing)


def _log(
    session: Session,
    username: str,
    action: str,
    layer: CustomLayer,
    what: str,
    count: int | None = None,
) -> None:
    processing_log.record(
        session,
        username,
        action,
        f"custom layer '{layer.name}' (#{layer.id}): {what}",
        records=[layer.id],
        count=count,
    )


def rename_layer(session: Session, layer_id: int, name: str, *, username: str) -> CustomLayer:
    """Give a layer a new (unique, non-empty) name; logged as an alteration."""
    name = name.strip()
    if not name or len(name) > 120:
        raise LayerError("a layer name must have 1 to 120 characters")
    if layer_exists(session, name, except_id=layer_id):
        raise LayerError(f"a layer called '{name}' already exists")
    layer = _layer(session, layer_id)
    if layer.name != name:
        old = layer.name
        layer.name = name
        _log(session, username, processing_log.ALTERATION, layer, f"renamed from '{old}'")
    return layer


def merge_style(style: dict[str, Any], colour: str | None, opacity: float | None) -> dict[str, Any]:
    """``style`` with a new colour and opacity where given; a filled layer's fill follows them.

    The page's editor offers colour and opacity only, so the rest of the style (symbol, whether
    polygons are filled) is kept as it was.
    """
    merged = dict(style)
    if colour:
        merged["colour"] = colour.strip()
    if opacity is not None:
        merged["opacity"] = opacity
    if merged.get("fill"):
        merged["fill"] = merged.get("colour")
    return merged


def set_style(
    session: Session, layer_id: int, style: dict[str, Any], *, username: str
) -> CustomLayer:
    """Replace a layer's style after :func:`validate_style`; logged as an alteration."""
    layer = _layer(session, layer_id)
    new = json.dumps(validate_style(style))
    if new != layer.style:
        layer.style = new
        _log(session, username, processing_log.ALTERATION, layer, f"style set to {new}")
    return layer


def set_visible(session: Session, layer_id: int, visible: bool, *, username: str) -> CustomLayer:
    """Show or hide a layer on the map; logged as an alteration."""
    layer = _layer(session, layer_id)
    if bool(layer.visible) != bool(visible):
        layer.visible = bool(visible)
        _log(
            session,
            username,
            processing_log.ALTERATION,
            layer,
            "shown on the map" if visible else "hidden from the map",
        )
    return layer


@dataclass(frozen=True)
class LayerEdit:
    """What the layer editor asks for: name, colour, opacity and visibility."""

    name: str
    colour: str | None
    opacity: float | None
    visible: bool


def edit_layer(session: Session, layer_id: int, edit: LayerEdit, *, username: str) -> CustomLayer:
    """Apply an editor's changes (each logged) in the caller's transaction."""
    layer = rename_layer(session, layer_id, edit.name, username=username)
    style = merge_style(json.loads(layer.style or "{}"), edit.colour, edit.opacity)
    set_style(session, layer_id, style, username=username)
    set_visible(session, layer_id, edit.visible, username=username)
    return layer


def remove_layer(session: Session, layer_id: int, *, username: str) -> int:
    """Delete a layer and its features, logged as an erasure; returns how many features went."""
    layer = _layer(session, layer_id)
    gone = int(session.scalar(select(func.count()).where(CustomFeature.layer_id == layer_id)) or 0)
    session.execute(delete(CustomFeature).where(CustomFeature.layer_id == layer_id))
    _log(
        session,
        username,
        processing_log.ERASURE,
        layer,
        f"removed with {gone} features",
        count=gone,
    )
    if layer.import_id is not None:
        batch = session.get(ImportBatch, layer.import_id)
        if batch is not None:
            batch.status = LAYER_REMOVED
            batch.undone_by = username
            batch.undone_at = utcnow()
    session.delete(layer)
    return gone


def layer_features(
    session: Session, layer_id: int
) -> tuple[np.ndarray, list[dict[str, Any]], list[str]]:
    """A layer's geometries (shapely, EPSG:4326), attribute dicts and district codes."""
    rows = session.execute(
        select(CustomFeature.geometry_wkb, CustomFeature.properties, CustomFeature.district_code)
        .where(CustomFeature.layer_id == layer_id)
        .order_by(CustomFeature.id)
    ).all()
    geoms = shapely.from_wkb([bytes(r[0]) for r in rows]) if rows else np.array([], dtype=object)
    return geoms, [json.loads(r[1] or "{}") for r in rows], [r[2] for r in rows]


def layer_geojson(session: Session, layer_id: int) -> dict[str, Any]:
    """A custom layer as a GeoJSON FeatureCollection (for the map and for QGIS)."""
    layer = _layer(session, layer_id)
    geoms, props, codes = layer_features(session, layer_id)
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(shapely.to_geojson(g)) if g is not None else None,
            "properties": {**p, "district_code": c},
        }
        for g, p, c in zip(geoms, props, codes, strict=True)
    ]
    return {"type": "FeatureCollection", "name": layer.name, "features": features}
