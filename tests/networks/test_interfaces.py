"""The networks CLI and API: the documented JSON shape, roles, and the briefing's redaction."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.slow

KEYS = {
    "id",
    "size",
    "adverts",
    "districts",
    "moves",
    "phones",
    "linked_premises",
    "first_seen",
    "last_seen",
}
HEX16 = re.compile(r"\b[0-9a-f]{16}\b")
HEX64 = re.compile(r"[0-9a-f]{64}")
ALLOWED = re.compile(r"\d{4}-\d{2}-\d{2}(T[\d:.]+(\+00:00|Z)?)?|^N\d+$|^E0[67]\d{6}$")
DIGITS = re.compile(r"\d")


def _strings(value: object) -> list[str]:
    """Every string in a JSON value (where a phone's digits could hide); dates, network
    numbers and district codes are the only digits a redacted answer may hold."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _check_shape(networks: list[dict]) -> None:
    assert networks and all(set(n) == KEYS for n in networks)
    for n in networks:
        assert n["size"] == len(n["adverts"]) >= 2
        assert all(set(a) == {"site", "ref"} for a in n["adverts"])
        assert all(re.fullmatch(r"E0[67]\d{6}", d) for d in n["districts"])
        assert len(set(n["districts"])) == len(n["districts"])
        assert all(set(m) == {"from", "to", "day"} for m in n["moves"])
        assert all(re.fullmatch(r"\d{3}", p) for p in n["phones"])
        assert n["first_seen"] <= n["last_seen"]


def test_net080_api_lists_networks_for_analysts_in_the_documented_shape(linked_app, client_as):
    client = client_as("analyst")
    body = client.get("/api/networks").get_json()
    _check_shape(body["networks"])
    first = body["networks"][0]
    detail = client.get(f"/api/networks/{first['id']}").get_json()
    assert set(detail) >= KEYS and detail["adverts"] == first["adverts"]
    assert detail["evidence"] and detail["timeline"]
    assert client.get("/api/networks/999999").status_code == 404


def test_net081_the_briefing_role_gets_only_the_redacted_summary(linked_app, client_as):
    client = client_as("briefing")
    listing = client.get("/api/networks")
    assert set(listing.get_json()) == {"networks_active", "since", "moves", "arrows"}
    analyst = client_as("analyst").get("/api/networks").get_json()["networks"]
    one = client.get(f"/api/networks/{analyst[0]['id']}")
    assert set(one.get_json()) == {"network", "adverts", "districts", "moves"}
    for response in (listing, one):
        text = response.get_data(as_text=True)
        assert not HEX16.search(text) and not HEX64.search(text)
        assert "[phone]" not in text and "ref" not in text
        assert not any(DIGITS.search(ALLOWED.sub("", v)) for v in _strings(response.get_json()))
        assert not any(word in text for word in ("gentlemen", "agency", "massage"))
    assert client.post(f"/api/networks/{analyst[0]['id']}/decisions", json={}).status_code == 403


def test_net082_analysts_decide_commanders_may_not(linked_app, client_as):
    analyst = client_as("analyst")
    network = analyst.get("/api/networks").get_json()["networks"][0]["id"]
    url = f"/api/networks/{network}/decisions"
    refused = client_as("commander").post(url, json={"action": "confirm"})
    assert refused.status_code == 403
    assert analyst.post(url, json={"action": "promote"}).status_code == 422
    assert analyst.post(url, json={"action": "split", "adverts": "all"}).status_code == 400
    done = analyst.post(url, json={"action": "confirm", "note": "same photos"})
    assert done.status_code == 200 and done.get_json()["job"] is None
    detail = analyst.get(f"/api/networks/{network}").get_json()
    assert detail["review"] == "confirmed" and detail["decisions"][0]["action"] == "confirm"
    queued = analyst.post("/api/networks/rebuild")
    assert queued.status_code == 202
    job = analyst.get(f"/api/jobs/{queued.get_json()['job']}").get_json()
    assert job["kind"] == "networks.rebuild" and job["state"] == "queued"


def test_net083_cli_rebuild_and_list_json(cli_env):
    assert run_cli("db", "upgrade", env=cli_env).returncode == 0
    assert run_cli("seed-demo", env=cli_env).returncode == 0
    rebuilt = run_cli("networks", "rebuild", "--json", env=cli_env)
    assert rebuilt.returncode == 0, rebuilt.stderr
    summary = json.loads(rebuilt.stdout)
    assert summary["adverts"] == 5000 and summary["networks"] > 100 and summary["moves"] > 50
    listed = run_cli("networks", "list", "--json", env=cli_env)
    assert listed.returncode == 0, listed.stderr
    networks = json.loads(listed.stdout)["networks"]
    _check_shape(networks)
    assert len(networks) == summary["networks"]
    assert pd.Series([n["size"] for n in networks]).is_monotonic_decreasing
    jobs = run_cli("jobs", "work", "--once", env=cli_env)
    assert jobs.returncode == 0 and "ran 1 job(s)" in jobs.stdout  # the one seed-demo queued
