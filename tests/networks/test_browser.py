"""The networks pages in real Chromium: the grid, a network's path on the map and its graph."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import select

from layers.jobs.runner import run_pending
from layers.networks.models import Network
from tests.e2e import conftest as e2e

pytestmark = pytest.mark.e2e

PATH_JS = """
const gd = document.querySelector('#net-map .js-plotly-plot');
if (!gd || !gd._fullData) { return null; }
const path = gd._fullData.find(t => t.name === 'Path');
const stops = gd._fullData.find(t => t.name === 'Stops');
return [path ? path.lon.length : 0, stops ? stops.lon.length : 0];
"""
GRAPH_JS = """
for (const el of document.querySelectorAll('#net-graph, #net-graph *')) {
  if (el._cyreg && el._cyreg.cy) {
    const cy = el._cyreg.cy;
    return [cy.nodes().length, cy.edges().length,
            cy.nodes('.phone').length, cy.nodes('.photo').length, cy.nodes('.premises').length];
  }
}
return null;
"""
ROWS_JS = "return document.querySelectorAll('#net-grid .ag-center-cols-container .ag-row').length;"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, cache_dir) -> Iterator[e2e.LiveApp]:
    from tests.e2e.conftest import start_live_app

    with start_live_app(tmp_path_factory.mktemp("networks-live"), cache_dir) as app:
        assert len(run_pending(app.services)) == 1  # the rebuild the demo queued
        yield app


@pytest.fixture
def browser():
    driver = e2e.make_chrome()
    yield driver
    driver.quit()


def _travelling_network(live: e2e.LiveApp) -> int:
    with live.services.db.read() as session:
        return int(
            session.scalars(
                select(Network.id).where(Network.moves >= 2).order_by(Network.size.desc())
            ).first()
        )


def test_net110_grid_then_a_network_with_its_path_and_graph(live, browser):
    e2e.sign_in(browser, live, "analyst")
    e2e.requested_urls(browser)
    started = time.monotonic()
    browser.get(live.url + "/networks")
    e2e.until(lambda: browser.execute_script(ROWS_JS) > 10)
    opened = time.monotonic() - started
    print(f"networks grid opened in {opened:.2f} s")
    assert opened < 10
    assert "Networks of adverts (" in e2e.text_of(browser, "h2")
    network = _travelling_network(live)
    browser.get(f"{live.url}/networks/{network}")
    e2e.wait_for(browser, "#net-map .js-plotly-plot")
    path_points, stops = e2e.until(lambda: browser.execute_script(PATH_JS), timeout=60)
    assert stops >= 3 and path_points >= 7 * (stops - 1)  # shaft and head per arrow
    nodes, edges, phones, photos, premises = e2e.until(
        lambda: browser.execute_script(GRAPH_JS), timeout=60
    )
    assert nodes > 10 and edges >= nodes - 1 and phones >= 1 and photos >= 1 and premises >= 1
    assert "phone ending" in e2e.text_of(browser, ".side")
    e2e.screenshot(browser, "networks-network-page")
    browser.find_element(By.ID, "net-confirm").click()
    e2e.until(lambda: e2e.text_of(browser, "#net-review") == "confirmed")
    assert not e2e.foreign_requests(e2e.requested_urls(browser), live.host)


def test_net111_commanders_read_and_see_alerts_briefing_role_is_refused(live, browser):
    e2e.sign_in(browser, live, "commander")
    browser.get(live.url + "/networks")
    e2e.until(lambda: browser.execute_script(ROWS_JS) > 10)
    assert not browser.find_elements(By.ID, "net-rebuild")
    browser.get(live.url + "/board")
    assert "New in town: N" in e2e.text_of(browser, ".network-alerts", timeout=60)
    browser.delete_all_cookies()
    e2e.sign_in(browser, live, "briefing")
    browser.get(live.url + "/networks")
    assert "Not available" in e2e.text_of(browser, ".refused")
