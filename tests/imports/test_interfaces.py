"""The CLI (``import``/``export``/``imports``), the HTTP API and the imports page's wiring."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import main
from layers.services import Services
from tests.conftest import components
from tests.imports.conftest import PRESTON, WARDS

ADS = f"site,advert_id,lat,lon\ns,A1,{PRESTON[1]},{PRESTON[0]}\ns,A2,x,{PRESTON[0]}\n".encode()


@pytest.fixture
def cli_env(sqlite_services: Services, monkeypatch: pytest.MonkeyPatch) -> Services:
    """The CLI pointed at the test's SQLite store."""
    cfg = sqlite_services.config
    monkeypatch.setenv("OPSMAP_INSTANCE", str(cfg.instance_dir))
    monkeypatch.setenv("OPSMAP_CACHE_DIR", str(cfg.cache_dir))
    monkeypatch.setenv("OPSMAP_BOUNDARIES", str(cfg.boundaries_path))
    monkeypatch.setenv("OPSMAP_PHONE_KEY", cfg.phone_key)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return sqlite_services


def test_int001_cli_import_json_exit_codes(
    cli_env: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ads.csv"
    path.write_bytes(ADS)
    assert main(["import", str(path), "--kind", "adverts", "--dry-run", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["read"], report["accepted"], report["rejected"], report["duplicates"]) == (
        2,
        1,
        1,
        0,
    )
    assert report["rejected_rows"] == [
        {"row": 3, "column": "lat", "reason": "latitude x is not a number"}
    ]
    assert main(["import", str(path), "--kind", "adverts", "--user", "ana"]) == 0
    assert "imported as import #1" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"a,b\n1,2\n")
    assert main(["import", str(bad), "--kind", "adverts", "--json"]) == 1
    assert "no usable location column" in json.loads(capsys.readouterr().out)["refused"]
    assert main(["import", str(path), "--kind", "adverts", "--map", "nope=lat"]) == 1
    out = tmp_path / "ads.gpkg"
    assert (
        main(
            [
                "export",
                "--kind",
                "adverts",
                "--format",
                "gpkg",
                "--out",
                str(out),
                "--district",
                "E07000123",
            ]
        )
        == 0
    )
    assert out.stat().st_size > 0
    assert "written to" in capsys.readouterr().out
    assert main(["imports", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["rows_stored"] == 1
    assert main(["imports", "--undo", "1"]) == 0
    assert main(["imports", "--undo", "1"]) == 1


def test_int002_api_import_list_undo_export(
    client_as: Callable[[str], FlaskClient], app: Flask
) -> None:
    client = client_as("analyst")
    answer = client.post(
        "/api/imports",
        data={"kind": "adverts", "dry_run": "1", "file": (io.BytesIO(ADS), "ads.csv")},
        content_type="multipart/form-data",
    )
    assert (
        answer.status_code == 200 and answer.json["accepted"] == 1 and not answer.json["committed"]
    )
    answer = client.post(
        "/api/imports",
        data={"kind": "adverts", "file": (io.BytesIO(ADS), "ads.csv")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 200 and answer.json["committed"]
    import_id = answer.json["import_id"]
    refused = client.post(
        "/api/imports",
        data={"kind": "adverts", "file": (io.BytesIO(b""), "e.csv")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422 and "empty" in refused.json["refused"]
    listed = client.get("/api/imports").json["imports"]
    assert listed[0]["id"] == import_id and listed[0]["rows_stored"] == 1
    export = client.get("/api/export/adverts.csv?district=E07000123")
    assert export.status_code == 200 and b"A1" in export.data
    assert "attachment" in export.headers["Content-Disposition"]
    assert client.get("/api/export/adverts.pdf").status_code in (400, 404)
    assert client.post(f"/api/imports/{import_id}/undo").json["removed"] == 1
    assert client.post(f"/api/imports/{import_id}/undo").status_code == 409


def test_int003_api_roles_and_size_limit(
    client_as: Callable[[str], FlaskClient], app: Flask
) -> None:
    commander = client_as("commander")
    answer = commander.post(
        "/api/imports",
        data={"kind": "adverts", "file": (io.BytesIO(ADS), "ads.csv")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 403
    assert commander.get("/api/imports").status_code == 403
    assert commander.get("/api/export/adverts.csv").status_code == 403
    assert app.test_client().get("/api/imports").status_code in (401, 302)
    analyst = client_as("analyst")
    app.config["MAX_CONTENT_LENGTH"] = 1024
    too_big = analyst.post(
        "/api/imports",
        data={"kind": "adverts", "file": (io.BytesIO(ADS * 200), "ads.csv")},
        content_type="multipart/form-data",
    )
    assert too_big.status_code == 413


def test_int004_page_registered_and_callbacks_guarded(app: Flask) -> None:
    import dash

    dash_app = app.extensions["dash"]
    assert any(p["path"] == "/imports" for p in dash.page_registry.values())
    mine = [cb for key, cb in dash_app.callback_map.items() if "imp-" in key]
    assert len(mine) >= 8
    for cb in mine:
        assert getattr(cb["callback"], "opsmap_roles", None) or getattr(
            getattr(cb["callback"], "__wrapped__", None), "opsmap_roles", None
        ), cb


def test_int005_wards_over_the_api(client_as: Callable[[str], FlaskClient]) -> None:
    client = client_as("analyst")
    answer = client.post(
        "/api/imports",
        data={
            "kind": "custom",
            "name": "Wards",
            "file": (io.BytesIO(WARDS.read_bytes()), WARDS.name),
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 200 and answer.json["accepted"] == 302
    export = client.get("/api/export/custom.geojson?layer=Wards")
    assert len(export.json["features"]) == 302


def test_int006_api_undo_roles_and_typed_errors(
    client_as: Callable[[str], FlaskClient], app: Flask
) -> None:
    owner, other, admin = client_as("analyst"), client_as("analyst"), client_as("admin")
    answer = owner.post(
        "/api/imports",
        data={"kind": "adverts", "file": (io.BytesIO(ADS), "ads.csv")},
        content_type="multipart/form-data",
    )
    import_id = answer.json["import_id"]
    one = owner.get(f"/api/imports/{import_id}")
    assert one.status_code == 200 and one.json["report"]["accepted"] == 1
    assert owner.get("/api/imports/999").status_code == 404
    refused = other.post(f"/api/imports/{import_id}/undo")
    assert refused.status_code == 403 and "or an admin may undo" in refused.json["error"]
    done = admin.post(f"/api/imports/{import_id}/undo")
    assert done.status_code == 200 and done.json["removed"] == 1 and done.json["kept"] == []
    again = owner.post(f"/api/imports/{import_id}/undo")
    assert again.status_code == 409 and "already undone" in again.json["error"]
    assert owner.post("/api/imports/999/undo").status_code == 404
    assert owner.get("/api/export/spaceships.csv").status_code == 404
    assert owner.get("/api/export/adverts.pdf").status_code == 400
    assert owner.get("/api/export/custom.csv?layer=nope").status_code == 404


def test_int007_cli_value_mapping_and_clean_export(
    cli_env: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.csv"
    path.write_text(f"ref,risk,type,lat,lon\nP1,high,Bedsit,{PRESTON[1]},{PRESTON[0]}\n")
    assert main(["import", str(path), "--kind", "premises", "--dry-run"]) == 0
    assert "'Bedsit' (1)" in capsys.readouterr().out
    args = ["import", str(path), "--kind", "premises", "--value", "premises_type:bedsit=HMO"]
    assert main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["unfamiliar"] == []
    assert main(["import", str(path), "--kind", "premises", "--value", "bedsit=HMO"]) == 1
    out = tmp_path / "p.csv.out"
    assert main(["export", "--kind", "premises", "--format", "csv", "--out", str(out)]) == 0
    assert out.read_text().splitlines()[0].strip('"') == cli_env.config.marking
    assert (
        main(["export", "--kind", "premises", "--format", "csv", "--out", str(out), "--clean"]) == 0
    )
    assert out.read_text().splitlines()[0].startswith("id,kind,lon,lat")
    assert "HMO" in out.read_text()


def test_int008_page_layout_renders_with_its_controls(app: Flask) -> None:
    from flask import g

    from dashboard.access import Principal
    from dashboard.pages.imports.ids import Ids
    from dashboard.pages.imports.layout import layout

    with app.test_request_context("/imports"):
        g.principal = Principal("ana", "analyst")
        tree = layout(kind="adverts")
    found = {str(node.id) for node in components(tree) if getattr(node, "id", None) is not None}
    wanted = {
        Ids.UPLOAD,
        Ids.KIND,
        Ids.PRESET,
        Ids.PRESET_NAME,
        Ids.CHECK,
        Ids.COMMIT,
        Ids.UNDO_CONFIRM,
        Ids.EXPORT_DISTRICTS,
        Ids.EXPORT_STATUSES,
        Ids.EXPORT_CLEAN,
    }
    assert {str(i) for i in wanted} <= found
    assert str(Ids.PREVIEW) not in found  # no chart before an upload
