"""Every accepted format, written by the tools analysts use (GDAL, openpyxl, spreadsheets),
lands in the right place: format readers, location detection and reprojection end to end."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from layers.imports import ImportResult
from layers.services import Services
from tests.imports.conftest import (
    BLACKPOOL,
    BURNLEY,
    LANCASTER,
    NOTHING,
    PRESTON,
    PRESTON_BNG,
    WARDS,
    stored,
    write_points,
    zip_folder,
)

Run = Callable[..., ImportResult]


def _ok(result: ImportResult) -> None:
    assert result.report.refused is None, result.report.refused


def test_imp001_csv_utf8_bom_crlf_semicolon(run_import: Run, services: Services) -> None:
    data = (
        "\ufeffSite;Advert ID;Latitude;Longitude;Posted\r\n"
        f"vivastreet;A1;{PRESTON[1]};{PRESTON[0]};2026-11-24 21:15\r\n"
        f"adultwork;A2;{BLACKPOOL[1]};{BLACKPOOL[0]};24/11/2026 22:00\r\n"
    ).encode()
    result = run_import(data, "ads.csv", "adverts", dry_run=False)
    _ok(result)
    report = result.report
    assert (report.read, report.accepted, report.rejected) == (2, 2, 0)
    assert report.by_district == {"E07000123": 1, "E06000009": 1}
    assert stored(services)["locations"] == 2


def test_imp002_tsv_cp1252_quoted(run_import: Run) -> None:
    data = (
        'ref\taddress\tpostcode\trisk\nP1\t"Caf\xe9 Bleu, 1 Fishergate"\tPR1 2RH\thigh\n'
    ).encode("cp1252")
    result = run_import(data, "premises.tsv", "premises")
    _ok(result)
    assert result.report.accepted == 1
    assert "cp1252" in " ".join(result.report.notes)


def test_imp003_xlsx_row_numbers(run_import: Run, tmp_path: Path, services: Services) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Licensing export"])  # a title row above the header
    ws.append([])
    ws.append(["Reference", "Address", "Postcode", "Premises type", "Risk rating"])
    ws.append(["LIC-1", "1 Fishergate", "PR1 2RH", "Nail bar", "High"])
    ws.append(["LIC-2", "2 Talbot Rd", "FY1 4BJ", "spaceship", "low"])
    ws.append(["LIC-3", "3 Any St", "BB18 5AA", "car wash", "medium"])
    ws.append(["LIC-4", "4 Any St", "BB18 5AA", "car wash", "spaceship"])
    path = tmp_path / "licensing.xlsx"
    wb.save(path)
    result = run_import(path, path.name, "premises", dry_run=False)
    report = result.report
    # The header detection skips the title row; the analyst's row numbers are Excel's.
    _ok(result)
    # Issue 11: an unfamiliar premises type (optional) keeps its row as "other"; an unfamiliar
    # risk rating (required) cannot be guessed, so that row is rejected, at Excel's row 7.
    assert (report.read, report.accepted, report.rejected) == (4, 3, 1)
    assert report.row_label == "row"
    bad = [p for p in report.rejected_rows if p.row == 7]
    assert bad and "spaceship" in bad[0].reason and bad[0].column == "Risk rating"
    (kept,) = [u for u in report.unfamiliar if u.name == "premises_type"]
    assert (kept.column, kept.counts, kept.kept_as) == ("Premises type", {"spaceship": 1}, "other")


def test_imp004_geopackage_by_gdal(run_import: Run, tmp_path: Path, services: Services) -> None:
    path = write_points(
        tmp_path / "tipoffs.gpkg",
        "GPKG",
        x=[PRESTON[0], BURNLEY[0]],
        y=[PRESTON[1], BURNLEY[1]],
        ref=["T1", "T2"],
        received=["2026-11-24T10:00:00Z", "2026-11-24T11:30:00Z"],
        channel=["Crimestoppers", "101"],
        grade=["2B P", "3E C"],
        summary=["a", "b"],
    )
    result = run_import(path, path.name, "tipoffs", dry_run=False)
    _ok(result)
    assert result.report.accepted == 2
    assert set(result.report.by_district) == {"E07000123", "E07000117"}
    with services.db.read() as session:
        from sqlalchemy import select

        from layers.core.models import Location

        rows = session.execute(
            select(Location.grade_source, Location.grade_intel, Location.channel)
        ).all()
    assert sorted(rows) == [("2", "B", "Crimestoppers"), ("3", "E", "101")]


def test_imp005_zipped_shapefile_bng(run_import: Run, tmp_path: Path, services: Services) -> None:
    folder = tmp_path / "shp"
    folder.mkdir()
    write_points(
        folder / "adverts.shp",
        "ESRI Shapefile",
        crs="EPSG:27700",
        x=[PRESTON_BNG[0], 347500.0],
        y=[PRESTON_BNG[1], 461800.0],
        site=["vivastreet", "vivastreet"],
        advert_id=["S1", "S2"],
    )
    parts = sorted(folder.iterdir())
    assert {p.suffix for p in parts} >= {".shp", ".shx", ".dbf", ".prj"}
    archive = zip_folder(parts, tmp_path / "adverts.zip")
    result = run_import(archive, archive.name, "adverts", dry_run=False)
    _ok(result)
    assert result.report.accepted == 2
    assert "EPSG:27700" in (result.report.location or "")
    lon = sorted(result.preview["lon"].round(2))
    assert lon[0] == pytest.approx(-2.81, abs=0.02)  # Lancaster district, reprojected
    assert result.report.by_district.get("E07000123") == 1


def test_imp006_kml_by_gdal_and_kmz(run_import: Run, tmp_path: Path) -> None:
    path = write_points(
        tmp_path / "geotags.kml",
        "KML",
        x=[PRESTON[0], LANCASTER[0]],
        y=[PRESTON[1], LANCASTER[1]],
        Name=["AD-9", "AD-10"],
        site=["scraper", "scraper"],
    )
    result = run_import(path, path.name, "adverts", mapping={"Name": "ref"})
    _ok(result)
    assert result.report.accepted == 2
    kmz = tmp_path / "geotags.kmz"
    import zipfile

    with zipfile.ZipFile(kmz, "w") as archive:
        archive.write(path, "doc.kml")
    result = run_import(kmz, kmz.name, "custom", name="Geotags")
    _ok(result)
    assert result.report.accepted == 2 and result.report.geometry_type == "Point"


def test_imp007_wards_custom_polygon_layer(run_import: Run, services: Services) -> None:
    result = run_import(WARDS, WARDS.name, "custom", name="Wards 2013", dry_run=False)
    _ok(result)
    report = result.report
    assert (report.read, report.accepted, report.rejected) == (302, 302, 0)
    assert report.geometry_type == "Polygon"
    assert report.outside_area == 0 and len(report.by_district) == 14
    from layers.maplayers.store import layer_geojson, list_layers

    with services.db.read() as session:
        (layer,) = list_layers(session)
        collection = layer_geojson(session, layer.id)
    assert layer.name == "Wards 2013" and layer.features == 302 and layer.visible
    props = collection["features"][0]["properties"]
    assert {"code", "name", "district_code"} <= set(props)
    assert collection["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    again = run_import(WARDS, WARDS.name, "custom", name="wards 2013")
    assert again.report.refused and "already exists" in again.report.refused


@pytest.mark.parametrize(
    ("header", "row", "method"),
    [
        (
            "ref,easting,northing,risk",
            f"P1,{PRESTON_BNG[0]},{PRESTON_BNG[1]},high",
            "British National Grid",
        ),
        ("ref,grid_ref,risk", "P1,SD 53843 29512,high", "grid references"),
        ("ref,grid_ref,risk", "P1,SD5329,high", "grid references"),
        ("ref,Post Code,risk", "P1,pr12rh,high", "postcodes"),
        ("ref,wkt,risk", f'P1,"POINT ({PRESTON[0]} {PRESTON[1]})",high', "WKT"),
        ("ref,where,risk", "P1, PR1  2RH ,high", "postcodes"),
        ("ref,x,y,risk", f"P1,{PRESTON[0]},{PRESTON[1]},high", "latitude/longitude"),
    ],
)
def test_imp008_location_sources(run_import: Run, header: str, row: str, method: str) -> None:
    result = run_import(f"{header}\n{row}\n".encode(), "p.csv", "premises")
    _ok(result)
    assert result.report.accepted == 1, result.report.rejected_rows
    assert method in (result.report.location or "")
    assert result.report.by_district == {"E07000123": 1}


def test_imp009_hints_swapped_and_wrong_crs(run_import: Run) -> None:
    swapped = "site,advert_id,lat,lon\n" + "".join(
        f"s,A{i},{PRESTON[0]},{PRESTON[1] + i / 1000}\n" for i in range(5)
    )
    report = run_import(swapped.encode(), "a.csv", "adverts").report
    assert any("swapped" in h for h in report.hints)
    fixed = run_import(
        swapped.encode(), "a.csv", "adverts", mapping={"lat": "lon", "lon": "lat"}
    ).report
    assert fixed.outside_area == 0 and not fixed.hints
    en = "ref,easting,northing,risk\n" + "".join(
        f"P{i},{PRESTON_BNG[1]},{PRESTON_BNG[0] + i},low\n" for i in range(5)
    )
    assert any(
        "easting and northing look swapped" in h
        for h in run_import(en.encode(), "p.csv", "premises").report.hints
    )
    bng_as_degrees = "ref,lat,lon,risk\n" + f"P1,{PRESTON_BNG[1]},{PRESTON_BNG[0]},low\n"
    report = run_import(bng_as_degrees.encode(), "p.csv", "premises").report
    assert any("British National Grid" in h for h in report.hints)
    assert report.rejected == 1 and "outside -90 to 90" in report.rejected_rows[0].reason


def test_imp010_geojson_points_and_lines_for_kind(run_import: Run) -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": list(PRESTON)},
                "properties": {"ref": "G1", "risk": "high"},
            },
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [list(PRESTON), list(BURNLEY)]},
                "properties": {"ref": "G2", "risk": "high"},
            },
            {"type": "Feature", "geometry": None, "properties": {"ref": "G3", "risk": "high"}},
        ],
    }
    report = run_import(json.dumps(collection).encode(), "p.geojson", "premises").report
    assert (report.accepted, report.rejected) == (1, 2)
    reasons = {p.row: p.reason for p in report.rejected_rows}
    assert "LineString" in reasons[2] and "no geometry" in reasons[3]
    assert report.row_label == "feature"


def test_imp011_dry_run_stores_nothing(run_import: Run, services: Services) -> None:
    report = run_import(WARDS, WARDS.name, "custom").report
    assert report.accepted == 302 and not report.committed
    assert stored(services) == NOTHING
