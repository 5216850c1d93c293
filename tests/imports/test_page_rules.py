"""The rules the imports page used to hold, now domain functions tested without Dash: the upload
limit and decoding, the mapping grid's rows and the mappings they amount to, presets."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest

from layers.imports import ImportResult
from layers.imports.grid import (
    ATTRIBUTE,
    column_choices,
    explicit_mapping,
    preset_mapping,
    targets,
    value_choices,
    value_map,
)
from layers.imports.presets import Preset, list_presets, save_preset
from layers.imports.safety import ImportRefused
from layers.imports.upload import decode_upload, encoded_limit
from layers.services import Services
from tests.imports.conftest import PRESTON

Run = Callable[..., ImportResult]

LICENSING = (
    "Licence No,Premises Address,Kind of business,Risk,Y,X\n"
    f"L1,1 Fishergate,Nail bar,high,{PRESTON[1]},{PRESTON[0]}\n"
    f"L2,2 Fishergate,Bedsit,low,{PRESTON[1]},{PRESTON[0] + 0.001}\n"
).encode()


def _data_url(data: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(data).decode()


def test_pag001_upload_limit_and_decoding() -> None:
    assert decode_upload(_data_url(b"a,b\n1,2\n"), 1024) == b"a,b\n1,2\n"
    with pytest.raises(ImportRefused, match="larger than the upload limit of 1 MB"):
        decode_upload(_data_url(b"x" * (1024 * 1024 + 1)), 1024 * 1024)
    with pytest.raises(ImportRefused, match="larger than the upload limit"):
        decode_upload("data:," + "A" * (encoded_limit(1024) + 1), 1024)
    with pytest.raises(ImportRefused, match="could not be decoded"):
        decode_upload("data:text/csv;base64,@@@", 1024)
    with pytest.raises(ImportRefused, match="not a data URL"):
        decode_upload("plain text", 1024)


def test_pag003_grid_rows_guess_and_choices(run_import: Run) -> None:
    report = run_import(LICENSING, "licensing.csv", "premises").report
    rows = {c.column: c for c in column_choices(report)}
    assert list(rows) == ["Licence No", "Premises Address", "Kind of business", "Risk", "Y", "X"]
    assert rows["Risk"].target == "risk" and rows["Y"].target == "lat"
    assert rows["X"].target == "lon" and rows["Licence No"].target == "ignore"
    assert rows["Kind of business"].samples == ("Nail bar", "Bedsit")
    assert report.refused and "Reference" in report.refused  # no column guessed as reference
    chosen = {c: r.target for c, r in rows.items()}
    chosen.update(
        {"Licence No": "ref", "Premises Address": "address", "Kind of business": "premises_type"}
    )
    mapping = explicit_mapping(chosen, "premises")
    fixed = run_import(LICENSING, "licensing.csv", "premises", mapping=mapping).report
    assert fixed.ok and fixed.accepted == 2
    values = {(v.field, v.value): v.target for v in value_choices(fixed)}
    assert values[("premises_type", "Nail bar")] == "nail bar"
    assert values[("premises_type", "Bedsit")] == ""  # not in the list: kept as other
    assert values[("risk", "high")] == "high"
    picked = [
        ("premises_type", "Bedsit", "HMO"),
        ("premises_type", "Nail bar", "nail bar"),
        ("risk", "low", ""),
    ]
    assert value_map(picked, "premises") == {
        "premises_type": {"Bedsit": "HMO", "Nail bar": "nail bar"}
    }
    assert value_map([("premises_type", "Bedsit", "other")], "premises") == {}
    assert value_map([("premises_type", "Nail bar", "other")], "premises") == {
        "premises_type": {"Nail bar": "other"}
    }


def test_pag004_targets_and_custom_attributes() -> None:
    premises = [t.value for t in targets("premises")]
    assert premises[:2] == ["ref", "address"] and "lat" in premises and premises[-1] == "ignore"
    assert "phone" in [t.value for t in targets("adverts")]
    custom = [t.value for t in targets("custom")]
    assert custom[0] == ATTRIBUTE and "ref" not in custom
    chosen = {"name": ATTRIBUTE, "Lat": "lat", "Long": "lon", "junk": "spaceship"}
    assert explicit_mapping(chosen, "custom") == {"Lat": "lat", "Long": "lon"}


def test_pag005_presets_apply_only_to_columns_the_file_has(services: Services) -> None:
    weekly = Preset(
        "Licensing weekly",
        "premises",
        {"Licence No": "ref", "Old column": "notes"},
        {"premises_type": {"Bedsit": "HMO"}},
    )
    with services.db.write() as session:
        save_preset(session, weekly, "ana")
        save_preset(session, Preset("licensing WEEKLY", "premises", {"Licence No": "ref"}), "ana")
        with pytest.raises(ImportRefused, match="no mapping to save"):
            save_preset(session, Preset("Empty", "premises"), "ana")
    with services.db.read() as session:
        (found,) = list_presets(session, "premises")
        assert list_presets(session, "adverts") == []
    assert found.name == "Licensing weekly" and found.mapping == {"Licence No": "ref"}
    assert preset_mapping(weekly, ["Licence No", "Risk"]) == {"Licence No": "ref"}
