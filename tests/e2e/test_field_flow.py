"""A team's phone end to end (issue 14): Chromium at 390x844 with touch, online then offline.

Signs in as a team account, marks a stop Arrived then Done, goes offline, records the next
stop's outcome, comes back online, and checks the commanders' board shows both outcomes
exactly once with the times the team recorded them. A commander's change made meanwhile to a
third stop comes back to the phone as a conflict in plain words. Screenshots go to
``test-output/field/``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from sqlalchemy import select

from layers.core.clock import LONDON, today_local
from layers.core.models import Location
from layers.field.demo import seed_field_team
from layers.field.tables import FieldAction
from layers.planning.status_changes import set_status
from layers.services import Services
from tests.e2e import conftest as e2e

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844, "pixelRatio": 3.0, "touch": True}


def make_phone() -> webdriver.Chrome:
    """Headless Chromium emulating a 390x844 touch phone."""
    options = webdriver.ChromeOptions()
    options.binary_location = e2e.CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"):
        options.add_argument(arg)
    options.add_experimental_option("mobileEmulation", {
        "deviceMetrics": PHONE,
        "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
                     "(KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
    })
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(e2e.CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(90)
    driver.execute_cdp_cmd("Network.enable", {})
    return driver


def _offline(driver: webdriver.Chrome, offline: bool) -> None:
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})


def _plan(live: e2e.LiveApp) -> list[int]:
    """A team FIELD1 with three unplanned demo premises today, and its account ``field1``."""
    svc: Services = live.services  # type: ignore[assignment]
    live.passwords["field1"] = secrets.token_urlsafe(12)
    with svc.db.write() as session:
        return seed_field_team(session, "FIELD1", "field1", live.passwords["field1"],
                               today_local(dt.datetime.now(dt.UTC)))


@pytest.fixture(scope="module")
def field_app(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> Iterator[e2e.LiveApp]:
    """The demo week with one team account planned for three stops today."""
    with e2e.start_live_app(tmp_path_factory.mktemp("field"), cache_dir) as live:
        yield live


def _card(driver: webdriver.Chrome, location_id: int) -> str:
    return f"article[data-stop='{location_id}']"


def _tap(driver: webdriver.Chrome, css: str, label: str) -> None:
    """Tap the button ``label`` in ``css``, again if the page re-rendered under the finger."""

    def tap() -> bool:
        try:
            buttons = driver.find_elements(By.CSS_SELECTOR, f"{css} button")
            next(b for b in buttons if b.text.strip() == label).click()
        except (StaleElementReferenceException, StopIteration):
            return False
        return True

    e2e.until(tap)


def _done(driver: webdriver.Chrome, css: str, outcome: str, arrests: int, shot: str = "") -> None:
    _tap(driver, css, "Done")
    e2e.wait_for(driver, "dialog#form[open]")
    driver.find_element(By.CSS_SELECTOR, f"input[name=outcome][value={outcome}]").click()
    if arrests:
        field = driver.find_element(By.CSS_SELECTOR, "input[name=arrests]")
        field.clear()
        field.send_keys(str(arrests))
    driver.find_element(By.ID, "note").send_keys("recorded on the phone")
    if shot:
        e2e.screenshot(driver, shot)
    driver.find_element(By.ID, "save").click()


def test_e2e_fld100_phone_online_offline_board(field_app: e2e.LiveApp) -> None:
    live = field_app
    first, second, third = _plan(live)
    svc: Services = live.services  # type: ignore[assignment]
    phone = make_phone()
    try:
        e2e.sign_in(phone, live, "field1")
        e2e.until(lambda: phone.current_url.endswith("/field"))
        e2e.wait_for(phone, _card(phone, first))
        assert phone.execute_script("return window.innerWidth") == 390
        e2e.screenshot(phone, "field/01-stops")
        _tap(phone, _card(phone, first), "Arrived")
        e2e.until(lambda: "On site since" in e2e.text_of(phone, _card(phone, first)))
        _done(phone, _card(phone, first), "actioned", 1, "field/02-done-form")
        e2e.until(lambda: "Up to date" in e2e.text_of(phone, "#net"))
        e2e.until(lambda: phone.execute_script("return navigator.serviceWorker.controller !== null")
              or phone.refresh() or False, timeout=60)
        e2e.wait_for(phone, _card(phone, second))

        _offline(phone, True)
        e2e.until(lambda: phone.execute_script("return navigator.onLine === false"))
        _tap(phone, _card(phone, second), "Arrived")
        _done(phone, _card(phone, second), "no_trace", 0)
        e2e.until(lambda: "Waiting to send (2)" in e2e.text_of(phone, "#queue"))
        e2e.screenshot(phone, "field/03-offline-queue")
        with svc.db.read() as session:
            assert session.get(Location, second).status == "planned"
        phone.refresh()  # the shell and the stops come from the phone itself
        e2e.wait_for(phone, _card(phone, second))
        assert "Waiting to send (2)" in e2e.text_of(phone, "#queue")

        _offline(phone, False)
        e2e.until(lambda: "Up to date" in e2e.text_of(phone, "#net"), timeout=60)
        assert phone.find_element(By.ID, "queue").text == ""

        with svc.db.write() as session:  # a commander closes the third stop meanwhile
            loc = session.get(Location, third)
            set_status(session, third, "no_further_action", loc.version, "commander",
                       note="premises closed down", outcome="no_trace")
        _tap(phone, _card(phone, third), "Arrived")  # the phone has not heard of it yet
        problem = e2e.until(lambda: e2e.text_of(phone, "#problems"), timeout=60)
        assert "commander changed this location" in str(problem)
        assert "premises closed down" in str(problem)
        e2e.screenshot(phone, "field/04-conflict")
        assert e2e.foreign_requests(e2e.requested_urls(phone), live.host) == []
    finally:
        phone.quit()

    with svc.db.read() as session:
        done = {a.location_id: a for a in session.scalars(
            select(FieldAction).where(FieldAction.kind == "done"))}
        assert session.get(Location, first).outcome == "actioned"
        assert session.get(Location, second).outcome == "no_trace"
    assert set(done) == {first, second}
    assert done[second].done_at < done[second].received_at

    desk = e2e.make_chrome()
    try:
        e2e.sign_in(desk, live, "commander")
        desk.get(f"{live.url}/board")
        e2e.until(lambda: len(desk.find_elements(By.CSS_SELECTOR, ".field-updates tbody tr")) >= 2,
              timeout=60)
        rows = [r.get_attribute("data-location")
                for r in desk.find_elements(By.CSS_SELECTOR, ".field-updates tbody tr")]
        assert rows.count(str(first)) == 1 and rows.count(str(second)) == 1
        for location_id in (first, second):
            row = desk.find_element(By.CSS_SELECTOR,
                                    f".field-updates tr[data-location='{location_id}']")
            recorded = done[location_id].done_at.astimezone(LONDON).strftime("%H:%M")
            assert row.text.startswith(recorded), (row.text, recorded)
        e2e.screenshot(desk, "field/05-board")
    finally:
        desk.quit()


SHIFT_CLOCK = """(() => {
  const shift = %d * 60000, Real = Date;
  class Shifted extends Real {
    constructor(...args) {
      if (args.length) { super(...args); } else { super(Real.now() + shift); }
    }
    static now() { return Real.now() + shift; }
  }
  window.Date = Shifted;
})();"""
"""Moves the phone's clock on by a number of minutes (installed before the page's own script)."""


def test_e2e_fld101_phone_reminds_before_the_deadline_then_says_overdue(
    field_app: e2e.LiveApp,
) -> None:
    """After Arrived, nothing shows until 10 minutes before the visit's 45-minute deadline; then
    the phone says when to check out, and past the deadline that the team is overdue. The phone's
    clock is moved by the test, not waited for."""
    live = field_app
    svc: Services = live.services  # type: ignore[assignment]
    live.passwords["field2"] = secrets.token_urlsafe(12)
    with svc.db.write() as session:
        first = seed_field_team(session, "FIELD2", "field2", live.passwords["field2"],
                                today_local(dt.datetime.now(dt.UTC)), stops=1)[0]
    phone = make_phone()
    try:
        e2e.sign_in(phone, live, "field2")
        e2e.wait_for(phone, _card(phone, first))
        _tap(phone, _card(phone, first), "Arrived")
        e2e.until(lambda: "On site since" in e2e.text_of(phone, _card(phone, first)))
        e2e.until(lambda: "Up to date" in e2e.text_of(phone, "#net"))
        assert not phone.find_element(By.ID, "reminder").is_displayed()

        phone.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": SHIFT_CLOCK % 40})
        phone.refresh()
        reminder = e2e.until(lambda: e2e.text_of(phone, "#reminder"), timeout=30)
        assert "Check out of" in str(reminder) and "by" in str(reminder)
        e2e.screenshot(phone, "field/06-reminder")

        phone.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": SHIFT_CLOCK % 10})
        phone.refresh()  # 50 minutes on: past the 45-minute deadline
        e2e.until(lambda: "Overdue" in e2e.text_of(phone, "#reminder"), timeout=30)
    finally:
        phone.quit()
