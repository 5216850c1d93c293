"""The report, duplicates, atomic commits, provenance, listing and undo (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from layers.audit import processing_log
from layers.core.models import Location
from layers.imports import ImportResult, Undoer, UndoRefused, list_imports, undo_import
from layers.services import Services
from tests.imports.conftest import BLACKPOOL, NOTHING, PRESTON, WARDS, stored

Run = Callable[..., ImportResult]

ADVERTS = (
    "site,advert_id,phone,posted,lat,lon,accuracy\n"
    f"vivastreet,A1,07700 900123,2026-11-24T21:00:00Z,{PRESTON[1]},{PRESTON[0]},50\n"  # line 2
    f"vivastreet,A2,+44 7700 900123,2026-11-24T22:00:00Z,{BLACKPOOL[1]},{BLACKPOOL[0]},10\n"  # 3
    f"vivastreet,A1,07700 900123,2026-11-24T21:00:00Z,{PRESTON[1]},{PRESTON[0]},50\n"  # 4 duplicate
    "vivastreet,A3,,yesterday,53.70,-2.70,near\n"  # 5: bad time and accuracy
    ",A4,,,53.70,-2.70,\n"  # 6: no site
    "vivastreet,A5,,,,,\n"  # 7: no location
    "vivastreet,A6,,,55.95,-3.19,\n"  # 8: Edinburgh, outside the force area
)

ONE_PREMISES = f"ref,risk,lat,lon\nP1,high,{PRESTON[1]},{PRESTON[0]}\n".encode()


def test_sto001_report_rows_columns_reasons(run_import: Run) -> None:
    report = run_import(ADVERTS.encode(), "ads.csv", "adverts").report
    assert (
        report.read,
        report.accepted,
        report.outside_area,
        report.rejected,
        report.duplicates,
    ) == (
        7,
        3,
        1,
        3,
        1,
    )
    by_row = {}
    for p in report.rejected_rows:
        by_row.setdefault(p.row, []).append((p.column, p.reason))
    assert set(by_row) == {5, 6, 7}
    assert (
        "posted",
        "Posted yesterday is not a date and time (write it like 2026-11-25 14:30)",
    ) in by_row[5]
    assert any(c == "accuracy" and "near" in r for c, r in by_row[5])
    assert by_row[6] == [("site", "Site is required but the cell is empty")]
    assert by_row[7][0][1].startswith("no location")
    assert [(d.row, d.reason) for d in report.duplicate_rows] == [(4, "same advert id as line 2")]
    assert report.by_district["outside"] == 1
    data = report.as_dict()
    assert {"read", "accepted", "outside_area", "rejected", "duplicates", "rejected_rows"} <= set(
        data
    )
    assert {"row", "column", "reason"} == set(data["rejected_rows"][0])


def test_sto002_commit_provenance_phone_hash_and_store_duplicates(
    run_import: Run, services: Services
) -> None:
    first = run_import(ADVERTS.encode(), "ads.csv", "adverts", dry_run=False).report
    assert first.committed and first.import_id and stored(services)["locations"] == 3
    with services.db.read() as session:
        rows = session.execute(
            select(
                Location.ref,
                Location.phone_hash,
                Location.phone_last3,
                Location.source,
                Location.created_by,
                Location.import_id,
                Location.district_code,
                Location.status,
            ).order_by(Location.ref)
        ).all()
    a1, a2, a6 = rows
    assert a1.phone_hash == a2.phone_hash and a1.phone_last3 == "123"  # same number, two spellings
    assert "7700" not in str(a1)  # the number itself is never stored
    assert {r.source for r in rows} == {"ads.csv"} and {r.created_by for r in rows} == {"ana"}
    assert {r.import_id for r in rows} == {first.import_id} and a6.district_code == "outside"
    assert {r.status for r in rows} == {"unplanned"}
    second = run_import(ADVERTS.encode(), "ads-again.csv", "adverts", dry_run=False).report
    assert second.ok and second.accepted == 0 and second.duplicates == 4 and not second.committed
    assert {d.reason for d in second.duplicate_rows} >= {"already stored (same advert id)"}
    assert stored(services)["locations"] == 3 and stored(services)["imports"] == 1
    with services.db.read() as session:
        log = processing_log.entries(session, processing_log.LogFilter(action="collection"))
    assert len(log) == 1 and log[0].record_count == 3 and log[0].username == "ana"


def test_sto003_tipoff_duplicates_by_place_and_time(run_import: Run, services: Services) -> None:
    data = (
        "received,channel,lat,lon\n"
        f"2026-11-24 10:00,101,{PRESTON[1]},{PRESTON[0]}\n"
        f"2026-11-24 10:00,999,{PRESTON[1]},{PRESTON[0]}\n"
        f"2026-11-24 11:00,999,{PRESTON[1]},{PRESTON[0]}\n"
    )
    report = run_import(data.encode(), "tips.csv", "tipoffs", dry_run=False).report
    assert (report.accepted, report.duplicates) == (2, 1)
    assert "location and time" in report.duplicate_rows[0].reason
    again = run_import(data.encode(), "tips.csv", "tipoffs", dry_run=False).report
    assert (again.accepted, again.duplicates) == (0, 3)


def test_sto004_commit_is_atomic(
    run_import: Run, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(processing_log, "record", boom)
    with pytest.raises(RuntimeError):
        run_import(ADVERTS.encode(), "ads.csv", "adverts", dry_run=False)
    assert stored(services) == NOTHING


def test_sto005_list_and_undo_as_a_unit(run_import: Run, services: Services) -> None:
    ads = run_import(ADVERTS.encode(), "ads.csv", "adverts", dry_run=False).report
    wards = run_import(WARDS, WARDS.name, "custom", name="Wards", dry_run=False).report
    premises = run_import(ONE_PREMISES, "p.csv", "premises", dry_run=False).report
    with services.db.read() as session:
        listed = list_imports(session)
    assert [i.id for i in listed] == [premises.import_id, wards.import_id, ads.import_id]
    assert [i.rows_stored for i in listed] == [1, 302, 3]
    assert listed[1].layer_name == "Wards" and listed[2].file_name == "ads.csv"
    bob = Undoer("bob", admin=True)
    assert undo_import(services.db, ads.import_id, bob).removed == 3
    assert undo_import(services.db, wards.import_id, bob).removed == 302
    assert stored(services) == {"locations": 1, "imports": 3, "layers": 0, "features": 0}
    with pytest.raises(UndoRefused, match="already undone by bob"):
        undo_import(services.db, ads.import_id, bob)
    with pytest.raises(UndoRefused, match="no import"):
        undo_import(services.db, 999, bob)
    with services.db.read() as session:
        listed = {i.id: i for i in list_imports(session)}
        erasures = processing_log.entries(session, processing_log.LogFilter(action="erasure"))
    assert listed[ads.import_id].status == "undone" and listed[ads.import_id].undone_by == "bob"
    assert listed[premises.import_id].status == "committed"
    assert len(erasures) == 2
    again = run_import(ADVERTS.encode(), "ads.csv", "adverts", dry_run=False).report
    assert again.accepted == 3  # after undo the rows are new again


def test_sto006_custom_layer_style_visibility_rename_remove(
    run_import: Run, services: Services
) -> None:
    from layers.maplayers.store import (
        LayerError,
        list_layers,
        remove_layer,
        rename_layer,
        set_style,
        set_visible,
    )

    run_import(WARDS, WARDS.name, "custom", name="Wards", dry_run=False)
    run_import(
        (
            "name,wkt\nroute,"
            f'"LINESTRING ({PRESTON[0]} {PRESTON[1]}, {BLACKPOOL[0]} {BLACKPOOL[1]})"\n'
        ).encode(),
        "route.csv",
        "custom",
        dry_run=False,
    )
    with services.db.write() as session:
        wards, route = list_layers(session)
        assert route.geometry_type == "LineString" and route.features == 1
        style = {"colour": "#112233", "fill": "#112233", "opacity": 0.2}
        set_style(session, wards.id, style, username="ana")
        set_visible(session, wards.id, False, username="ana")
        rename_layer(session, wards.id, "Wards (2013)", username="ana")
        with pytest.raises(LayerError):
            rename_layer(session, route.id, "wards (2013)", username="ana")
        with pytest.raises(LayerError):
            set_style(session, wards.id, {"colour": "red"}, username="ana")
        with pytest.raises(LayerError):
            set_style(session, wards.id, {"opacity": 3}, username="ana")
    with services.db.write() as session:
        wards, route = list_layers(session)
        assert (wards.name, wards.visible, wards.style["colour"], wards.style["opacity"]) == (
            "Wards (2013)",
            False,
            "#112233",
            0.2,
        )
        assert remove_layer(session, route.id, username="ana") == 1
    assert stored(services)["layers"] == 1


def test_sto007_unique_phone_hashing_matches_hash_phones() -> None:
    import pandas as pd

    from layers.core.phones import hash_phones
    from layers.imports.values import hash_unique_phones

    numbers = pd.Series(
        ["07700 900123", "+44 7700 900123", "", "123", "07700900123", "0044 7700 900999"]
    )
    expected = hash_phones(numbers, "k" * 32)
    got = hash_unique_phones(numbers, "k" * 32)
    assert list(got[0]) == list(expected[0]) and list(got[1]) == list(expected[1])


def test_sto008_linked_premises_must_exist(run_import: Run, services: Services) -> None:
    premises = run_import(ONE_PREMISES, "p.csv", "premises", dry_run=False).report
    with services.db.read() as session:
        (pid,) = session.execute(
            select(Location.id).where(Location.import_id == premises.import_id)
        ).one()
    data = (
        "ref,received,channel,linked premises,lat,lon\n"
        f"T1,2026-11-24 10:00,online,{pid},{PRESTON[1]},{PRESTON[0]}\n"
        f"T2,2026-11-24 10:00,online,999999,{PRESTON[1]},{PRESTON[0]}\n"
    )
    report = run_import(data.encode(), "t.csv", "tipoffs", dry_run=False).report
    assert (report.accepted, report.rejected) == (1, 1)
    assert report.rejected_rows[0].row == 3 and "999999" in report.rejected_rows[0].reason
