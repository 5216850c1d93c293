"""The operations map in real Chromium: three layers, a status change, nothing third-party."""

from __future__ import annotations

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from dashboard.pages.operations.figures import POINT_TRACE
from tests.e2e import conftest as e2e

pytestmark = pytest.mark.e2e
PREMISES = POINT_TRACE["premises"]

POINT_SCREEN_JS = """
const gd = document.querySelector('#ops-map .js-plotly-plot');
const map = gd._fullLayout.map._subplot.map;
const trace = gd._fullData[arguments[0]];
const lon = trace.lon[arguments[1]], lat = trace.lat[arguments[1]];
const p = map.project([lon, lat]);
const box = map.getCanvas().getBoundingClientRect();
return {x: p.x, y: p.y, w: box.width, h: box.height};
"""

DRAWN_JS = """
const gd = document.querySelector('#ops-map .js-plotly-plot');
const map = gd._fullLayout.map._subplot.map;
return map.getStyle().layers.filter(
    l => l.type === 'circle' && (l.layout || {}).visibility === 'visible').length;
"""

TRACE_INFO_JS = """
const gd = document.querySelector('#ops-map .js-plotly-plot');
if (!gd || !gd._fullData) { return null; }
return gd._fullData.slice(2, 5).reverse().map(t => [t.name, t.visible, (t.lon || []).length]);
"""


def chip_text(driver, css: str) -> str:
    try:
        found = driver.find_elements(By.CSS_SELECTOR, css)
        return found[0].text if found else ""
    except StaleElementReferenceException:
        return ""


def test_e2e001_map_shows_layers_status_change_updates_counts(live_app, browser):
    e2e.sign_in(browser, live_app, "commander")
    browser.get(live_app.url + "/")
    e2e.wait_for(browser, "#ops-map .js-plotly-plot")
    e2e.wait_for(browser, "#count-premises")

    # All three layers are drawn, named with their counts in the legend.
    layers = e2e.until(
        lambda: (
            (info := browser.execute_script(TRACE_INFO_JS))
            and all(n > 0 for _, _, n in info)
            and info
        )
    )
    names = [name for name, _, _ in layers]
    assert names[0].startswith("Suspected premises (") and names[1].startswith("Tip-offs (")
    assert names[2].startswith("Advert geotags (")
    assert e2e.text_of(browser, ".marking-top") == "OFFICIAL-SENSITIVE"
    assert "Demo data" in e2e.text_of(browser, ".demo-banner")
    premises_total = int(e2e.text_of(browser, "#count-premises").replace(",", ""))
    assert premises_total > 100
    import time

    time.sleep(5)
    e2e.until(lambda: browser.execute_script(DRAWN_JS) >= 3)  # circles drawn by MapLibre
    e2e.screenshot(browser, "operations/map")

    # Click the first unplanned premises point drawn, open its panel, and plan it.
    before = str(e2e.until(lambda: chip_text(browser, "#count-premises-planned")))  # demo has some
    before_n = int(before.split()[-1].replace(",", ""))
    index = browser.execute_script(
        """
        const gd = document.querySelector('#ops-map .js-plotly-plot');
        const t = gd._fullData[arguments[0]];
        return Array.from(t.hovertext).findIndex(h => h.includes('Unplanned'));
        """,
        PREMISES,
    )
    assert index >= 0
    # Zoom the map to the point so the click lands on it.
    browser.execute_script(
        """
        const gd = document.querySelector('#ops-map .js-plotly-plot');
        const t = gd._fullData[arguments[1]];
        const i = arguments[0];
        gd._fullLayout.map._subplot.map.jumpTo({center: [t.lon[i], t.lat[i]], zoom: 14});
        """,
        index,
        PREMISES,
    )
    e2e.until(lambda: browser.execute_script(POINT_SCREEN_JS, PREMISES, index)["x"] > 0)
    pos = browser.execute_script(POINT_SCREEN_JS, PREMISES, index)
    canvas = browser.find_element(By.CSS_SELECTOR, "#ops-map canvas.maplibregl-canvas")
    ActionChains(browser).move_to_element_with_offset(
        canvas, pos["x"] - pos["w"] / 2, pos["y"] - pos["h"] / 2
    ).click().perform()
    e2e.wait_for(browser, "#ops-panel h3")
    assert "Premises DEMO-P-" in e2e.text_of(browser, "#ops-panel h3")
    browser.find_element(
        By.XPATH, "//div[@id='ops-next-status']//label[contains(., 'Planned')]"
    ).click()
    browser.find_element(By.ID, "ops-note").send_keys("Team Alpha, Tuesday")
    browser.find_element(By.ID, "ops-save-status").click()
    assert "is now Planned" in e2e.text_of(browser, "#ops-status-message .toast-ok")
    e2e.until(lambda: chip_text(browser, "#count-premises-planned").endswith(str(before_n + 1)))
    e2e.until(lambda: "Team Alpha, Tuesday" in e2e.text_of(browser, "#ops-panel"))
    e2e.screenshot(browser, "operations/after-status-change")

    # Nothing was requested from any host but the app's own.
    assert e2e.foreign_requests(e2e.requested_urls(browser), live_app.host) == []
