"""The imports page in real Chromium: upload, read the report, map columns in the grid, commit,
see the points on the map, undo (after confirming), and undo after a real commander's change.
Uses the shared live app (demo week) and Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import func, select

from layers.core.models import HistoryEntry, Location
from tests.e2e.conftest import screenshot, sign_in, text_of, until, wait_for
from tests.imports.conftest import PRESTON

pytestmark = pytest.mark.e2e

MAP_ADVERTS_JS = """
const gd = document.querySelector('#ops-map .js-plotly-plot');
if (!gd || !gd._fullData) { return null; }
const t = gd._fullData.find(t => (t.name || '').startsWith('Advert geotags'));
return t ? (t.lon || []).length : null;
"""
PREVIEW_TRACES_JS = """
const gd = document.querySelector('#imp-preview .js-plotly-plot');
return gd && gd._fullData ? gd._fullData.map(t => t.name) : null;
"""


def _adverts_on_map(driver) -> int:  # type: ignore[no-untyped-def]
    driver.get(driver.current_url.split("/imports")[0] + "/")
    wait_for(driver, "#count-adverts")
    return int(until(lambda: driver.find_element(By.ID, "count-adverts").text.replace(",", "")))


def _upload(driver, path: Path) -> None:  # type: ignore[no-untyped-def]
    wait_for(driver, "#imp-upload")
    driver.find_element(By.CSS_SELECTOR, "#imp-upload input[type=file]").send_keys(str(path))


def _undo(driver, import_id: int) -> str:  # type: ignore[no-untyped-def]
    """Press the import's Undo button, accept the confirmation, return the undo message."""
    button = wait_for(driver, f"#imp-imports tr[data-import='{import_id}'] button")
    assert button.is_displayed() and button.rect["x"] + button.rect["width"] <= 1600
    button.click()
    alert = WebDriverWait(driver, 30).until(ec.alert_is_present())
    assert f"Undo import #{import_id}" in alert.text and "stay" in alert.text
    alert.accept()
    return str(until(lambda: text_of(driver, "#imp-undo-message"), timeout=60))


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
    assert not browser.find_elements(By.CSS_SELECTOR, "#imp-preview-area .js-plotly-plot")
    _upload(browser, path)
    report = wait_for(browser, ".import-report", timeout=60)
    until(lambda: "Preview" in browser.find_element(By.CSS_SELECTOR, ".import-report").text)
    text = report.text
    assert "Accepted: 3" in text and "Rejected: 1" in text, text
    until(lambda: "latitude abc is not a number" in text_of(browser, "#imp-problems"))
    traces = until(lambda: browser.execute_script(PREVIEW_TRACES_JS))
    assert "District boundaries" in traces
    screenshot(browser, "imports/preview")

    until(lambda: browser.find_element(By.ID, "imp-commit").is_enabled())
    browser.find_element(By.ID, "imp-commit").click()
    until(lambda: "committed" in browser.find_element(By.ID, "imp-status").text, timeout=60)
    row = wait_for(browser, "#imp-imports tr[data-import]")
    assert "e2e_adverts.csv" in row.text
    import_id = int(row.get_attribute("data-import"))
    screenshot(browser, "imports/committed")

    after = _adverts_on_map(browser)
    assert after == before + 3
    until(lambda: browser.execute_script(MAP_ADVERTS_JS) == after)

    browser.get(live_app.url + "/imports")
    assert "3 records removed" in _undo(browser, import_id)
    assert _adverts_on_map(browser) == before


def _pick(driver, row, label: str) -> None:  # type: ignore[no-untyped-def]
    """Open the dropdown in ``row``, click the option ``label``, and see it chosen."""
    row.find_element(By.CSS_SELECTOR, "button.dash-dropdown").click()

    def option():  # type: ignore[no-untyped-def]
        found = [
            o
            for o in driver.find_elements(By.CSS_SELECTOR, "[role=option]")
            if o.is_displayed() and o.text.strip() == label
        ]
        return found[0] if found else None

    # The open list sits under the dropdown's search box: click the option itself.
    driver.execute_script("arguments[0].click();", until(option))
    if [
        e
        for e in driver.find_elements(By.CSS_SELECTOR, "input.dash-dropdown-search")
        if e.is_displayed()
    ]:
        driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    until(lambda: label in row.text)


def _row(driver, table: str, text: str):  # type: ignore[no-untyped-def]
    return next(
        r
        for r in driver.find_elements(By.CSS_SELECTOR, f"{table} tbody tr")
        if r.find_element(By.TAG_NAME, "th").text == text
    )


def _choose(driver, column: str, label: str) -> None:  # type: ignore[no-untyped-def]
    """Pick ``label`` in the grid's dropdown for ``column``."""
    _pick(driver, _row(driver, ".mapping-grid", column), label)


def test_e2e_imp002_map_columns_in_the_grid(live_app, browser, tmp_path: Path) -> None:
    sign_in(browser, live_app, "analyst")
    path = tmp_path / "licensing_weekly.csv"
    path.write_text(
        "Licence No,Premises Address,Kind of business,Risk,Y,X\n"
        f"E2E-L1,1 Fishergate,Nail bar,high,{PRESTON[1]},{PRESTON[0]}\n"
        f"E2E-L2,2 Fishergate,Bedsit,low,{PRESTON[1]},{PRESTON[0] + 0.001}\n"
    )
    browser.get(live_app.url + "/imports?kind=premises")
    wait_for(browser, "#imp-upload")
    _upload(browser, path)
    grid = wait_for(browser, ".mapping-grid", timeout=60)
    assert "Nail bar, Bedsit" in grid.text  # sample values beside each column
    refused = text_of(browser, "#imp-report-refused")
    assert "Reference" in refused and "column mapping" in refused and "--map" not in refused
    assert "Location: latitude" in grid.text  # the automatic guess for Y, preselected
    _choose(browser, "Licence No", "Reference")
    _choose(browser, "Premises Address", "Address")
    _choose(browser, "Kind of business", "Premises type")
    browser.find_element(By.ID, "imp-check").click()
    until(lambda: "Accepted: 2" in text_of(browser, ".import-report"), timeout=60)
    values = wait_for(browser, ".value-grid")
    assert "Bedsit" in values.text and "not in the list" in values.text
    _pick(browser, _row(browser, ".value-grid", "Bedsit"), "HMO")
    browser.find_element(By.ID, "imp-check").click()
    until(lambda: "not in the list" not in text_of(browser, ".import-report"), timeout=60)
    browser.find_element(By.ID, "imp-preset-name").send_keys("Licensing weekly")
    browser.find_element(By.ID, "imp-preset-save").click()
    until(lambda: "Saved the mapping" in text_of(browser, "#imp-preset-message"))
    screenshot(browser, "imports/grid")

    browser.find_element(By.ID, "imp-commit").click()
    until(lambda: "committed: 2 stored" in text_of(browser, "#imp-status"), timeout=60)
    with live_app.services.db.read() as session:
        stored = dict(
            session.execute(
                select(Location.ref, Location.premises_type).where(Location.ref.like("E2E-L%"))
            ).all()
        )
    assert stored == {"E2E-L1": "nail bar", "E2E-L2": "HMO"}

    other = tmp_path / "next_week.csv"
    other.write_text(f"ref,risk,lat,lon\nE2E-N1,high,{PRESTON[1]},{PRESTON[0]}\n")
    _upload(browser, other)
    until(lambda: "ref" in text_of(browser, ".mapping-grid"), timeout=60)
    assert "Licence No" not in text_of(browser, ".mapping-grid")  # the mapping was this file's
    until(lambda: "Accepted: 1" in text_of(browser, ".import-report"), timeout=60)


def test_e2e_imp003_undo_after_a_commanders_change(live_app, browser, tmp_path: Path) -> None:
    """Issue 10 item 5: a commander acts on an imported location; the undo keeps it."""
    sign_in(browser, live_app, "analyst")
    path = tmp_path / "e2e_premises.csv"
    path.write_text(
        "ref,risk,lat,lon\n"
        + "".join(f"E2E-U{i},high,{PRESTON[1] + i / 900:.5f},{PRESTON[0]:.5f}\n" for i in range(4))
    )
    browser.get(live_app.url + "/imports?kind=premises")
    _upload(browser, path)
    until(lambda: browser.find_element(By.ID, "imp-commit").is_enabled(), timeout=60)
    browser.find_element(By.ID, "imp-commit").click()
    until(lambda: "committed: 4 stored" in text_of(browser, "#imp-status"), timeout=60)
    with live_app.services.db.read() as session:
        target = session.scalars(select(Location).where(Location.ref == "E2E-U0")).one()
    commander = requests.Session()
    login = commander.post(
        f"{live_app.url}/login",
        data={"username": "commander", "password": live_app.passwords["commander"]},
        headers={"Origin": live_app.url},
        timeout=30,
    )
    assert login.ok
    change = commander.patch(
        f"{live_app.url}/api/locations/{target.id}",
        json={"status": "planned", "version": target.version},
        headers={"Origin": live_app.url},
        timeout=30,
    )
    assert change.status_code == 200, change.text

    browser.get(live_app.url + "/imports")
    row = wait_for(browser, "#imp-imports tr[data-import]")
    message = _undo(browser, int(row.get_attribute("data-import")))
    assert "3 records removed" in message and "E2E-U0" in message and "commander" in message
    screenshot(browser, "imports/undo-kept")
    with live_app.services.db.read() as session:
        kept = session.scalars(select(Location.ref).where(Location.ref.like("E2E-U%"))).all()
        history = session.scalar(
            select(func.count())
            .select_from(HistoryEntry)
            .where(HistoryEntry.location_id == target.id)
        )
    assert kept == ["E2E-U0"] and history == 1
