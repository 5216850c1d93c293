"""End-to-end fixtures: the real app with the demo week, served on localhost, and Chromium.

The app runs in a thread on a free port with a temporary SQLite database seeded with the demo
week; one user per role is created with a random password. Chromium is Debian's, driven by
Selenium, with its background networking off and performance logging on, so tests can list
every request the page made.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from tests.conftest import make_config

CHROMIUM = os.environ.get("OPSMAP_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("OPSMAP_CHROMEDRIVER", "/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-output"
ROLES = ("admin", "commander", "analyst", "briefing")


@dataclass
class LiveApp:
    """A running OpsMap: its base URL, services and the password of each role's user."""

    url: str
    services: object
    passwords: dict[str, str]
    week_start: dt.date

    @property
    def host(self) -> str:
        """``host:port`` of the app (the only host the browser may talk to)."""
        return urlparse(self.url).netloc


@contextmanager
def start_live_app(
    tmp: Path, cache_dir: Path, roles: tuple[str, ...] = ROLES, **overrides: object
) -> Iterator[LiveApp]:
    """Serve the app with the demo week and one user per role; ``overrides`` change its Config."""
    from app import create_app
    from layers.accounts import create_user
    from layers.core.demo import monday_of, seed_demo
    from layers.services import Services

    config = dataclasses.replace(make_config(tmp, cache_dir), **overrides)
    svc = Services(config)
    svc.db.upgrade()
    week_start = monday_of(dt.date.today())
    passwords = {}
    with svc.db.write() as session:
        seed_demo(session, svc.postcodes, svc.districts, week_start, config.phone_key)
        for role in roles:
            passwords[role] = secrets.token_urlsafe(12)
            create_user(session, role, role, passwords[role])
    server = make_server("127.0.0.1", 0, create_app(config), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveApp(f"http://127.0.0.1:{server.server_port}", svc, passwords, week_start)
    finally:
        server.shutdown()
        svc.db.dispose()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> Iterator[LiveApp]:
    """The app with the demo week and one user per role, served on a free port."""
    with start_live_app(tmp_path_factory.mktemp("live"), cache_dir) as live:
        yield live


def make_chrome(width: int = 1600, height: int = 1000) -> webdriver.Chrome:
    """Headless Chromium of the given viewport, with performance logs for network checks."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        f"--window-size={width},{height}",
        "--use-gl=angle",
        "--use-angle=swiftshader",
        "--enable-unsafe-swiftshader",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(90)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    return driver


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    """Headless Chromium, 1600x1000."""
    driver = make_chrome()
    yield driver
    driver.quit()


def sign_in(driver: webdriver.Chrome, live: LiveApp, role: str) -> None:
    """Sign in through the login page as the demo user of ``role``."""
    driver.get(f"{live.url}/login")
    driver.find_element(By.NAME, "username").send_keys(role)
    driver.find_element(By.NAME, "password").send_keys(live.passwords[role])
    driver.find_element(
        By.CSS_SELECTOR, "form button[type=submit], form input[type=submit]"
    ).click()
    WebDriverWait(driver, 30).until(lambda d: "/login" not in d.current_url)


def wait_for(driver: webdriver.Chrome, css: str, timeout: float = 30):  # type: ignore[no-untyped-def]
    """Wait until an element matching ``css`` is visible and return it."""
    return WebDriverWait(driver, timeout).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, css))
    )


def text_of(driver: webdriver.Chrome, css: str, timeout: float = 30) -> str:
    """The visible text of ``css``, retried while Dash re-renders the element (stale nodes)."""

    def read() -> str:
        try:
            return driver.find_element(By.CSS_SELECTOR, css).text
        except (StaleElementReferenceException, NoSuchElementException):
            return ""

    return str(until(read, timeout))


def requested_urls(driver: webdriver.Chrome) -> list[str]:
    """Every URL the page asked for since the last call (from Chromium's performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def foreign_requests(urls: list[str], host: str) -> list[str]:
    """The URLs that go anywhere but the app itself (data: and blob: are local)."""
    return [u for u in urls if not u.startswith(("data:", "blob:")) and urlparse(u).netloc != host]


def screenshot(driver: webdriver.Chrome, name: str) -> Path:
    """Save a screenshot under ``test-output/`` for a person to look at."""
    path = ARTIFACTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(path)), f"screenshot {path} failed"
    return path


def until(predicate: Callable[[], object], timeout: float = 30, interval: float = 0.25) -> object:
    """Poll ``predicate`` until it returns something truthy (or fail after ``timeout``)."""
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s (last value: {last!r})")


PROJECT_JS = """
const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');
const map = gd._fullLayout.map._subplot.map;
const p = map.project([arguments[1], arguments[2]]);
const box = map.getCanvas().getBoundingClientRect();
return {x: p.x, y: p.y, w: box.width, h: box.height};
"""


def project(driver: webdriver.Chrome, map_id: str, lon: float, lat: float) -> dict[str, float]:
    """Where ``(lon, lat)`` is drawn on the page's MapLibre map ``map_id``: its x and y in the
    map's canvas and the canvas's width and height (CSS pixels)."""
    return dict(driver.execute_script(PROJECT_JS, map_id, lon, lat))


def choose(driver: webdriver.Chrome, dropdown_id: str, label: str) -> None:
    """Pick the option ``label`` in a Dash dropdown, as a person would (open, click, close)."""
    driver.find_element(By.ID, dropdown_id).click()
    content = wait_for(driver, ".dash-dropdown-content[data-state=open]")
    content.find_element(By.XPATH, f".//*[@role='option'][contains(., {label!r})]").click()
    if driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-content[data-state=open]"):
        from selenium.webdriver.common.keys import Keys

        driver.switch_to.active_element.send_keys(Keys.ESCAPE)
