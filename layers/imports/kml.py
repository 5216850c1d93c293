"""KML placemarks (Google Earth, i2, scraping tools) parsed without trusting the XML.

``defusedxml`` refuses any DTD, entity declaration or external reference, so billion-laughs
expansion and external-entity reads cannot happen; the file size is already bounded by the
upload limit. GDAL never sees the KML. Each Placemark becomes one row: its name, description,
timestamp and ExtendedData values as columns, and its geometry (Point, LineString, Polygon or
MultiGeometry) in EPSG:4326, which is what KML always uses.
"""

from __future__ import annotations

import logging

# Only the types come from the standard library; every parse goes through defusedxml.
from xml.etree.ElementTree import Element, ParseError  # nosec B405

import numpy as np
import pandas as pd
import shapely
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from layers.imports.safety import ImportRefused

logger = logging.getLogger(__name__)


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _first(element: Element, name: str) -> Element | None:
    for c in element.iter():
        if _local(c.tag) == name:
            return c
    return None


def _coords(element: Element | None) -> list[tuple[float, float]]:
    if element is None:
        return []
    node = _first(element, "coordinates")
    if node is None or not node.text:
        return []
    points = []
    for token in node.text.split():
        parts = token.split(",")
        if len(parts) >= 2:
            points.append((float(parts[0]), float(parts[1])))
    return points


def _geometry(element: Element) -> shapely.Geometry | None:
    name = _local(element.tag)
    if name == "Point":
        pts = _coords(element)
        return shapely.Point(pts[0]) if pts else None
    if name == "LineString":
        pts = _coords(element)
        return shapely.LineString(pts) if len(pts) >= 2 else None
    if name == "Polygon":
        outer = _first(element, "outerBoundaryIs")
        shell = _coords(outer)
        holes = [_coords(b) for b in element.iter() if _local(b.tag) == "innerBoundaryIs"]
        return (
            shapely.Polygon(shell, [h for h in holes if len(h) >= 4]) if len(shell) >= 4 else None
        )
    if name == "MultiGeometry":
        parts = [_geometry(c) for c in element]
        parts = [p for p in parts if p is not None]
        return shapely.GeometryCollection(parts) if parts else None
    return None


GEOMETRY_TAGS = ("Point", "LineString", "Polygon", "MultiGeometry")


def _placemark(mark: Element) -> tuple[dict[str, str | None], shapely.Geometry | None]:
    props: dict[str, str | None] = {}
    for child in mark:
        tag = _local(child.tag)
        if tag in ("name", "description", "address"):
            props[tag] = (child.text or "").strip() or None
        elif tag in ("TimeStamp", "TimeSpan"):
            when = _first(child, "when")
            if when is None:
                when = _first(child, "begin")
            props["timestamp"] = (
                (when.text or "").strip() if when is not None and when.text else None
            )
        elif tag == "ExtendedData":
            for data in child.iter():
                local = _local(data.tag)
                if local == "Data" and data.get("name"):
                    value = _first(data, "value")
                    props[str(data.get("name"))] = (
                        (value.text or "").strip() if value is not None else None
                    )
                elif local == "SimpleData" and data.get("name"):
                    props[str(data.get("name"))] = (data.text or "").strip() or None
    geom = None
    for child in mark:
        if _local(child.tag) in GEOMETRY_TAGS:
            geom = _geometry(child)
            break
    if isinstance(geom, shapely.GeometryCollection):
        geom = _simplify_collection(geom)
    return props, geom


def _simplify_collection(geom: shapely.GeometryCollection) -> shapely.Geometry:
    """A MultiGeometry of one type becomes a Multi* geometry (what GIS tools expect)."""
    types = {g.geom_type for g in geom.geoms}
    if types == {"Point"}:
        return shapely.MultiPoint(list(geom.geoms))
    if types == {"LineString"}:
        return shapely.MultiLineString(list(geom.geoms))
    if types == {"Polygon"}:
        return shapely.MultiPolygon(list(geom.geoms))
    return geom


def parse_kml(data: bytes, file_name: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Placemarks of a KML document as (attribute frame, geometry array); refuses unsafe XML."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ImportRefused(
            f"'{file_name}' declares a DTD or XML entities ({exc.__class__.__name__}), "
            "which OpsMap refuses for safety; export the KML again without a DOCTYPE."
        ) from None
    except ParseError as exc:
        raise ImportRefused(
            f"'{file_name}' is not well-formed XML ({exc}); it may be truncated."
        ) from None
    if _local(root.tag) != "kml":
        raise ImportRefused(
            f"'{file_name}' is XML but not KML (its root element is <{_local(root.tag)}>)."
        )
    records: list[dict[str, str | None]] = []
    geoms: list[shapely.Geometry | None] = []
    try:
        for mark in root.iter():
            if _local(mark.tag) != "Placemark":
                continue
            props, geom = _placemark(mark)
            records.append(props)
            geoms.append(geom)
    except (ValueError, shapely.errors.GEOSException) as exc:
        raise ImportRefused(f"'{file_name}' has coordinates that are not numbers: {exc}") from None
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    return frame.astype(object), np.asarray([*geoms, None], dtype=object)[:-1]
