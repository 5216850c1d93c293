"""GeoJSON's coordinate-system member, checked before GDAL opens the file.

The 2008 GeoJSON format let a file name its CRS by a web link (``"crs": {"type": "link",
"properties": {"href": "http://..."}}``), and GDAL fetches that link while opening the file: an
analyst's upload could make the server call any address it can reach (server-side request
forgery), even on a dry run. OpsMap never lets an import open a network connection, so a file
whose ``crs`` (or JSON-FG ``coordRefSys``) points anywhere but a registry name is refused here,
with the fix in the analyst's words. GDAL's own network access is also off for the whole
process (:mod:`layers.imports.offline`); this check is what makes the refusal clear.
"""

from __future__ import annotations

import json
import logging
import mmap
import re
from pathlib import Path
from typing import Any

from layers.imports.safety import ImportRefused

logger = logging.getLogger(__name__)

_MAYBE_CRS = re.compile(rb"crs|coordrefsys|\\u", re.IGNORECASE)
"""Bytes that could spell a CRS member (JSON keys may be written with ``\\u`` escapes)."""
_CRS_KEYS = ("crs", "coordrefsys")
_REGISTRY_NAME = re.compile(
    r"^(?:(?:EPSG|ESRI|IGNF|OGC|CRS):{1,2}[\w.:-]+|urn:ogc:def:crs:[\w.:-]+|"
    r"https?://www\.opengis\.net/def/crs/[\w.-]+/[\w.-]+/[\w.-]+)$",
    re.IGNORECASE,
)


def check_geojson_crs(path: Path, file_name: str) -> None:
    """Refuse a GeoJSON document whose coordinate system is a link, a URL or a file path."""
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ImportRefused(
                f"'{file_name}' is UTF-16 text; GeoJSON is always UTF-8. Save it again as UTF-8."
            )
        fh.seek(0)
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as view:
            if _MAYBE_CRS.search(view) is None:
                return
    found: list[str] = []
    try:
        json.loads(path.read_bytes(), object_pairs_hook=lambda pairs: _inspect(pairs, found))
    except (ValueError, RecursionError) as exc:
        raise ImportRefused(
            f"'{file_name}' is not valid JSON ({str(exc).splitlines()[0]}); it may be truncated "
            "or damaged."
        ) from None
    if found:
        raise ImportRefused(
            f"'{file_name}' gives its coordinate system as {found[0]}, which OpsMap will not "
            "fetch (an import never opens a network connection or another file). Export it "
            "again with the coordinate system named, such as EPSG:27700, or in WGS84 without "
            "a 'crs' member."
        )


def _inspect(pairs: list[tuple[str, Any]], found: list[str]) -> dict[str, Any]:
    for key, value in pairs:
        if key.lower() in _CRS_KEYS:
            found.extend(_remote(value))
    return dict(pairs)


def _remote(value: Any) -> list[str]:
    """What in a CRS member is not a plain registry name (a link type, a URL, a path)."""
    if isinstance(value, dict):
        kind = str(value.get("type", value.get("TYPE", ""))).lower()
        if kind.startswith(("link", "url")):
            return [f"a '{kind}' reference"]
        return [item for v in value.values() for item in _remote(v)]
    if isinstance(value, list):
        return [item for v in value for item in _remote(v)]
    if isinstance(value, str) and value and not _REGISTRY_NAME.match(value.strip()):
        if value.strip().lower() in ("name", "epsg", "ogc", "reference"):
            return []
        return [f"'{value[:80]}'"]
    return []
