"""Exports of built-in kinds (filtered as on the map) and custom layers to the four formats,
readable again by GDAL and openpyxl, with spreadsheet formulas neutralised."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from openpyxl import load_workbook

from layers.core.queries import Filters
from layers.exports.cells import safe_frame
from layers.exports.files import ExportError, export_layer
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
    export = export_layer(services.db, "premises", fmt, "ana", Filters(districts=("E07000123",)))
    assert export.rows == 2 and export.file_name.endswith(f".{fmt}")
    path = tmp_path / f"out.{fmt}"
    path.write_bytes(export.data)
    if fmt == "csv":
        frame = pd.read_csv(path, dtype=str)
        assert frame["address"].str.startswith("'").all()
    elif fmt == "xlsx":
        ws = load_workbook(path, read_only=True).worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
        header = rows[0]
        addresses = [r[header.index("address")] for r in rows[1:]]
        assert all(a.startswith("'") for a in addresses)
        assert all(not str(c).startswith("=") for r in rows for c in r if c is not None)
    else:
        gdf = pyogrio.read_dataframe(path)
        assert len(gdf) == 2 and gdf.crs.to_epsg() == 4326
        assert {"id", "kind", "district_code", "status", "version", "ref"} <= set(gdf.columns)
        assert set(gdf["district_code"]) == {"E07000123"}


def test_exp003_custom_layer_and_errors(
    run_import: Run, services: Services, tmp_path: Path
) -> None:
    run_import(WARDS, WARDS.name, "custom", name="Wards", dry_run=False)
    export = export_layer(services.db, "custom", "gpkg", "ana", layer="Wards")
    path = tmp_path / "w.gpkg"
    path.write_bytes(export.data)
    gdf = pyogrio.read_dataframe(path)
    assert len(gdf) == 302 and {"code", "name"} <= set(gdf.columns)
    csv = export_layer(
        services.db,
        "custom",
        "csv",
        "ana",
        layer="Wards",
        filters=Filters(districts=("E06000009",)),
    )
    frame = pd.read_csv(io.BytesIO(csv.data))
    assert 0 < len(frame) < 302 and frame["wkt"].str.startswith("POLYGON").all()
    geojson = json.loads(export_layer(services.db, "custom", "geojson", "ana", layer="Wards").data)
    assert len(geojson["features"]) == 302
    with pytest.raises(ExportError):
        export_layer(services.db, "custom", "csv", "ana", layer="nope")
    with pytest.raises(ExportError):
        export_layer(services.db, "premises", "pdf", "ana")
    with pytest.raises(ExportError):
        export_layer(services.db, "spaceships", "csv", "ana")
