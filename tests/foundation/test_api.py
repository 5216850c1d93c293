"""The JSON API contract that scripts and QGIS depend on, through the real app."""

from __future__ import annotations

import pandas as pd
import pytest

from layers.core.locations import insert_locations, place
from tests.foundation.conftest import BLACKPOOL, MANCHESTER, PRESTON


@pytest.fixture
def seeded(app):
    """Two premises in Preston, an advert in Blackpool, a tip-off outside the force area."""
    svc = app.extensions["opsmap"]
    frame = pd.DataFrame(
        {
            "kind": ["premises", "premises", "adverts", "tipoffs"],
            "lon": [PRESTON[0], PRESTON[0] + 0.001, BLACKPOOL[0], MANCHESTER[0]],
            "lat": [PRESTON[1], PRESTON[1], BLACKPOOL[1], MANCHESTER[1]],
            "ref": ["P1", "P2", "A1", "T1"],
            "risk": ["high", "low", None, None],
            "notes": ["secret note", None, None, None],
            "source": "test",
            "created_by": "tester",
        }
    )
    with svc.db.write() as session:
        insert_locations(session, place(frame, svc.districts))
    return svc


def test_api001_health_reports_database_and_districts(app):
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "districts": 14}


def test_api002_summary_contract(client_as, seeded):
    body = client_as("analyst").get("/api/summary").json
    by_code = {d["code"]: d for d in body["districts"]}
    preston = by_code["E07000123"]
    assert set(preston) == {"code", "name", "division", "counts", "status"}
    assert preston["name"] == "Preston" and preston["division"] == "South"
    assert preston["counts"] == {"premises": 2, "tipoffs": 0, "adverts": 0}
    assert preston["status"]["unplanned"] == 2
    assert by_code["outside"]["counts"]["tipoffs"] == 1
    assert body["totals"]["counts"] == {"premises": 2, "tipoffs": 1, "adverts": 1}


def test_api003_geojson_filters_and_properties(client_as, seeded):
    client = client_as("commander")
    fc = client.get("/api/layers/premises.geojson?district=E07000123").json
    assert len(fc["features"]) == 2
    props = fc["features"][0]["properties"]
    assert {"id", "kind", "district_code", "status", "version", "ref", "risk"} <= set(props)
    none = client.get("/api/layers/premises.geojson?status=actioned").json
    assert none["features"] == []
    assert client.get("/api/layers/boats.geojson").status_code == 404
    assert client.get("/api/layers/premises.geojson?status=lost").status_code == 400


def test_api004_patch_status_then_stale_version_is_409(client_as, seeded):
    client = client_as("commander")
    fc = client.get("/api/layers/premises.geojson").json
    loc = fc["features"][0]["properties"]
    url = f"/api/locations/{loc['id']}"
    ok = client.patch(url, json={"status": "planned", "version": loc["version"], "note": "Tue"})
    assert ok.status_code == 200
    assert ok.json["status"] == "planned" and ok.json["version"] == loc["version"] + 1
    stale = client.patch(url, json={"status": "no_further_action", "version": loc["version"]})
    assert stale.status_code == 409
    assert stale.json["current_status"] == "planned"
    assert "Planned" in stale.json["message"]
    bad = client.patch(url, json={"status": "actioned", "version": loc["version"] + 1})
    assert bad.status_code == 422
    assert client.patch(url, data="status=planned").status_code == 400
    assert (
        client.patch("/api/locations/999999", json={"status": "planned", "version": 1}).status_code
        == 404
    )


def test_api005_roles_on_the_api(client_as, seeded, app):
    assert app.test_client().get("/api/summary").status_code == 401
    analyst = client_as("analyst")
    fc = analyst.get("/api/layers/premises.geojson").json
    loc = fc["features"][0]["properties"]
    refused = analyst.patch(f"/api/locations/{loc['id']}", json={"status": "planned", "version": 1})
    assert refused.status_code == 403
    assert client_as("briefing").get("/api/layers/premises.geojson").status_code == 403
