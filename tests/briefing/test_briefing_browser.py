"""The briefing screen and the exported pack in real Chromium (1920x1080).

The screen: every panel renders with the marking top and bottom, the panels rotate on their own
and by keyboard, the page talks to no host but the app, and neither its DOM nor any network
response holds the redacted demo fields. The pack: opened from ``file://`` with the network
off, its Leaflet maps and plotly charts draw. Screenshots go to ``test-output/briefing/``.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.pages.briefing.ids import PANELS, Ids, body_id, panel_id
from layers.briefing.model import BriefingOptions, briefing_moment
from layers.briefing.pack import build_pack
from layers.core.demo import STREETS
from layers.core.kinds import PREMISES_TYPES
from tests.briefing.conftest import ARTIFACTS, BRIEFING_SECONDS, sign_in_briefing
from tests.e2e.conftest import LiveApp, until

pytestmark = pytest.mark.e2e

MARKING = "OFFICIAL-SENSITIVE"
STATIC_PATHS = ("/_dash-component-suites/", "/assets/")
"""Library files (the same for everyone): only the page, its layout and callbacks carry data."""
FORBIDDEN_PATTERNS = (
    re.compile(r"DEMO NOTE"),
    re.compile(r"DEMO TIP"),
    re.compile(r"07700"),
    re.compile(r"(?<![\w.+/-])900\d{3}(?![\w.])"),  # a phone's "900xyz", not a coordinate
    re.compile(r"\b\d{1,3} (?:" + "|".join(STREETS) + r")\b"),
    re.compile(r'"(?:notes|summary|phone_hash|phone_last3|address|created_by|username)"'),
)


def leaks(text: str) -> list[str]:
    """Redacted demo content found in ``text`` (empty when clean)."""
    return [m.group(0) for p in FORBIDDEN_PATTERNS for m in p.finditer(text)][:10]


def network(driver) -> list[dict]:  # type: ignore[no-untyped-def]
    """Network events of the performance log since the last call."""
    events = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method", "").startswith("Network."):
            events.append(message)
    return events


def response_bodies(driver, events: list[dict]) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(url, body) of every response that finished loading and is still in Chromium's buffer."""
    urls = {e["params"]["requestId"]: e["params"]["response"]["url"]
            for e in events if e["method"] == "Network.responseReceived"}
    done = {e["params"]["requestId"] for e in events if e["method"] == "Network.loadingFinished"}
    bodies = []
    for request_id, url in urls.items():
        if request_id not in done:
            continue
        try:
            body = driver.execute_cdp_cmd("Network.getResponseBody", {"requestId": request_id})
        except Exception:  # noqa: BLE001 - evicted or not a body-carrying response
            continue
        bodies.append((url, body.get("body", "")))
    return bodies


def counter(driver) -> str:  # type: ignore[no-untyped-def]
    return driver.find_element(By.ID, Ids.COUNTER).text


def panel_rendered(driver, key: str) -> bool:  # type: ignore[no-untyped-def]
    """The panel is the visible one and its graphs (and maps' canvases) have drawn."""
    return bool(driver.execute_script(
        """
        const panel = document.getElementById(arguments[0]);
        if (!panel || !panel.classList.contains("active")) return false;
        if (getComputedStyle(panel).visibility !== "visible") return false;
        const body = document.getElementById(arguments[1]);
        if (!body || body.children.length === 0) return false;
        const graphs = body.querySelectorAll(".js-plotly-plot");
        for (const g of graphs) {
          if (!g.querySelector(".main-svg")) return false;
          if (g.closest(".briefing-map") && !g.querySelector("canvas")) return false;
        }
        return graphs.length > 0 || body.querySelector(".tile") !== null;
        """,
        panel_id(key), body_id(key),
    ))


def markings(driver, key: str) -> list[str]:  # type: ignore[no-untyped-def]
    panel = driver.find_element(By.ID, panel_id(key))
    return [el.text for el in panel.find_elements(By.CSS_SELECTOR, ".briefing-marking")
            if el.is_displayed()]


def test_brf301_briefing_screen_panels_rotation_network_redaction(
    briefing_live: LiveApp, chrome  # type: ignore[no-untyped-def]
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    sign_in_briefing(chrome, briefing_live)
    network(chrome)
    chrome.get(f"{briefing_live.url}/briefing")
    size = chrome.execute_script("return [window.innerWidth, window.innerHeight]")
    assert size == [1920, 1080]
    until(lambda: panel_rendered(chrome, PANELS[0][0]), timeout=60)
    until(lambda: "Data as of" in chrome.find_element(By.ID, Ids.DATA_TIME).text)

    # Rotates on its own (the interval is a few seconds in this app).
    shown = counter(chrome)
    until(lambda: counter(chrome) != shown, timeout=30)
    # Space pauses: the panel stays; the arrow keys still move it.
    chrome.find_element(By.TAG_NAME, "body").send_keys(" ")
    until(lambda: chrome.find_element(By.ID, Ids.PAUSED).text == "paused")
    time.sleep(1.5)  # a timer tick already on its way may still land
    paused_at = counter(chrome)
    time.sleep(2 * BRIEFING_SECONDS)
    assert counter(chrome) == paused_at

    # Walk every panel by keyboard: rendered, marked top and bottom, screenshot.
    index = int(paused_at.split("/")[0]) - 1
    for step in range(len(PANELS)):
        key, title = PANELS[(index + step) % len(PANELS)]
        until(lambda k=key: panel_rendered(chrome, k), timeout=60)
        # The panel fades in (0.4 s): its markings count as displayed once it is opaque.
        assert until(lambda k=key: markings(chrome, k) == [MARKING, MARKING], timeout=10), key
        heading = chrome.find_element(By.CSS_SELECTOR, f"#{panel_id(key)} .panel-title")
        assert heading.text == title
        time.sleep(1.0)  # let map labels and transitions settle for the picture
        number = (index + step) % len(PANELS) + 1
        chrome.save_screenshot(str(ARTIFACTS / f"panel-{number}-{key}.png"))
        before = counter(chrome)
        chrome.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
        until(lambda b=before: counter(chrome) != b)

    # Only the app's own host, and nothing redacted anywhere.
    events = network(chrome)
    urls = [e["params"]["request"]["url"] for e in events
            if e["method"] == "Network.requestWillBeSent"]
    foreign = [u for u in urls if not u.startswith(("data:", "blob:"))
               and urlparse(u).netloc != briefing_live.host]
    assert urls and foreign == []
    bodies = response_bodies(chrome, events)
    updates = [b for u, b in bodies if "_dash-update-component" in u]
    assert updates, "no callback responses captured"
    data = [(u, b) for u, b in bodies if not urlparse(u).path.startswith(STATIC_PATHS)]
    assert len(data) > len(updates)  # the page itself and its layout are checked too
    for url, body in data:
        assert leaks(body) == [], url
    assert leaks(chrome.page_source) == []
    assert leaks(chrome.execute_script("return document.documentElement.innerText")) == []
    # The figures did arrive (a panel with nothing would pass the checks above trivially). The
    # outstanding premises show district and type by default (issue 11), no longer streets.
    assert any(any(t in b for t in PREMISES_TYPES) and "Potential victims safeguarded" in b
               for b in updates)
    assert not any(f'"{street}' in b for b in updates for street in STREETS)

    # The pack button downloads the pack and the export is logged as a disclosure.
    chrome.find_element(By.ID, Ids.DOWNLOAD_BUTTON).click()
    until(lambda: "downloaded" in chrome.find_element(By.ID, Ids.DOWNLOAD_MESSAGE).text,
          timeout=60)
    from sqlalchemy import select

    from layers.audit.processing_log import ProcessingLog

    with briefing_live.services.db.read() as session:  # type: ignore[attr-defined]
        logs = session.scalars(select(ProcessingLog).where(
            ProcessingLog.action == "disclosure")).all()
    assert any(log.username == "briefing" and "briefing screen" in log.detail for log in logs)


def test_brf302_pack_opens_offline_with_maps_and_charts(
    briefing_live: LiveApp, chrome, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    svc = briefing_live.services
    day = briefing_live.week_start + pd.Timedelta(days=2)
    options = BriefingOptions(day=day.date() if hasattr(day, "date") else day)
    b, files = build_pack(svc.db, options, svc.boundaries, MARKING)  # type: ignore[attr-defined]
    maps = 4 if len(b.plan) else 3  # an empty plan says so, without a map
    paths = files.write(tmp_path / "pack")
    chrome.execute_cdp_cmd("Network.enable", {})
    chrome.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
    network(chrome)
    chrome.get(paths[0].as_uri())

    def drawn() -> dict | None:
        state = chrome.execute_script(
            """
            const maps = [...document.querySelectorAll(".pack-map")];
            return {
              maps: maps.length,
              panes: maps.filter(m => m.querySelector(".leaflet-map-pane")).length,
              drawn: maps.filter(m => m.querySelectorAll(
                  ".leaflet-overlay-pane svg path, .leaflet-overlay-pane canvas").length > 0
              ).length,
              charts: document.querySelectorAll(".js-plotly-plot").length,
              chartsDrawn: [...document.querySelectorAll(".js-plotly-plot")].filter(
                  g => g.querySelector(".main-svg") &&
                       g.querySelectorAll(".bars .point, .scatterlayer .trace").length > 0
              ).length,
              markers: document.querySelectorAll(".leaflet-interactive").length,
            };
            """
        )
        ok = state["maps"] == maps and state["panes"] == maps and state["drawn"] == maps \
            and state["charts"] >= 6 and state["chartsDrawn"] == state["charts"]
        return state if ok else None

    state = until(drawn, timeout=60)
    assert state["markers"] > 14  # districts plus the plan, intel and outstanding markers
    events = network(chrome)
    urls = [e["params"]["request"]["url"] for e in events
            if e["method"] == "Network.requestWillBeSent"]
    assert [u for u in urls if not u.startswith(("file:", "data:", "blob:", "about:"))] == []
    chrome.save_screenshot(str(ARTIFACTS / "pack-top.png"))
    chrome.execute_script("document.querySelectorAll('section.page')[4].scrollIntoView()")
    time.sleep(0.5)
    chrome.save_screenshot(str(ARTIFACTS / "pack-new-intel.png"))
    assert leaks(files.html.split("</script>")[-1]) == []
    assert briefing_moment(options.day) is not None
