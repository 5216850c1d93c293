"""The briefing pack against a hostile store and a hostile reader (issue 10, items 2 and 4).

- Script in the pack: hostile call signs, addresses and types are escaped for the context they
  land in, the page runs only its own scripts (allowed by hash in its CSP), and in real Chromium
  no hostile value runs, with the CSP and without it.
- Coordinates: an attacker who takes every position in a real pack to the nearest public
  Code-Point Open centroid recovers no more than 5% of the stored postcodes.
"""

from __future__ import annotations

import csv
import datetime as dt
import html as html_lib
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from selenium.webdriver.common.by import By
from sqlalchemy.orm import Session

from geodata.crs import to_bng
from layers.core.demo import build_demo, monday_of
from layers.core.locations import insert_locations
from layers.core.models import Operation
from layers.documents.html import data_block, script_hash
from layers.planning.assignments import assign
from layers.planning.teams import TeamSpec, create_team
from layers.services import Services
from tests.briefing.conftest import (
    ARTIFACTS,
    BRIEF_DAY,
    HOSTILE_FLAGS,
    HOSTILE_STREET,
    HOSTILE_TEAM,
    HOSTILE_TICK,
    HOSTILE_TYPE,
    SmallWeek,
    run_briefing,
)
from tests.e2e.conftest import until

SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)
CSP_RE = re.compile(r"<meta http-equiv=['\"]Content-Security-Policy['\"] content=\"([^\"]*)\">")
SHOWN_COLUMNS = "street,district,type,status,priority"
"""Outstanding premises with their street, so the hostile addresses reach the pack."""
MAX_RECOVERED = 0.05


def cli_pack(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, day: dt.date,
             *extra: str) -> Path:
    """Build the real pack with the real command (``python app.py briefing``); its HTML path."""
    monkeypatch.setenv("OPSMAP_BRIEFING_OUTSTANDING", SHOWN_COLUMNS)
    code, out = run_briefing(url, tmp_path, monkeypatch, day, *extra)
    assert code == 0
    return out


PACK_ELEMENTS = {"html", "head", "meta", "title", "style", "script", "body", "div", "section",
                 "h1", "h2", "p", "b", "span", "table", "thead", "tbody", "tr", "th", "td"}
"""Every element the pack's own markup uses (an injected ``<img>`` would show up here)."""


class _Markup(HTMLParser):
    """The elements and event-handler attributes of a page, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.handlers += [f"{tag} {name}" for name, _ in attrs if name.startswith("on")]


def elements(page: str) -> set[str]:
    """The element names in ``page``."""
    parser = _Markup()
    parser.feed(page)
    return parser.tags


def handlers(page: str) -> list[str]:
    """Every ``on...=`` attribute in ``page`` (none may exist: the CSP would block it anyway)."""
    parser = _Markup()
    parser.feed(page)
    return parser.handlers


def executable_scripts(page: str) -> list[str]:
    """The inline scripts a browser runs (data blocks, ``type="application/json"``, are not)."""
    return [body for attrs, body in SCRIPT_RE.findall(page) if "type=" not in attrs.lower()]


# --- item 2: script in the pack --------------------------------------------------------------


def test_brf501_data_block_cannot_end_its_script_element() -> None:
    hostile = {"a": "</script><script>window.x=1</script>", "b": "<!--", "c": "\u2028`${x}`&"}
    block = data_block("pack-data", hostile)
    body = block.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert "<" not in body and ">" not in body and "\u2028" not in body
    assert json.loads(body) == hostile


def test_brf502_pack_runs_only_its_own_hashed_scripts(
    hostile_week: SmallWeek, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = cli_pack(hostile_week.db.url, tmp_path, monkeypatch, BRIEF_DAY).read_text("utf-8")
    csp = CSP_RE.search(page)
    assert csp, "the pack has no Content-Security-Policy"
    policy = html_lib.unescape(csp.group(1))
    allowed = set(re.findall(r"'sha256-[^']+'", policy))
    scripts = executable_scripts(page)
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert {script_hash(s) for s in scripts} == allowed and len(scripts) == 3
    assert elements(page) <= PACK_ELEMENTS and handlers(page) == []
    # No value became code: the page's scripts hold none of the hostile text.
    for script in scripts:
        for value in (HOSTILE_TEAM, "pwnedAddress", "pwnedTick", HOSTILE_TYPE):
            assert value not in script
    # HTML text is escaped: no hostile element anywhere in the markup.
    assert "<img" not in page
    assert html_lib.escape(HOSTILE_TEAM) in page and html_lib.escape(HOSTILE_TYPE) in page


@pytest.mark.e2e
def test_brf503_hostile_values_run_no_script_in_chromium(
    hostile_week: SmallWeek, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    chrome,  # type: ignore[no-untyped-def]
) -> None:
    path = cli_pack(hostile_week.db.url, tmp_path, monkeypatch, BRIEF_DAY)
    page = path.read_text("utf-8")
    title = html_lib.unescape(re.search(r"<title>(.*?)</title>", page).group(1))  # type: ignore[union-attr]
    without_csp = path.with_name("brief-no-csp.html")
    without_csp.write_text(CSP_RE.sub("", page), encoding="utf-8")
    chrome.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
        window.__violations = [];
        document.addEventListener("securitypolicyviolation",
            e => window.__violations.push(e.violatedDirective + " " + (e.sample || "")));
    """})
    for target, has_csp in ((path, True), (without_csp, False)):
        chrome.get(target.as_uri())
        until(lambda: chrome.execute_script(
            "return document.querySelectorAll('.leaflet-container .leaflet-overlay-pane path')"
            ".length > 0 && document.querySelectorAll('.js-plotly-plot .main-svg').length > 0"),
            timeout=60)
        chrome.execute_script("document.querySelectorAll('.leaflet-interactive').forEach("
                              "m => m.dispatchEvent(new MouseEvent('mouseover')))")
        ran = chrome.execute_script(
            "return arguments[0].filter(f => window[f] !== undefined)", list(HOSTILE_FLAGS))
        assert ran == [], (target.name, ran)
        assert chrome.title == title, target.name
        if has_csp:
            assert chrome.execute_script("return window.__violations") == []
        labels = [el.text for el in chrome.find_elements(
            By.CSS_SELECTOR, ".leaflet-control-layers-overlays label")]
        assert any(HOSTILE_TEAM in label for label in labels), labels
        cells = {el.text for el in chrome.find_elements(By.CSS_SELECTOR, "td")}
        assert {HOSTILE_STREET, HOSTILE_TICK, HOSTILE_TYPE} <= cells  # shown, as text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chrome.save_screenshot(str(ARTIFACTS / "pack-hostile-values.png"))


# --- item 4: coordinates that give the postcode back -----------------------------------------


def nearest_postcodes(svc: Services, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """What an attacker does: each position to the nearest Code-Point Open centroid."""
    index = svc.postcodes
    east, north = to_bng(lon, lat)
    near = ((index.easting > east.min() - 20_000) & (index.easting < east.max() + 20_000)
            & (index.northing > north.min() - 20_000) & (index.northing < north.max() + 20_000))
    ce = index.easting[near].astype(np.float64)
    cn = index.northing[near].astype(np.float64)
    keys = index.keys[near].astype("U7")
    found = [keys[np.argmin((ce - e) ** 2 + (cn - n) ** 2)] for e, n in zip(east, north,
                                                                         strict=True)]
    return np.array(found, dtype=object)


def pack_positions(page: str, csv_text: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Every premises row of the CSV (id, lon, lat) and every marker position in the HTML."""
    rows = list(csv.reader(io.StringIO(csv_text)))
    frames = []
    for section in ("plan", "outstanding"):
        part = [r[1:] for r in rows if r and r[0] == section]
        frame = pd.DataFrame(part[1:], columns=part[0])
        frames.append(frame[["id", "lon", "lat"]].astype(float))
    pairs = re.findall(r'"lat":\s*(5\d\.\d+),\s*"lon":\s*(-\d\.\d+)', page)
    pairs += re.findall(r"\[\s*(5\d\.\d+),\s*(-\d\.\d+)\s*\]", page)
    return pd.concat(frames, ignore_index=True), np.array(pairs, dtype=float).reshape(-1, 2)


def demo_week(session: Session, svc: Services, week: dt.date) -> None:
    """The demonstration week's premises (at their real postcodes' centroids), tip-offs and
    adverts, without its history (written here so the test runs on both databases)."""
    frames = build_demo(svc.postcodes, svc.districts, week, svc.config.phone_key)
    session.add(Operation(name="Operation Test", start_date=week,
                          end_date=week + dt.timedelta(days=6), is_demo=True))
    insert_locations(session, frames["premises"].drop(columns=["town"]))
    insert_locations(session, frames["tipoffs"].drop(columns=["linked_index"]))
    insert_locations(session, frames["adverts"])


def test_brf504_postcodes_cannot_be_recovered_from_the_pack(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    week = monday_of(dt.date.today())
    day = week + dt.timedelta(days=2)
    with services.db.write() as session:
        demo_week(session, services, week)
        teams = [create_team(session, TeamSpec(f"ALPHA {i}", "West", -3.0, 53.8),
                                   "cmdr") for i in range(1, 8)]
        rows = session.connection().exec_driver_sql(
            "SELECT id, version FROM locations WHERE kind = 'premises' "
            "AND status = 'unplanned' ORDER BY id").fetchall()
        for i, (location_id, version) in enumerate(rows[:40]):
            assign(session, location_id, version, teams[i // 6].id, day, "cmdr")
    path = cli_pack(services.config.database_url, tmp_path, monkeypatch, day)
    rows_, markers = pack_positions(path.read_text("utf-8"),
                                    path.with_suffix(".csv").read_text("utf-8"))
    with services.db.read() as session:
        stored = dict(session.connection().exec_driver_sql(
            "SELECT id, postcode FROM locations WHERE kind = 'premises'").fetchall())
    assert len(rows_) >= 50 and len(markers) >= 50  # enough rows for 5% to mean something
    truth = rows_["id"].astype(int).map(stored).str.replace(" ", "").str.upper().to_numpy()
    guessed = nearest_postcodes(services, rows_["lon"].to_numpy(), rows_["lat"].to_numpy())
    recovered = float(np.mean(guessed == truth))
    assert recovered <= MAX_RECOVERED, f"{recovered:.0%} of postcodes recovered from the CSV"
    shown = {str(p).replace(" ", "").upper() for p in truth}
    from_map = nearest_postcodes(services, markers[:, 1], markers[:, 0])
    hits = float(np.mean([p in shown for p in from_map]))
    assert hits <= MAX_RECOVERED, f"{hits:.0%} of map markers name a disclosed postcode"
