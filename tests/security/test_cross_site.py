"""Issue 10 item 10: a foreign page cannot make a signed-in browser download a disclosure."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from layers.audit.processing_log import DISCLOSURE, ProcessingLog

SAME_ORIGIN_DOWNLOADS = (
    "/api/history.csv",
    "/api/export/premises.csv",
    "/briefing/pack",
    "/runsheets/1/2026-11-24.csv",
)
"""GET downloads logged as disclosures. Each must carry ``@same_origin_only``."""


def _disclosures(app: Flask) -> int:
    with app.extensions["opsmap"].db.read() as session:
        return int(session.scalar(
            select(func.count(ProcessingLog.id)).where(ProcessingLog.action == DISCLOSURE)
        ) or 0)


def test_sec180_disclosure_downloads_carry_the_decorator(app: Flask) -> None:
    adapter = app.url_map.bind("localhost")
    for path in SAME_ORIGIN_DOWNLOADS:
        endpoint, _args = adapter.match(path, method="GET")
        assert getattr(app.view_functions[endpoint], "opsmap_same_origin", False), path


@pytest.mark.parametrize("site", ["cross-site", "same-site", "CROSS-SITE"])
def test_sec181_history_csv_refused_when_another_site_asks(
    app: Flask, client_as: Callable[[str], FlaskClient], site: str
) -> None:
    client = client_as("commander")
    before = _disclosures(app)
    response = client.get("/api/history.csv", headers={"Sec-Fetch-Site": site})
    assert response.status_code == 403
    assert response.is_json and "another site" in response.json["error"]
    assert _disclosures(app) == before  # nothing was disclosed, nothing logged


@pytest.mark.parametrize("site", ["same-origin", "none", None])
def test_sec182_history_csv_served_to_own_pages_bookmarks_and_scripts(
    app: Flask, client_as: Callable[[str], FlaskClient], site: str | None
) -> None:
    client = client_as("commander")
    before = _disclosures(app)
    headers = {"Sec-Fetch-Site": site} if site else {}
    response = client.get("/api/history.csv", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert _disclosures(app) == before + 1
