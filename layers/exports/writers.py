"""Writing an export in each format, every one carrying the protective marking.

- CSV: a first and a last line holding the marking, unless machine-clean output is asked for
  (the file name then carries the marking); header and cells neutralised by the one safe-cell
  rule (:mod:`layers.exports.cells`).
- XLSX: a marking row above the header, and the marking in the header and footer of every
  printed page; the header row repeats on each page.
- GeoJSON: a top-level ``marking`` member (and the marking as the collection's description).
- GeoPackage: the marking in ``gpkg_metadata`` (dataset and layer) and in the layer's
  description in ``gpkg_contents``.

GeoJSON and GeoPackage are written by GDAL to a path we choose, with 6-decimal coordinates.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.exports.cells import safe_cell, safe_frame, safe_text
from layers.exports.frames import DECIMALS, ExportError, plain_table
from layers.exports.labels import column_labels

logger = logging.getLogger(__name__)

XLSX_MAX_ROWS = 1_048_574
"""Excel's row limit less the marking row and the header row."""
CSV_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def write_csv(
    gdf: gpd.GeoDataFrame, path: Path, marking: str, kind: str | None, *, clean: bool
) -> None:
    """CSV; readable labels and marking lines, or (``clean``) field names and no marking lines."""
    table = plain_table(gdf)
    if not clean:
        table.columns = column_labels([str(c) for c in table.columns], kind)
    table = safe_frame(table)
    with path.open("w", encoding="utf-8", newline="") as out:
        if not clean:
            out.write(_csv_line(marking))
        table.to_csv(out, index=False, date_format=CSV_TIME_FORMAT, lineterminator="\r\n")
        if not clean:
            out.write(_csv_line(marking))


def _csv_line(marking: str) -> str:
    text = safe_text(marking).replace('"', '""')
    return f'"{text}"\r\n'


def write_xlsx(
    gdf: gpd.GeoDataFrame, path: Path, marking: str, kind: str | None, sheet: str
) -> None:
    """XLSX with the marking row, readable labels and the marking on every printed page."""
    from openpyxl import Workbook

    table = plain_table(gdf)
    if len(table) > XLSX_MAX_ROWS:
        raise ExportError(
            f"{len(table):,} rows do not fit in an Excel sheet ({XLSX_MAX_ROWS:,} at most): "
            "filter the layer further or export CSV or GeoPackage."
        )
    table.columns = column_labels([str(c) for c in table.columns], kind)
    table = safe_frame(table)
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=re.sub(r"[\[\]\*\?/\\:]", "_", sheet)[:31] or "layer")
    printed = marking.replace("&", "&&")  # '&' starts a header/footer code in Excel
    for part in (
        ws.oddHeader,
        ws.evenHeader,
        ws.firstHeader,
        ws.oddFooter,
        ws.evenFooter,
        ws.firstFooter,
    ):
        part.center.text = printed
    ws.print_title_rows = "1:2"
    ws.freeze_panes = "A3"
    ws.append([safe_cell(marking)])
    ws.append(list(table.columns))
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


def write_gis(gdf: gpd.GeoDataFrame, path: Path, fmt: str, marking: str, layer: str) -> None:
    """GeoJSON or GeoPackage through GDAL, with the marking where each format keeps metadata."""
    out = gdf.copy()
    for column in out.columns:
        if out[column].dtype == object and column != "geometry":
            out[column] = out[column].map(
                lambda v: None if v is None else str(v), na_action="ignore"
            )
    if fmt == "geojson":
        out.to_file(
            path,
            driver="GeoJSON",
            engine="pyogrio",
            layer_options={
                "FOREIGN_MEMBERS_COLLECTION": json.dumps({"marking": marking}),
                "DESCRIPTION": f"Protective marking: {marking}",
                "COORDINATE_PRECISION": str(DECIMALS),
            },
        )
        return
    out.to_file(
        path,
        driver="GPKG",
        engine="pyogrio",
        layer=re.sub(r"[^A-Za-z0-9_]+", "_", layer)[:60] or "layer",
        layer_options={"DESCRIPTION": f"Protective marking: {marking}"},
        dataset_metadata={"MARKING": marking},
        layer_metadata={"MARKING": marking},
    )
