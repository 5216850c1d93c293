"""The planning flow in real Chromium: select on the map, assign, route, close a visit, board.

Uses the shared live app (demo week, one user per role) and Chromium.
"""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from tests.e2e import conftest as e2e
from tests.planning.conftest import add_team

pytestmark = pytest.mark.e2e

UNPLANNED_NEAR_JS = """
const gd = document.querySelector('#pln-map .js-plotly-plot');
if (!gd || !gd._fullData) { return null; }
const t = gd._fullData.find(t => t.name === 'Unplanned');
if (!t || !t.lon || !t.lon.length) { return null; }
let best = -1, bestD = Infinity;
for (let i = 0; i < t.lon.length; i++) {
  const d = (t.lon[i] - arguments[0]) ** 2 + (t.lat[i] - arguments[1]) ** 2;
  if (d < bestD) { bestD = d; best = i; }
}
return [t.lon[best], t.lat[best]];
"""
ROUTE_JS = """
const gd = document.querySelector('#pln-map .js-plotly-plot');
const t = (gd && gd.data || []).find(t => (t.name || '').startsWith('Route'));
return t ? t.lon.length : 0;
"""
SELECTED_JS = """
const api = window.dash_ag_grid && window.dash_ag_grid.getApi('pln-grid');
return api ? api.getSelectedRows().length : 0;
"""
PRESTON = (-2.7035, 53.7590)


def done_count(driver) -> tuple[int, int] | None:
    found = driver.find_elements(By.CSS_SELECTOR, "#brd-totals .count")
    match = re.match(r"(\d+) / (\d+) visits done", found[0].text) if found else None
    return (int(match.group(1)), int(match.group(2))) if match else None


def safeguarded(driver) -> int:
    match = re.search(r"safeguarded: (\d+)", driver.find_element(By.ID, "brd-totals").text)
    return int(match.group(1)) if match else -1


def radio(driver, group: str, label: str) -> None:
    driver.find_element(By.XPATH, f"//div[@id='{group}']//label[contains(., '{label}')]").click()


def test_e2e_pln001_select_assign_route_close_and_board(live_app, browser) -> None:
    add_team(live_app.services, "E2E Alpha", "preston", capacity=30)
    e2e.sign_in(browser, live_app, "commander")

    browser.get(live_app.url + "/board")
    e2e.wait_for(browser, "#brd-map .js-plotly-plot")
    done_before, _ = e2e.until(lambda: done_count(browser))
    safeguarded_before = safeguarded(browser)

    browser.get(live_app.url + "/planning")
    e2e.wait_for(browser, "#pln-map .js-plotly-plot")
    target = e2e.until(lambda: browser.execute_script(UNPLANNED_NEAR_JS, *PRESTON), timeout=60)
    browser.execute_script(
        """
        const gd = document.querySelector('#pln-map .js-plotly-plot');
        Plotly.relayout(gd, {'map.center': {lon: arguments[0][0], lat: arguments[0][1]},
                             'map.zoom': 14});
        """,
        target,
    )
    canvas = browser.find_element(By.CSS_SELECTOR, "#pln-map canvas.maplibregl-canvas")
    for _attempt in range(3):  # a poll may redraw the map mid-gesture: draw the lasso again
        e2e.until(lambda: abs(e2e.project(browser, "pln-map", *target)["x"]) > 0)
        pos = e2e.project(browser, "pln-map", *target)
        cx, cy = pos["x"] - pos["w"] / 2, pos["y"] - pos["h"] / 2
        # A lasso around the point: a square loop of 80 px drawn with the mouse.
        ActionChains(browser).move_to_element_with_offset(
            canvas, cx - 40, cy - 40
        ).click_and_hold().move_by_offset(80, 0).move_by_offset(0, 80).move_by_offset(
            -80, 0
        ).move_by_offset(0, -78).release().perform()
        try:
            e2e.until(lambda: browser.execute_script(SELECTED_JS), timeout=10)
            break
        except AssertionError:
            continue
    selected = e2e.until(lambda: browser.execute_script(SELECTED_JS))

    browser.find_element(By.ID, "pln-assign").click()
    message = e2e.until(lambda: browser.find_element(By.ID, "pln-message").text)
    assert message.startswith("Assigned"), message
    stops = e2e.until(lambda: browser.find_elements(By.CSS_SELECTOR, "#pln-stops li.stop"))
    assert len(stops) >= 1
    e2e.until(
        lambda: (
            browser.execute_script(ROUTE_JS)
            == len(browser.find_elements(By.CSS_SELECTOR, "#pln-stops li.stop")) + 2
        )
    )
    e2e.screenshot(browser, "planning/assigned-route")

    # Close the first stop's visit: in progress, visited, then actioned with a result.
    ref = browser.find_element(By.CSS_SELECTOR, "#pln-stops .stop-ref").text
    box = browser.find_element(By.CSS_SELECTOR, ".ag-floating-filter[col-id='ref'] input")
    box.send_keys(ref)
    e2e.until(
        lambda: (
            len(
                browser.find_elements(
                    By.CSS_SELECTOR, "#pln-grid .ag-center-cols-container .ag-row"
                )
            )
            == 1
        )
    )
    browser.find_element(
        By.CSS_SELECTOR, "#pln-grid .ag-center-cols-container .ag-row .ag-cell[col-id='address']"
    ).click()
    e2e.until(lambda: "Planned" in browser.find_element(By.ID, "pln-status-target").text)
    for step in ("In progress", "Visited"):
        radio(browser, "pln-next-status", step)
        browser.find_element(By.ID, "pln-save-status").click()
        e2e.until(lambda step=step: f"is now {step}" in e2e.text_of(browser, "#pln-status-message"))
        e2e.until(lambda step=step: step in e2e.text_of(browser, "#pln-status-target"))
    e2e.choose(browser, "pln-outcome", "Actioned")
    e2e.until(
        lambda: browser.find_element(By.CSS_SELECTOR, "input[id*='safeguarded']").is_enabled()
    )
    browser.find_element(By.CSS_SELECTOR, "input[id*='safeguarded']").send_keys("2")
    browser.find_element(By.ID, "pln-save-status").click()
    e2e.until(lambda: "is now Actioned" in e2e.text_of(browser, "#pln-status-message"))
    e2e.screenshot(browser, "planning/closed-visit")

    browser.get(live_app.url + "/board")
    e2e.wait_for(browser, "#brd-map .js-plotly-plot")
    e2e.until(lambda: (c := done_count(browser)) and c[0] == done_before + 1)
    assert selected >= 1
    assert safeguarded(browser) == safeguarded_before + 2
    e2e.screenshot(browser, "planning/board")
    assert e2e.foreign_requests(e2e.requested_urls(browser), live_app.host) == []
