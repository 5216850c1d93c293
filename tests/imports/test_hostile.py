"""Hostile and broken files are refused with a clear message, quickly, storing nothing, and
(for archives) writing nothing outside a private temporary folder that is removed afterwards."""

from __future__ import annotations

import io
import sqlite3
import stat
import time
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from layers.imports import ImportResult, import_file
from layers.services import Services
from tests.imports.conftest import NOTHING, PRESTON, WARDS, stored, write_points

Run = Callable[..., ImportResult]

GOOD_CSV = f"site,advert_id,lat,lon\ns,A1,{PRESTON[1]},{PRESTON[0]}\n".encode()


def _refused(result: ImportResult, *words: str) -> str:
    message = result.report.refused
    assert message, "expected the file to be refused"
    for word in words:
        assert word.lower() in message.lower(), message
    return message


def _zip(
    entries: list[tuple[zipfile.ZipInfo | str, bytes]], compression: int = zipfile.ZIP_DEFLATED
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return buffer.getvalue()


def _left_behind(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


@pytest.fixture
def tiny_limit(services: Services) -> Services:
    """The same store with a 1 MB upload limit."""
    services.config = replace(services.config, max_upload_mb=1)
    return services


def test_hos001_oversized_upload(tiny_limit: Services, private_tmp: Path) -> None:
    big = GOOD_CSV + b"s,A2,53.7,-2.7\n" * 80_000  # about 1.2 MB
    result = import_file(tiny_limit, big, "big.csv", "adverts", "ana")
    _refused(result, "larger than the upload limit of 1 MB")
    stream = io.BytesIO(big)  # a stream is counted while it is copied, not trusted
    _refused(import_file(tiny_limit, stream, "big.csv", "adverts", "ana"), "upload limit")
    assert stored(tiny_limit) == NOTHING
    assert _left_behind(private_tmp) == []


def test_hos002_zip_bomb(run_import: Run, services: Services, private_tmp: Path) -> None:
    bomb = _zip([("adverts.shp", b"\0" * (50 << 20)), ("adverts.shx", b""), ("adverts.dbf", b"")])
    assert len(bomb) < 200_000
    start = time.perf_counter()
    _refused(run_import(bomb, "adverts.zip", "adverts", dry_run=False), "zip bomb")
    _refused(run_import(bomb, "book.xlsx", "premises", dry_run=False), "zip bomb")
    _refused(run_import(bomb, "tags.kmz", "adverts", dry_run=False), "zip bomb")
    assert time.perf_counter() - start < 5
    assert stored(services) == NOTHING
    assert _left_behind(private_tmp) == []


def test_hos003_too_many_members(run_import: Run, services: Services, private_tmp: Path) -> None:
    many = _zip([(f"f{i}.txt", b"x") for i in range(500)])
    _refused(run_import(many, "layer.zip", "custom", dry_run=False), "500 files inside")
    assert stored(services) == NOTHING and _left_behind(private_tmp) == []


@pytest.mark.parametrize(
    "member", ["../evil.shp", "a/../../evil.shp", "/tmp/evil.shp", "C:/evil.shp"]
)
def test_hos004_traversal_and_absolute_paths(
    run_import: Run, services: Services, private_tmp: Path, member: str
) -> None:
    archive = _zip([(member, b"x"), ("evil.shx", b"x"), ("evil.dbf", b"x")])
    _refused(run_import(archive, "evil.zip", "custom", dry_run=False), "unsafe path")
    assert stored(services) == NOTHING
    assert _left_behind(private_tmp) == []
    assert not (private_tmp.parent / "evil.shp").exists()
    assert not Path("/tmp/evil.shp").exists()


def test_hos005_symlink_member(run_import: Run, services: Services, private_tmp: Path) -> None:
    link = zipfile.ZipInfo("layer.shp")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = _zip([(link, b"/etc/passwd"), ("layer.shx", b""), ("layer.dbf", b"")])
    _refused(run_import(archive, "layer.zip", "custom", dry_run=False), "symbolic link")
    assert stored(services) == NOTHING and _left_behind(private_tmp) == []


KML_HEAD = '<?xml version="1.0"?>\n'
KML_BODY = (
    '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>&x;</name>'
    f"<Point><coordinates>{PRESTON[0]},{PRESTON[1]}</coordinates></Point></Placemark></Document></kml>"
)


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>',  # external entity
        '<!DOCTYPE kml [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY x "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',  # billion laughs (small)
        '<!DOCTYPE kml SYSTEM "http://example.invalid/kml.dtd">',  # external DTD
    ],
)
def test_hos006_xml_dtd_entities(
    run_import: Run, services: Services, doctype: str, private_tmp: Path
) -> None:
    data = (
        KML_HEAD + doctype + KML_BODY.replace("&x;", "&x;" if "ENTITY" in doctype else "n")
    ).encode()
    _refused(run_import(data, "tags.kml", "adverts", dry_run=False), "DTD")
    kmz = _zip([("doc.kml", data)])
    _refused(run_import(kmz, "tags.kmz", "adverts", dry_run=False), "DTD")
    assert stored(services) == NOTHING and _left_behind(private_tmp) == []


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("layer.gpkg", GOOD_CSV, "not a GeoPackage"),
        ("book.xlsx", GOOD_CSV, "not a zip archive"),
        ("data.csv", b"PK\x03\x04" + b"\0" * 100, "not a text file"),
        (
            "data.csv",
            sqlite3.sqlite_version.encode() and b"SQLite format 3\x00" + b"\0" * 100,
            "not a text file",
        ),
        ("points.geojson", b"<html>hello</html>", "GeoJSON"),
        ("tags.kml", b'{"type": "FeatureCollection"}', "KML"),
        ("program.exe", b"MZ\x90\x00", "not a file type"),
    ],
)
def test_hos007_wrong_magic_bytes(
    run_import: Run, services: Services, name: str, data: bytes, says: str
) -> None:
    _refused(run_import(data, name, "custom", dry_run=False), says)
    assert stored(services) == NOTHING


@pytest.mark.parametrize(
    "name", ["empty.csv", "empty.xlsx", "empty.geojson", "empty.kml", "empty.zip"]
)
def test_hos008_empty_files(run_import: Run, services: Services, name: str) -> None:
    _refused(run_import(b"", name, "adverts", dry_run=False), "empty")
    assert stored(services) == NOTHING


def test_hos009_truncated_files(run_import: Run, services: Services, tmp_path: Path) -> None:
    csv = b'site,advert_id,lat,lon\ns,A1,53.7,-2.7\ns,"A2,53.7,-2.7\n'
    _refused(run_import(csv, "ads.csv", "adverts", dry_run=False), "truncated")
    geojson = WARDS.read_bytes()[:5000]
    _refused(run_import(geojson, "wards.geojson", "custom", dry_run=False), "truncated")
    gpkg = write_points(tmp_path / "t.gpkg", "GPKG", x=[PRESTON[0]], y=[PRESTON[1]], ref=["R"])
    _refused(run_import(gpkg.read_bytes()[:2048], "t.gpkg", "custom", dry_run=False))
    shp_zip = _zip([("a.shp", b"x" * 3000), ("a.shx", b"y" * 100), ("a.dbf", b"z" * 100)])
    _refused(run_import(shp_zip[: len(shp_zip) // 2], "a.zip", "custom", dry_run=False), "zip")
    assert stored(services) == NOTHING


def test_hos010_no_location_column(run_import: Run, services: Services) -> None:
    data = b"site,advert_id,notes\ns,A1,hello\n"
    message = _refused(
        run_import(data, "ads.csv", "adverts", dry_run=False), "no usable location column"
    )
    assert "'notes'" in message and "column mapping" in message  # the page's words, no CLI flags
    assert stored(services) == NOTHING


def test_hos011_file_name_never_reaches_the_filesystem(run_import: Run, private_tmp: Path) -> None:
    result = run_import(GOOD_CSV, "../../../../etc/cron.d/x.csv", "adverts")
    assert result.report.ok and result.report.file_name == "x.csv"
    vsi = run_import(GOOD_CSV, "/vsicurl/http://example.invalid/a.gpkg", "custom")
    _refused(vsi, "not a GeoPackage")
    assert _left_behind(private_tmp) == []


def test_hos012_formula_cells_stored_as_text_and_rejected_rows_do_not_commit(
    run_import: Run, services: Services
) -> None:
    formula = "=cmd|' /C calc'!A0"
    data = f"site,advert_id,lat,lon\n{formula},A1,{PRESTON[1]},{PRESTON[0]}\ns,A2,x,y\n".encode()
    report = run_import(data, "ads.csv", "adverts", dry_run=False).report
    assert (report.accepted, report.rejected) == (1, 1)
    assert stored(services)["locations"] == 1
