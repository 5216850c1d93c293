"""Keyboard only (issue 18): sign in, find a planned visit in the list under the map, open it and
close it with an outcome, in real Chromium, without the mouse (Tab, Enter, typing; no click).

Every step checks that the focused element shows a visible focus indicator.
"""

from __future__ import annotations

import pytest
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from sqlalchemy import select

from layers.core.models import Location
from tests.e2e.conftest import LiveApp, screenshot, text_of, until

pytestmark = pytest.mark.e2e

FOCUS_JS = """
const el = document.activeElement;
const style = getComputedStyle(el);
const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
return {id: el.id, tag: el.tagName, text: (el.innerText || el.value || '').trim(),
        ring: ring || style.boxShadow !== 'none'};
"""


IDLE_JS = "return !document.querySelector('[data-dash-is-loading=\"true\"]')"
"""No Dash callback is still running (its components carry ``data-dash-is-loading``)."""


def press(driver: webdriver.Chrome, *keys: str) -> None:
    """Send keys to whatever has focus (as a keyboard does)."""
    ActionChains(driver).send_keys(*keys).perform()


def content(driver: webdriver.Chrome, css: str) -> str:
    """The text in ``css`` (shown or scrolled out of view)."""
    return str(driver.execute_script(
        "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';", css))


def focused(driver: webdriver.Chrome) -> dict:
    return driver.execute_script(FOCUS_JS)


def tab_to(driver: webdriver.Chrome, wanted, limit: int = 120) -> dict:  # type: ignore[no-untyped-def]
    """Press Tab until ``wanted(focused element)`` holds; each stop must show its focus."""
    for _ in range(limit):
        press(driver, Keys.TAB)
        now = focused(driver)
        if now["tag"] != "BODY":
            assert now["ring"], f"no visible focus on {now}"
        if wanted(now):
            return now
    raise AssertionError(f"not reached with {limit} presses of Tab")


def planned_premises(live: LiveApp) -> tuple[int, str]:
    with live.services.db.read() as session:  # type: ignore[attr-defined]
        row = session.execute(
            select(Location.id, Location.ref)
            .where(Location.kind == "premises", Location.status == "planned")
            .order_by(Location.id)
        ).first()
    assert row is not None, "the demo week has planned visits"
    return int(row.id), str(row.ref)


def test_kbd001_close_a_visit_with_the_keyboard_only(live_app: LiveApp, browser) -> None:
    location_id, ref = planned_premises(live_app)
    browser.get(f"{live_app.url}/login")
    until(lambda: focused(browser)["tag"] == "INPUT" or press(browser, Keys.TAB))
    press(browser, "commander", Keys.TAB, live_app.passwords["commander"], Keys.ENTER)
    until(lambda: "/login" not in browser.current_url)
    browser.get(f"{live_app.url}/")
    until(lambda: browser.execute_script("return !!document.querySelector('#ops-list table')"), 60)

    until(lambda: browser.execute_script(IDLE_JS), 60)  # the page's first callbacks are done
    tab_to(browser, lambda f: f["id"] == "ops-find")
    for key in ref:  # a person's typing, a key at a time
        press(browser, key)
    until(lambda: browser.execute_script("return document.activeElement.value") == ref)
    press(browser, Keys.ENTER)
    until(lambda: text_of(browser, "#ops-list-summary").startswith("1 location"), 30)
    tab_to(browser, lambda f: f["tag"] == "BUTTON" and f["text"] == ref)
    press(browser, Keys.ENTER)
    # The panel opens on that location and takes the focus (its heading).
    until(lambda: focused(browser)["tag"] == "H3" and ref in focused(browser)["text"], 30)
    until(lambda: "Planned" in content(browser, "#ops-status-target"))

    tab_to(browser, lambda f: f["id"] == "ops-outcome")
    press(browser, "N")  # typing opens the dropdown's search
    until(lambda: browser.execute_script(
        "return document.activeElement.classList.contains('dash-dropdown-search')"))
    press(browser, "o trace", Keys.ENTER)
    until(lambda: "No trace" in content(browser, "#ops-outcome"))
    until(lambda: browser.execute_script(
        "return document.querySelector('#ops-next-status input[value=no_further_action]')"
        ".checked"))  # the outcome chose its status
    tab_to(browser, lambda f: f["id"] == "ops-note")
    press(browser, "Nobody at the address (keyboard)")
    tab_to(browser, lambda f: f["id"] == "ops-save-status")
    press(browser, Keys.ENTER)

    message = str(until(lambda: content(browser, "#ops-status-message"), 30))
    assert f"{ref} is now No further action (was Planned)" in message
    assert browser.find_element("id", "ops-status-message").get_attribute("role") == "status"
    with live_app.services.db.read() as session:  # type: ignore[attr-defined]
        loc = session.get(Location, location_id)
        assert (loc.status, loc.outcome) == ("no_further_action", "no_trace")
    screenshot(browser, "accessibility/keyboard-closed-visit")
