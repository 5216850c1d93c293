"""End-to-end timing of a filter change in Chromium (used by ``bench_map.py``)."""

from __future__ import annotations

import secrets
import statistics
import threading
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from config import Config
from layers.services import Services

STATE_JS = """
const gd = document.querySelector('#ops-map .js-plotly-plot');
if (!gd || !gd._fullData || gd._fullData.length < 5) { return null; }
return gd._fullData[3].visible;
"""


def filter_change_in_chromium(config: Config, svc: Services, rounds: int = 6) -> float:
    """Median milliseconds from clicking a layer switch to the map showing the change."""
    from app import create_app
    from layers.accounts import create_user

    password = secrets.token_urlsafe(12)
    with svc.db.write() as session:
        create_user(session, "bench-browser", "commander", password)
    server = make_server("127.0.0.1", 0, create_app(config), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1600,1000",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(f"{url}/login")
        driver.find_element(By.NAME, "username").send_keys("bench-browser")
        driver.find_element(By.NAME, "password").send_keys(password)
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        driver.get(url + "/")
        wait = WebDriverWait(driver, 60, poll_frequency=0.01)
        wait.until(lambda d: d.execute_script(STATE_JS) is True)
        times = []
        for _ in range(rounds):
            expected = not driver.execute_script(STATE_JS)
            label = driver.find_element(
                By.XPATH, "//div[@id='ops-layers']//label[contains(., 'Tip-offs')]"
            )
            start = time.perf_counter()
            label.click()
            wait.until(lambda d, e=expected: d.execute_script(STATE_JS) is e)
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)
    finally:
        driver.quit()
        server.shutdown()
