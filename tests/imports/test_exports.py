"""Exports of built-in kinds (filtered as on the map) and custom layers to the four formats,
readable again by GDAL and openpyxl, with spreadsheet formulas neutralised, the protective
marking in every format, district name and code, readable labels and 6-decimal coordinates."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from openpyxl import load_workbook

from layers.core.queries import Filters
from layers.exports.cells import safe_frame
from layers.exports.files import ExportError, ExportRequest, export_layer
from layers.imports import ImportResult
from layers.services import Services
from tests.imports.conftest import BLACKPOOL, PRESTON, WARDS

Run = Callable[..., ImportResult]

PREMISES = (
    "ref,address,risk,premises_type,lat,lon\n"
    f'P1,"=HYPERLINK(""http://x"")",high,nail bar,{PRESTON[1]},{PRESTON[0]}\n'
    f"P2,+44 street,low,car wash,{BLACKPOOL[1]},{BLACKPOOL[0]}\n"
    f"P3,@home,medium,other,{PRESTON[1] + 0.001},{PRESTON[0]}\n"
)
PRESTON_CODE = "E07000123"


def _export(services: Services, kind: str, fmt: str, **kw: object) -> bytes:
    return export_layer(services, ExportRequest(kind, fmt, **kw), "ana").data  # type: ignore[arg-type]


def test_exp001_neutralise_formula_cells() -> None:
    frame = pd.DataFrame({"a": ["=1+1", "+1", "-1", "@x", "\tx", "\rx", "ok", None], "n": range(8)})
    out = safe_frame(frame)
    assert out["a"].tolist()[:7] == ["'=1+1", "'+1", "'-1", "'@x", "'\tx", "'\rx", "ok"]
    assert out["n"].tolist() == list(range(8))


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson", "gpkg"])
def test_exp002_premises_filtered(
    run_import: Run, services: Services, tmp_path: Path, fmt: str
) -> None:
    assert run_import(PREMISES.encode(), "p.csv", "premises", dry_run=False).report.accepted == 3
    export = export_layer(
        services,
        ExportRequest("premises", fmt, filters=Filters(districts=(PRESTON_CODE,)), clean=True),
        "ana",
    )
    assert export.rows == 2 and export.file_name.endswith(f".{fmt}")
    path = tmp_path / f"out.{fmt}"
    path.write_bytes(export.data)
    if fmt == "csv":
        frame = pd.read_csv(path, dtype=str)
        assert frame["address"].str.startswith("'").all()
    elif fmt == "xlsx":
        ws = load_workbook(path, read_only=True).worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
        header = rows[1]  # row 1 is the marking
        addresses = [r[header.index("Address")] for r in rows[2:]]
        assert all(a.startswith("'") for a in addresses)
        assert all(not str(c).startswith("=") for r in rows for c in r if c is not None)
    else:
        gdf = pyogrio.read_dataframe(path)
        assert len(gdf) == 2 and gdf.crs.to_epsg() == 4326
        assert {"id", "kind", "district_code", "status", "version", "ref"} <= set(gdf.columns)
        assert set(gdf["district_code"]) == {PRESTON_CODE}


def test_exp003_custom_layer_and_errors(
    run_import: Run, services: Services, tmp_path: Path
) -> None:
    run_import(WARDS, WARDS.name, "custom", name="Wards", dry_run=False)
    path = tmp_path / "w.gpkg"
    path.write_bytes(_export(services, "custom", "gpkg", layer="Wards"))
    gdf = pyogrio.read_dataframe(path)
    assert len(gdf) == 302 and {"code", "name"} <= set(gdf.columns)
    csv = _export(
        services,
        "custom",
        "csv",
        layer="Wards",
        filters=Filters(districts=("E06000009",)),
        clean=True,
    )
    frame = pd.read_csv(io.BytesIO(csv))
    assert 0 < len(frame) < 302 and frame["wkt"].str.startswith("POLYGON").all()
    geojson = json.loads(_export(services, "custom", "geojson", layer="Wards"))
    assert len(geojson["features"]) == 302
    with pytest.raises(ExportError):
        _export(services, "custom", "csv", layer="nope")
    with pytest.raises(ExportError):
        _export(services, "premises", "pdf")
    with pytest.raises(ExportError):
        _export(services, "spaceships", "csv")


def test_exp004_marking_in_every_format(
    run_import: Run, services: Services, tmp_path: Path
) -> None:
    """Issue 11 item 3: CSV lines, XLSX row/header/footer, GeoJSON member, GPKG metadata."""
    marking = services.config.marking
    run_import(PREMISES.encode(), "p.csv", "premises", dry_run=False)
    marked = export_layer(services, ExportRequest("premises", "csv"), "ana")
    lines = marked.data.decode("utf-8").splitlines()
    assert lines[0].strip('"') == marking and lines[-1].strip('"') == marking
    assert marking.replace("-", "_") in marked.file_name.replace("-", "_")
    clean = export_layer(services, ExportRequest("premises", "csv", clean=True), "ana")
    assert marking not in clean.data.decode("utf-8")
    assert marking.replace("-", "_") in clean.file_name.replace("-", "_")

    path = tmp_path / "p.xlsx"
    path.write_bytes(_export(services, "premises", "xlsx"))
    ws = load_workbook(path).worksheets[0]
    for part in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter):
        assert part.center.text == marking
    assert ws.print_title_rows == "$1:$2"
    assert ws.cell(1, 1).value == marking

    collection = json.loads(_export(services, "premises", "geojson"))
    assert collection["marking"] == marking

    gpkg = tmp_path / "p.gpkg"
    gpkg.write_bytes(_export(services, "premises", "gpkg"))
    with sqlite3.connect(gpkg) as conn:
        metadata = [r[0] for r in conn.execute("SELECT metadata FROM gpkg_metadata")]
        (description,) = conn.execute("SELECT description FROM gpkg_contents").fetchone()
    assert metadata and all(marking in m for m in metadata)
    assert marking in description


def test_exp005_district_name_and_code_six_decimals_labels(
    run_import: Run, services: Services, tmp_path: Path
) -> None:
    run_import(PREMISES.encode(), "p.csv", "premises", dry_run=False)
    frame = pd.read_csv(
        io.BytesIO(_export(services, "premises", "csv")),
        skiprows=1,
        skipfooter=1,
        engine="python",
        dtype=str,
    )
    assert {"District", "District code", "Longitude", "Latitude", "Risk rating"} <= set(
        frame.columns
    )
    preston = frame.loc[frame["District code"] == PRESTON_CODE, "District"]
    assert set(preston) == {"Preston"}
    assert all(len(v.split(".")[1]) <= 6 for v in frame["Longitude"])
    collection = json.loads(_export(services, "premises", "geojson"))
    props = collection["features"][0]["properties"]
    assert {"district_name", "district_code"} <= set(props)
    lon, lat = collection["features"][0]["geometry"]["coordinates"]
    assert round(lon, 6) == lon and round(lat, 6) == lat


def test_sec701_formula_column_names_are_neutralised(
    run_import: Run, services: Services, tmp_path: Path
) -> None:
    """Issue 10 item 7: a column named like a formula is not a live formula in CSV or XLSX."""
    header = '"=HYPERLINK(""http://evil.example"",""open"")",@SUM(1),wkt'
    row = f'a,b,"POINT ({PRESTON[0]} {PRESTON[1]})"'
    report = run_import(
        f"{header}\n{row}\n".encode(), "l.csv", "custom", name="L", dry_run=False
    ).report
    assert report.committed
    path = tmp_path / "l.xlsx"
    path.write_bytes(_export(services, "custom", "xlsx", layer="L"))
    ws = load_workbook(path).worksheets[0]
    cells = [c for r in ws.iter_rows() for c in r if c.value is not None]
    assert cells and all(c.data_type != "f" for c in cells)
    assert not [c.value for c in cells if str(c.value).startswith(("=", "@", "+", "-"))]
    headers = [c.value for c in ws[2]]
    assert '\'=HYPERLINK("http://evil.example","open")' in headers and "'@SUM(1)" in headers
    for clean in (False, True):
        text = _export(services, "custom", "csv", layer="L", clean=clean).decode("utf-8")
        head = next(line for line in text.splitlines() if "HYPERLINK" in line)
        assert head.startswith("\"'=HYPERLINK") and ",'@SUM(1)," in head
