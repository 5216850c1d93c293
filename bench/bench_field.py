"""The field page's first load on a phone under Chromium's "Slow 3G" (issue 14).

Prints the bytes the server sent for a first visit (page, script, stylesheet, service worker,
the worker's own cache fill and the day's stops, headers included: counted on the server, so
nothing the phone fetched is missed) and the time from navigation to the stops being usable
(rendered with their buttons, from the page's ``field-usable`` performance mark), on an empty
browser cache with the network throttled as DevTools' Slow 3G preset: 2 s round trip and
50 000 bytes/s each way. Targets: at most 300 KB, usable within 5 s.

    python -m bench.bench_field
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import Config  # noqa: E402
from layers.core.clock import today_local  # noqa: E402
from layers.core.demo import monday_of, seed_demo  # noqa: E402
from layers.field.demo import seed_field_team  # noqa: E402
from layers.services import Services  # noqa: E402

SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 50_000,
           "uploadThroughput": 50_000}
LIMIT_BYTES = 300 * 1000
LIMIT_SECONDS = 5.0
PHONE = {"width": 390, "height": 844, "pixelRatio": 3.0, "touch": True}


class ByteCounter:
    """WSGI middleware: counts the bytes of every response (status line, headers and body)."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.sent = 0
        self.paths: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        def counting_start(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            self.sent += len(status) + 11 + sum(len(k) + len(v) + 4 for k, v in headers) + 2
            return start_response(status, headers, *rest)

        self.paths.append(environ.get("PATH_INFO", ""))
        for chunk in self.app(environ, counting_start):
            self.sent += len(chunk)
            yield chunk


def _phone() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"):
        options.add_argument(arg)
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": PHONE})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(120)
    return driver


def _setup(tmp: Path) -> tuple[Config, str]:
    from tests.conftest import make_config

    config = dataclasses.replace(make_config(tmp, ROOT / "instance" / "cache"))
    svc = Services(config)
    svc.db.upgrade()
    password = secrets.token_urlsafe(12)
    today = today_local(dt.datetime.now(dt.UTC))
    with svc.db.write() as session:
        seed_demo(session, svc.postcodes, svc.districts, monday_of(today), config.phone_key)
        seed_field_team(session, "BENCH1", "bench-team", password, today, stops=8)
    svc.db.dispose()
    return config, password


def measure(config: Config, password: str) -> tuple[int, float, list[str]]:
    """Bytes sent for the first load, seconds to usable, and the paths requested."""
    from app import create_app

    counter = ByteCounter(create_app(config).wsgi_app)
    server = make_server("127.0.0.1", 0, counter, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    driver = _phone()
    try:
        driver.get(f"{url}/login")
        driver.find_element(By.NAME, "username").send_keys("bench-team")
        driver.find_element(By.NAME, "password").send_keys(password)
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        WebDriverWait(driver, 60).until(lambda d: d.current_url.endswith("/field"))
        driver.get(f"{url}/login?next=/field")  # a page of the origin without the worker
        driver.execute_cdp_cmd("Storage.clearDataForOrigin", {
            "origin": url, "storageTypes": "service_workers,cache_storage,local_storage"})
        driver.execute_cdp_cmd("Network.clearBrowserCache", {})
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", SLOW_3G)
        counter.sent, counter.paths = 0, []
        driver.get(f"{url}/field")
        usable = WebDriverWait(driver, 60, poll_frequency=0.05).until(lambda d: d.execute_script(
            "const m = performance.getEntriesByName('field-usable'); "
            "return m.length ? m[0].startTime : null;"))
        # The worker's own cache fill is part of the first load: wait for it to be counted.
        shell = ("/field", "/field/static/field.js", "/field/static/field.css")
        WebDriverWait(driver, 60).until(lambda d: all(counter.paths.count(p) >= 2 for p in shell))
        return counter.sent, float(usable) / 1000, list(counter.paths)
    finally:
        driver.quit()
        server.shutdown()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        config, password = _setup(Path(tmp))
        sent, seconds, paths = measure(config, password)
    print(f"field first load under Slow 3G: {sent / 1000:.1f} KB sent by the server "
          f"(limit {LIMIT_BYTES / 1000:.0f} KB), usable after {seconds:.2f} s "
          f"(limit {LIMIT_SECONDS:.0f} s)")
    print(f"requests: {', '.join(paths)}")
    ok = sent <= LIMIT_BYTES and seconds <= LIMIT_SECONDS
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
