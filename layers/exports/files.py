"""Exports of any layer, filtered as on screen, to CSV, XLSX, GeoJSON and GeoPackage.

Analysts take layers back into QGIS and Excel. What a file holds is :mod:`layers.exports.frames`
(district name and code, 6-decimal coordinates); how each format carries the protective marking
is :mod:`layers.exports.writers`; every text cell and header goes through the one safe-cell rule
(:mod:`layers.exports.cells`). Every export is logged as a disclosure in the processing log.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from layers.audit import processing_log
from layers.core.queries import Filters
from layers.exports.frames import (
    ExportError,
    ExportNotFound,
    custom_frame,
    filtered_ids,
    find_layer,
    kind_frame,
)
from layers.exports.writers import write_csv, write_gis, write_xlsx
from layers.services import Services

logger = logging.getLogger(__name__)

CUSTOM = "custom"
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv", ".csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "geojson": ("application/geo+json", ".geojson"),
    "gpkg": ("application/geopackage+sqlite3", ".gpkg"),
}

__all__ = [
    "FORMATS",
    "ExportError",
    "ExportFile",
    "ExportNotFound",
    "ExportRequest",
    "export_layer",
]


@dataclass(frozen=True)
class ExportRequest:
    """What to export: a built-in kind (filtered) or a custom layer, in which format.

    ``clean`` asks for machine-clean CSV: field names as the header and no marking lines (the
    file name still carries the marking).
    """

    kind: str
    fmt: str
    layer: str | int | None = None
    filters: Filters | None = None
    clean: bool = False

    @classmethod
    def from_choice(
        cls, choice: str, fmt: str, filters: Filters | None = None, clean: bool = False
    ) -> ExportRequest:
        """From the page's layer choice: a kind name, or ``custom:<layer id>``."""
        kind, _, layer = choice.partition(":")
        return cls(kind, fmt, layer or None, filters, clean)


@dataclass(frozen=True)
class ExportFile:
    """A finished export: its bytes, a file name to offer, its media type and row count."""

    data: bytes
    file_name: str
    mimetype: str
    rows: int


def write_export(
    gdf: gpd.GeoDataFrame, path: Path, request: ExportRequest, marking: str, name: str
) -> int:
    """Write ``gdf`` to ``path`` in the requested format; returns the number of rows."""
    kind = None if request.kind == CUSTOM else request.kind
    if request.fmt == "csv":
        write_csv(gdf, path, marking, kind, clean=request.clean)
    elif request.fmt == "xlsx":
        write_xlsx(gdf, path, marking, kind, name)
    else:
        write_gis(gdf, path, request.fmt, marking, name)
    return len(gdf)


def export_layer(services: Services, request: ExportRequest, username: str) -> ExportFile:
    """Export a built-in kind (filtered) or a custom layer, logged as a disclosure."""
    if request.fmt not in FORMATS:
        raise ExportError(f"unknown format {request.fmt!r}: use one of {', '.join(FORMATS)}")
    gdf, name = _frame(services, request)
    mimetype, suffix = FORMATS[request.fmt]
    folder = Path(tempfile.mkdtemp(prefix="opsmap-export-"))
    try:
        path = folder / f"export{suffix}"
        rows = write_export(gdf, path, request, services.config.marking, name)
        data = path.read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    ids = [int(i) for i in gdf["id"]] if request.kind != CUSTOM else []
    with services.db.write(bump=False) as session:
        processing_log.record(
            session,
            username,
            processing_log.DISCLOSURE,
            f"export of {name} ({rows} rows) as {request.fmt}",
            records=ids,
        )
    return ExportFile(data, export_file_name(name, services.config.marking, suffix), mimetype, rows)


def _frame(services: Services, request: ExportRequest) -> tuple[gpd.GeoDataFrame, str]:
    with services.db.read() as session:
        if request.kind == CUSTOM:
            if request.layer is None:
                raise ExportError("choose the custom layer to export")
            layer = find_layer(session, request.layer)
            return custom_frame(session, layer, services.districts, request.filters), layer.name
        ids = (
            filtered_ids(services.db, request.kind, request.filters)
            if request.filters is not None
            else None
        )
        return kind_frame(session, request.kind, services.districts, ids), request.kind


def export_file_name(name: str, marking: str, suffix: str, now: dt.datetime | None = None) -> str:
    """``opsmap-premises-OFFICIAL-SENSITIVE-20261125-1430.csv``: the marking is in every name."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M")
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", name)[:60] or "layer"
    label = re.sub(r"[^A-Za-z0-9_-]+", "_", marking)[:40] or "marked"
    return f"opsmap-{safe}-{label}-{stamp}{suffix}"
