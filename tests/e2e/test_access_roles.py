"""Access control in real Chromium: each role sees only its pages; the CSP blocks no asset."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By

from dashboard.shell import NAV
from tests.e2e.conftest import screenshot, sign_in, until, wait_for

pytestmark = pytest.mark.e2e

ALLOWED = {path: roles for _label, path, roles in NAV}


def _nav_paths(browser) -> list[str]:
    links = browser.find_elements(By.CSS_SELECTOR, ".nav a")
    return [urlparse(link.get_attribute("href")).path or "/" for link in links]


def _csp_violations(browser) -> list[str]:
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if "Content Security Policy" in entry.get("message", "")
    ]


@pytest.mark.parametrize("role", ["admin", "commander", "analyst", "briefing"])
def test_e2e_sec001_role_sees_only_its_pages(live_app, browser, role: str) -> None:
    sign_in(browser, live_app, role)
    browser.get(live_app.url + "/admin")
    wait_for(browser, ".marking-top")
    paths = until(lambda: _nav_paths(browser) or (role == "briefing" and ["none"]))
    for path in paths:
        if path != "none":
            assert role in ALLOWED[path], (role, path)
    if role == "admin":
        assert "/admin" in paths
        assert "Administration" in wait_for(browser, ".admin-page").text
        until(lambda: browser.find_elements(By.CSS_SELECTOR, "#adm-users table"))
    else:
        assert "/admin" not in paths
        assert "Not available" in wait_for(browser, ".refused").text
        assert not browser.find_elements(By.CSS_SELECTOR, "#adm-users")
    screenshot(browser, f"access-{role}")
    assert not _csp_violations(browser)
    if role in ALLOWED["/"]:
        browser.get(live_app.url + "/")
        wait_for(browser, "#ops-map .js-plotly-plot canvas")
        assert not _csp_violations(browser), "the map needs something the CSP forbids"

    # Sign out with the shell's button (a POST form: a GET to /logout changes nothing).
    wait_for(browser, ".nav-right form.sign-out button").click()
    until(lambda: "/login" in browser.current_url)
    browser.get(live_app.url + "/admin")
    until(lambda: "/login" in browser.current_url)


def test_e2e_sec002_csp_blocks_injected_inline_script(live_app, browser) -> None:
    sign_in(browser, live_app, "analyst")
    browser.get(live_app.url + "/")
    wait_for(browser, ".marking-top")
    browser.get_log("browser")
    ran = browser.execute_script(
        "window.__pwned = false;"
        "const s = document.createElement('script');"
        "s.textContent = 'window.__pwned = true;';"
        "document.body.appendChild(s);"
        "return window.__pwned;"
    )
    assert ran is False
    assert until(lambda: _csp_violations(browser))
