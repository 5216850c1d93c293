"""The briefing pack: self-contained, redacted, marked; CLI and HTTP route record a disclosure."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from layers.audit.processing_log import ProcessingLog
from layers.briefing.assets import W3C_NAMESPACES, neutralise_urls
from layers.briefing.model import BriefingOptions
from layers.briefing.pack import build_pack
from tests.briefing.conftest import (
    BRIEF_DAY,
    SECRET_HOUSE,
    SECRET_NOTE,
    SECRET_OFFICER,
    SECRET_TIP,
    SmallWeek,
    run_briefing,
)
from tests.conftest import boundaries_path

MARKING = "OFFICIAL-SENSITIVE"
URL_RE = re.compile(r"https?://[^\s\"'<>)`\\]*", re.IGNORECASE)


def foreign_urls(text: str) -> list[str]:
    """Every http(s) URL in ``text`` that is not a W3C XML namespace name."""
    return sorted({u for u in URL_RE.findall(text) if not u.startswith(W3C_NAMESPACES)})


def visible_text(page: str) -> str:
    """The pack's text: no inlined libraries, no tags or random element ids (where any three
    digits may occur by chance)."""
    text = re.sub(r"<script\b[^>]*>.*?</script>|<style>.*?</style>", "", page, flags=re.DOTALL)
    return re.sub(r"<[^>]*>", " ", text)


def pdf_text(pdf: bytes) -> str:
    """The PDF's page content streams, decompressed (enough to search for strings)."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        data = match.group(1)
        try:
            out.append(zlib.decompress(data).decode("latin-1"))
        except zlib.error:
            out.append(data.decode("latin-1"))
    return "\n".join(out)


@pytest.fixture(scope="module")
def boundaries() -> gpd.GeoDataFrame:
    return gpd.read_file(boundaries_path())


def test_brf201_neutralise_urls_keeps_namespaces() -> None:
    text = 'a="https://cdn.example.org/x.js" b="http://www.w3.org/2000/svg" c="http://evil/"'
    out = neutralise_urls(text)
    assert foreign_urls(out) == []
    assert "http://www.w3.org/2000/svg" in out


def test_brf202_pack_is_self_contained_redacted_and_marked(
    small_week: SmallWeek, boundaries: gpd.GeoDataFrame
) -> None:
    shown = BriefingOptions(day=BRIEF_DAY, outstanding_shows=("street", "district", "type"))
    _, files = build_pack(small_week.db, shown, boundaries, MARKING)
    page = files.html
    assert foreign_urls(page) == []
    assert "<script src" not in page and "<link" not in page
    assert "L.map(" in page and "Plotly.newPlot" in page
    for secret in (SECRET_NOTE, SECRET_TIP, SECRET_OFFICER, SECRET_HOUSE, "PR1 2RH"):
        assert secret not in page, secret
        assert secret not in files.csv, secret
    assert "987" not in visible_text(page)
    sections = page.count('<section class="page">')
    assert sections == 6
    assert page.count(f'<div class="marking">{MARKING}</div>') == 2 * sections
    assert "Church Street, Preston" in page
    lines = files.csv.strip().splitlines()
    assert lines[0] == f"marking,{MARKING}" and lines[-1] == f"marking,{MARKING}"
    assert "yesterday_results,safeguarded,3" in files.csv


def test_brf203_pdf_has_marking_on_every_page(
    small_week: SmallWeek, boundaries: gpd.GeoDataFrame
) -> None:
    _, files = build_pack(small_week.db, BriefingOptions(day=BRIEF_DAY), boundaries, MARKING)
    assert files.pdf is not None and files.pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b", files.pdf))
    text = pdf_text(files.pdf)
    assert pages >= 6
    assert text.count(f"({MARKING})") == 2 * pages
    for secret in (SECRET_NOTE, SECRET_TIP, SECRET_OFFICER, SECRET_HOUSE):
        assert secret not in text


def test_brf204_cli_writes_files_and_records_disclosure(
    small_week: SmallWeek, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = run_briefing(small_week.db.url, tmp_path, monkeypatch, BRIEF_DAY,
                             "--since", "2026-11-25T00:00", "--user", "partner-laptop")
    assert code == 0
    assert out.exists() and out.with_suffix(".csv").exists() and out.with_suffix(".pdf").exists()
    assert foreign_urls(out.read_text(encoding="utf-8")) == []
    with small_week.db.read() as session:
        logs = session.scalars(select(ProcessingLog)).all()
    assert [(log.username, log.action) for log in logs] == [("partner-laptop", "disclosure")]
    assert "briefing pack" in logs[0].detail and BRIEF_DAY.isoformat() in logs[0].detail


def test_brf205_route_sends_pack_to_every_role_and_logs_it(
    client_as: Callable[[str], FlaskClient], app
) -> None:
    client = client_as("briefing")
    response = client.get(f"/briefing/pack?date={BRIEF_DAY.isoformat()}&format=html")
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "text/html"
    assert "attachment" in response.headers["Content-Disposition"]
    assert foreign_urls(response.get_data(as_text=True)) == []
    assert client.get("/briefing/pack?format=zip").data[:2] == b"PK"
    assert client.get("/briefing/pack?format=pdf").data[:4] == b"%PDF"
    assert client.get("/briefing/pack?format=exe").status_code == 400
    assert client.get("/briefing/pack?date=yesterday").status_code == 400
    svc = app.extensions["opsmap"]
    with svc.db.read() as session:
        logs = session.scalars(select(ProcessingLog)).all()
    assert len([log for log in logs if log.action == "disclosure"]) == 3


def test_brf206_route_needs_sign_in(app) -> None:
    response = app.test_client().get("/briefing/pack?format=html")
    assert response.status_code in (302, 303, 401)
