"""Fixtures for import tests: real files written by GDAL (pyogrio) and openpyxl, and helpers
to count what the store holds, so every refusal can show that nothing was stored."""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from sqlalchemy import func, select

from layers.core.models import CustomFeature, CustomLayer, ImportBatch, Location
from layers.imports import ImportResult, import_file
from layers.services import Services

ROOT = Path(__file__).resolve().parents[2]
WARDS = Path(
    os.environ.get(
        "OPSMAP_WARDS", str(ROOT.parent / "shared" / "geodata" / "lancashire_wards_2013.geojson")
    )
)

# Real places in Lancashire (lon, lat) and their BNG coordinates.
PRESTON = (-2.6989, 53.7590)
BLACKPOOL = (-3.0500, 53.8175)
BURNLEY = (-2.2430, 53.7890)
LANCASTER = (-2.8000, 54.0470)
PRESTON_BNG = (354000.0, 429300.0)


@pytest.fixture
def run_import(services: Services) -> Callable[..., ImportResult]:
    """Import a file (bytes or path) as the analyst ``ana``; dry run unless ``dry_run=False``."""

    def _run(source: bytes | Path, file_name: str, kind: str, **kw: Any) -> ImportResult:
        kw.setdefault("dry_run", True)
        return import_file(services, source, file_name, kind, "ana", **kw)

    return _run


def stored(services: Services) -> dict[str, int]:
    """How many locations, import batches, custom layers and features are stored."""
    with services.db.read() as session:
        return {
            "locations": session.scalar(select(func.count()).select_from(Location)) or 0,
            "imports": session.scalar(select(func.count()).select_from(ImportBatch)) or 0,
            "layers": session.scalar(select(func.count()).select_from(CustomLayer)) or 0,
            "features": session.scalar(select(func.count()).select_from(CustomFeature)) or 0,
        }


NOTHING = {"locations": 0, "imports": 0, "layers": 0, "features": 0}


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point ``tempfile`` at a folder of our own, so a test can see what was left behind."""
    folder = tmp_path / "systmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder


def write_points(path: Path, driver: str, crs: str = "EPSG:4326", **columns: list[Any]) -> Path:
    """Write points with attributes through GDAL (pyogrio); ``x``/``y`` in ``crs`` units."""
    xs, ys = columns.pop("x"), columns.pop("y")
    gdf = gpd.GeoDataFrame(columns, geometry=gpd.points_from_xy(xs, ys), crs=crs)
    gdf.to_file(path, driver=driver, engine="pyogrio")
    return path


def zip_folder(files: list[Path], dest: Path) -> Path:
    """Zip ``files`` flat into ``dest``."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        for f in files:
            archive.write(f, f.name)
    return dest
