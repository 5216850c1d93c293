"""Issue 11 item 4: imports never throw away a row for a value the vocabulary lacks.

Real files written by GDAL (pyogrio) and openpyxl: an analyst's HMO GeoPackage keeps all its
rows, a GDAL KML of adverts with no id column is identified by its placemarks' names, postcodes
are stored in their normal form, and unfamiliar values can be mapped to known ones.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from layers.core.kinds import KINDS, PREMISES_TYPES
from layers.core.models import Location
from layers.imports import ImportResult, parse_value_args
from layers.imports.choices import check_value_map
from layers.imports.safety import ImportRefused
from layers.services import Services
from tests.imports.conftest import BLACKPOOL, PRESTON, stored, write_points

Run = Callable[..., ImportResult]

NEW_TYPES = ("HMO", "brothel/sauna", "flat above a shop", "tanning salon", "barber", "warehouse",
             "agricultural")
"""The premises types the vocabulary gained (written out: the test's own expectation)."""


def _hmo_geopackage(tmp_path: Path) -> Path:
    """60 premises: 7 HMOs, 3 'shisha lounge' (not in the list), the rest known types."""
    types = (
        ["HMO"] * 7
        + ["Shisha lounge"] * 3
        + ["nail bar", "car wash", "takeaway"] * 16
        + ["residential", "hotel"]
    )
    assert len(types) == 60
    return write_points(
        tmp_path / "analyst.gpkg",
        "GPKG",
        x=[PRESTON[0] + i / 2000 for i in range(60)],
        y=[PRESTON[1]] * 60,
        ref=[f"H{i:03d}" for i in range(60)],
        premises_type=types,
        risk=["high", "medium", "low"] * 20,
        postcode=["pr1 2rh"] * 59 + ["pr1"],
    )


def test_voc401_new_premises_types() -> None:
    assert set(NEW_TYPES) <= set(PREMISES_TYPES) and PREMISES_TYPES[-1] == "other"


def test_voc402_hmo_geopackage_keeps_all_60_rows(
    run_import: Run, services: Services, tmp_path: Path
) -> None:
    path = _hmo_geopackage(tmp_path)
    report = run_import(path, path.name, "premises", dry_run=False).report
    assert (report.read, report.accepted, report.rejected) == (60, 60, 0), report.rejected_rows
    assert stored(services)["locations"] == 60
    (unfamiliar,) = report.unfamiliar
    assert (unfamiliar.name, unfamiliar.counts, unfamiliar.kept_as) == (
        "premises_type",
        {"Shisha lounge": 3},
        "other",
    )
    assert any("Shisha lounge" in line and "kept as 'other'" in line for line in report.lines())
    with services.db.read() as session:
        rows = session.execute(
            select(
                Location.ref, Location.premises_type, Location.original_values, Location.postcode
            ).order_by(Location.ref)
        ).all()
    types = [r.premises_type for r in rows]
    assert types.count("HMO") == 7 and types.count("other") == 3
    shisha = [r for r in rows if r.premises_type == "other"]
    assert all(json.loads(r.original_values) == {"premises_type": "Shisha lounge"} for r in shisha)
    assert all(r.original_values is None for r in rows if r.premises_type != "other")
    assert {r.postcode for r in rows} == {"PR1 2RH", "pr1"}


def test_voc403_unfamiliar_values_mapped_by_the_analyst(
    run_import: Run, services: Services, tmp_path: Path
) -> None:
    path = _hmo_geopackage(tmp_path)
    values = parse_value_args(["premises_type:shisha LOUNGE=Takeaway"])
    report = run_import(path, path.name, "premises", values=values, dry_run=False).report
    assert report.accepted == 60 and report.unfamiliar == []
    with services.db.read() as session:
        types = list(session.scalars(select(Location.premises_type)))
    assert types.count("takeaway") == 16 + 3 and "other" not in types
    refused = run_import(
        path, path.name, "premises", values={"premises_type": {"Shisha lounge": "casino"}}
    ).report
    assert refused.refused and "casino" in refused.refused and "HMO" in refused.refused
    with pytest.raises(ImportRefused, match="FIELD:VALUE=KNOWN"):
        parse_value_args(["Shisha lounge=takeaway"])
    with pytest.raises(ImportRefused, match="no choice field 'address'"):
        check_value_map(KINDS["premises"], {"address": {"a": "b"}})


def test_voc404_required_choice_is_rejected_until_mapped(run_import: Run) -> None:
    data = (
        "ref,risk,lat,lon\n"
        f"P1,very high,{PRESTON[1]},{PRESTON[0]}\nP2,high,{BLACKPOOL[1]},{BLACKPOOL[0]}\n"
    ).encode()
    report = run_import(data, "p.csv", "premises").report
    assert (report.accepted, report.rejected) == (1, 1)
    assert "map it to one of them" in report.rejected_rows[0].reason
    assert report.unfamiliar[0].rejected and report.unfamiliar[0].counts == {"very high": 1}
    mapped = run_import(data, "p.csv", "premises", values={"risk": {"very high": "high"}}).report
    assert (mapped.accepted, mapped.rejected) == (2, 0)


def test_voc405_gdal_kml_of_400_adverts_named_by_placemark(
    run_import: Run, services: Services, tmp_path: Path
) -> None:
    path = write_points(
        tmp_path / "adverts.kml",
        "KML",
        x=[PRESTON[0] + (i % 20) / 500 for i in range(400)],
        y=[PRESTON[1] + (i // 20) / 500 for i in range(400)],
        Name=[f"AD-{i:04d}" for i in range(400)],
        site=["vivastreet"] * 400,
        posted=["2026-11-24T21:00:00Z"] * 400,
    )
    assert b"<name>AD-0399</name>" in path.read_bytes()
    report = run_import(path, path.name, "adverts", dry_run=False).report
    assert (report.read, report.accepted, report.rejected) == (400, 400, 0), report.refused
    assert report.columns["ref"] == "name"
    with services.db.read() as session:
        refs = set(session.scalars(select(Location.ref)))
    assert refs == {f"AD-{i:04d}" for i in range(400)}
    kmz = tmp_path / "adverts.kmz"
    with zipfile.ZipFile(kmz, "w") as archive:
        archive.write(path, "doc.kml")
    again = run_import(kmz, kmz.name, "adverts").report
    assert again.accepted == 0 and again.duplicates == 400  # the same adverts, by name


def test_voc406_postcodes_stored_normalised(
    run_import: Run, services: Services, tmp_path: Path
) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Reference", "Postcode", "Risk", "Latitude", "Longitude"])
    ws.append(["P1", "fy1 2nh", "high", BLACKPOOL[1], BLACKPOOL[0]])
    ws.append(["P2", " pr12rh ", "low", PRESTON[1], PRESTON[0]])
    path = tmp_path / "p.xlsx"
    wb.save(path)
    assert run_import(path, path.name, "premises", dry_run=False).report.accepted == 2
    located = run_import(
        b"ref,where,risk\nP3,fy1  2nh,high\n", "q.csv", "premises", dry_run=False
    ).report
    assert located.accepted == 1 and "postcodes" in (located.location or "")
    with services.db.read() as session:
        postcodes = dict(session.execute(select(Location.ref, Location.postcode)).all())
    assert postcodes == {"P1": "FY1 2NH", "P2": "PR1 2RH", "P3": "FY1 2NH"}
