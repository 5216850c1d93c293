"""The imports page in real Chromium: upload, read the report, commit, see the points on the
map, undo. Uses the shared live app (demo week) and Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from tests.e2e.conftest import screenshot, sign_in, until, wait_for
from tests.imports.conftest import PRESTON

pytestmark = pytest.mark.e2e

MAP_ADVERTS_JS = """
const gd = document.querySelector('#ops-map .js-plotly-plot');
if (!gd || !gd._fullData) { return null; }
const t = gd._fullData.find(t => (t.name || '').startsWith('Advert geotags'));
return t ? (t.lon || []).length : null;
"""


def _adverts_on_map(driver) -> int:  # type: ignore[no-untyped-def]
    driver.get(driver.current_url.split("/imports")[0] + "/")
    wait_for(driver, "#count-adverts")
    return int(until(lambda: driver.find_element(By.ID, "count-adverts").text.replace(",", "")))


def test_e2e_imp001_upload_report_commit_map_undo(live_app, browser, tmp_path: Path) -> None:
    sign_in(browser, live_app, "analyst")
    browser.get(live_app.url + "/")
    before = _adverts_on_map(browser)

    rows = "".join(
        f"e2e-site,E2E-{i},{PRESTON[1] + i / 1000:.5f},{PRESTON[0]:.5f},2026-11-24T20:00:00Z\n"
        for i in range(3)
    )
    path = tmp_path / "e2e_adverts.csv"
    path.write_text("site,advert_id,lat,lon,posted\n" + rows + "e2e-site,E2E-bad,abc,-2.7,\n")

    browser.get(live_app.url + "/imports?kind=adverts")
    wait_for(browser, "#imp-upload")
    browser.find_element(By.CSS_SELECTOR, "#imp-upload input[type=file]").send_keys(str(path))
    report = wait_for(browser, ".import-report", timeout=60)
    until(lambda: "Preview" in browser.find_element(By.CSS_SELECTOR, ".import-report").text)
    text = report.text
    assert "Accepted: 3" in text and "Rejected: 1" in text, text
    assert "latitude abc is not a number" in browser.find_element(By.ID, "imp-problems").text
    screenshot(browser, "imports/preview")

    until(lambda: browser.find_element(By.ID, "imp-commit").is_enabled())
    browser.find_element(By.ID, "imp-commit").click()
    until(lambda: "committed" in browser.find_element(By.ID, "imp-status").text, timeout=60)
    row = wait_for(browser, "#imp-imports tr[data-import]")
    assert "e2e_adverts.csv" in row.text
    screenshot(browser, "imports/committed")

    after = _adverts_on_map(browser)
    assert after == before + 3
    until(lambda: browser.execute_script(MAP_ADVERTS_JS) == after)

    browser.get(live_app.url + "/imports")
    button = wait_for(browser, "#imp-imports tr[data-import] button")
    button.click()
    until(lambda: "undone" in browser.find_element(By.ID, "imp-status").text, timeout=60)
    assert _adverts_on_map(browser) == before
