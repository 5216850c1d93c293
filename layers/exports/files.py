"""Exports of any layer, filtered as on screen, to CSV, XLSX, GeoJSON and GeoPackage.

Analysts take layers back into QGIS and Excel. Text cells that a spreadsheet would run as a
formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) get a leading
apostrophe in CSV and XLSX, so an imported advert titled ``=HYPERLINK(...)`` cannot act when the
export is opened. GeoJSON and GeoPackage are written by GDAL to a path we choose; every export
is logged as a disclosure in the processing log.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import tempfile
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.crs import WGS84
from layers.audit import processing_log
from layers.core.db import Database
from layers.core.kinds import KIND_NAMES, KINDS
from layers.core.models import CustomLayer, Location
from layers.core.queries import Filters, current_frame, filter_mask
from layers.exports.cells import safe_cell, safe_frame
from layers.maplayers.store import layer_features

logger = logging.getLogger(__name__)

FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv", ".csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "geojson": ("application/geo+json", ".geojson"),
    "gpkg": ("application/geopackage+sqlite3", ".gpkg"),
}
XLSX_MAX_ROWS = 1_048_575

COMMON_COLUMNS = (
    "id",
    "kind",
    "lon",
    "lat",
    "easting",
    "northing",
    "district_code",
    "division",
    "status",
    "outcome",
    "version",
)
PROVENANCE_COLUMNS = ("source", "created_by", "created_at", "import_id", "is_demo")


class ExportError(ValueError):
    """The export cannot be made as asked (unknown layer or format, too many rows for Excel)."""


@dataclass(frozen=True)
class ExportFile:
    """A finished export: its bytes, a file name to offer, its media type and row count."""

    data: bytes
    file_name: str
    mimetype: str
    rows: int


def kind_columns(kind: str) -> list[str]:
    """Columns exported for a built-in kind: common, the kind's fields, provenance."""
    fields = [f.name for f in KINDS[kind].fields]
    extra = ["phone_hash"] if kind == "adverts" else []
    return list(dict.fromkeys([*COMMON_COLUMNS, *fields, *extra, *PROVENANCE_COLUMNS]))


def kind_frame(session: Session, kind: str, ids: np.ndarray | None = None) -> gpd.GeoDataFrame:
    """Every location of ``kind`` (only ``ids`` when given), with point geometries."""
    if kind not in KIND_NAMES:
        raise ExportError(f"unknown layer {kind!r}: use one of {', '.join(KIND_NAMES)} or custom")
    columns = kind_columns(kind)
    query = (
        select(*(getattr(Location, c) for c in columns))
        .where(Location.kind == kind)
        .order_by(Location.id)
    )
    frame = pd.DataFrame(session.execute(query).all(), columns=columns)
    if ids is not None:
        frame = frame.loc[frame["id"].isin(ids)].reset_index(drop=True)
    for column in ("observed_at", "created_at"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column], utc=True, format="mixed")
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs=WGS84)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=WGS84)


def filtered_ids(db: Database, kind: str, filters: Filters) -> np.ndarray:
    """Ids of ``kind`` passing ``filters``, exactly as the map filters them."""
    _revision, frame = current_frame(db)
    mask = filter_mask(frame, dc_replace(filters, kinds=(kind,)))
    return frame["id"].to_numpy()[mask]


def custom_frame(
    session: Session, layer: str | int, filters: Filters | None = None
) -> gpd.GeoDataFrame:
    """A custom layer's features with their attributes (district filter applies)."""
    query = select(CustomLayer)
    query = (
        query.where(CustomLayer.id == int(layer))
        if str(layer).isdigit()
        else query.where(CustomLayer.name == str(layer))
    )
    found = session.scalars(query).first()
    if found is None:
        raise ExportError(f"there is no custom layer {layer!r}")
    geoms, props, codes = layer_features(session, found.id)
    frame = pd.DataFrame.from_records(props) if props else pd.DataFrame()
    frame["district_code"] = codes
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=WGS84), crs=WGS84)
    if filters is not None and filters.districts:
        gdf = gdf.loc[gdf["district_code"].isin(filters.districts)]
    return gdf.reset_index(drop=True)


def _table(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """A plain table for CSV/XLSX: points as lon/lat columns, other shapes as WKT."""
    frame = pd.DataFrame(gdf.drop(columns="geometry"))
    if "lon" not in frame.columns and len(gdf):
        frame["wkt"] = shapely.to_wkt(
            np.asarray(gdf.geometry.array, dtype=object), rounding_precision=7
        )
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.tz_convert("UTC").dt.tz_localize(None)
    return frame


def write_export(gdf: gpd.GeoDataFrame, fmt: str, path: Path, layer_name: str = "layer") -> int:
    """Write ``gdf`` to ``path`` in ``fmt``; returns the number of rows."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "csv":
        table = safe_frame(_table(gdf))
        table.to_csv(path, index=False, date_format="%Y-%m-%dT%H:%M:%SZ")
    elif fmt == "xlsx":
        _write_xlsx(safe_frame(_table(gdf)), path, layer_name)
    else:
        out = gdf.copy()
        for column in out.columns:
            if out[column].dtype == object and column != "geometry":
                out[column] = out[column].map(
                    lambda v: None if v is None else str(v), na_action="ignore"
                )
        driver = "GeoJSON" if fmt == "geojson" else "GPKG"
        kwargs = (
            {"layer": re.sub(r"[^A-Za-z0-9_]+", "_", layer_name)[:60] or "layer"}
            if fmt == "gpkg"
            else {}
        )
        out.to_file(path, driver=driver, engine="pyogrio", **kwargs)
    return len(gdf)


def _write_xlsx(table: pd.DataFrame, path: Path, sheet: str) -> None:
    from openpyxl import Workbook

    if len(table) > XLSX_MAX_ROWS:
        raise ExportError(
            f"{len(table):,} rows do not fit in an Excel sheet ({XLSX_MAX_ROWS:,} at most): "
            "filter the layer further or export CSV or GeoPackage."
        )
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=re.sub(r"[\[\]\*\?/\\:]", "_", sheet)[:31] or "layer")
    ws.append([str(c) for c in table.columns])
    clean = table.astype(object).where(table.notna(), None)
    for row in clean.itertuples(index=False, name=None):
        ws.append([_xlsx_value(v) for v in row])
    workbook.save(path)


def _xlsx_value(value: object) -> object:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return safe_cell(value)


def export_layer(
    db: Database,
    kind: str,
    fmt: str,
    username: str,
    filters: Filters | None = None,
    layer: str | int | None = None,
) -> ExportFile:
    """Export a built-in kind (filtered) or a custom layer (``kind="custom"``, ``layer``)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    with db.read() as session:
        if kind == "custom":
            if layer is None:
                raise ExportError("name the custom layer to export (--layer NAME)")
            gdf = custom_frame(session, layer, filters)
            name = str(layer)
        else:
            ids = filtered_ids(db, kind, filters) if filters is not None else None
            gdf = kind_frame(session, kind, ids)
            name = kind
    mimetype, suffix = FORMATS[fmt]
    folder = Path(tempfile.mkdtemp(prefix="opsmap-export-"))
    try:
        path = folder / f"export{suffix}"
        rows = write_export(gdf, fmt, path, name)
        data = path.read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    ids = [int(i) for i in gdf["id"]] if kind != "custom" else []
    with db.write(bump=False) as session:
        processing_log.record(
            session,
            username,
            processing_log.DISCLOSURE,
            f"export of {name} ({rows} rows) as {fmt}",
            records=ids,
        )
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", name)[:60] or "layer"
    return ExportFile(data, f"opsmap-{safe}-{stamp}{suffix}", mimetype, rows)
