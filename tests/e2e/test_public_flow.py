"""The public-updates flow in real Chromium: a commander drafts, an admin approves, downloads.

Screenshots of the page and of each card (as shown for review, and as exported) go under
``test-output/public/``.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from selenium.webdriver.common.by import By

from tests.e2e import conftest as e2e

pytestmark = pytest.mark.e2e

OUT = e2e.ARTIFACTS / "public"


def _click(driver, element_id: str) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});",
                          driver.find_element(By.ID, element_id))
    driver.find_element(By.ID, element_id).click()


def _cards_shown(driver) -> int:
    return len([i for i in driver.find_elements(By.CSS_SELECTOR, "img.pub-card")
                if driver.execute_script("return arguments[0].naturalWidth", i) > 0])


def test_e2e_pub001_draft_check_approve_download(live_app, browser, tmp_path: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    e2e.sign_in(browser, live_app, "commander")
    browser.get(live_app.url + "/public")
    e2e.wait_for(browser, "#pub-draft")
    browser.find_element(By.XPATH, "//div[@id='pub-scope']//label[contains(., 'By division')]"
                         ).click()
    _click(browser, "pub-draft")
    message = str(e2e.until(lambda: re.search(r"Drafted update #(\d+)",
                                          e2e.text_of(browser, "#pub-draft-message")), 60))
    uid = re.search(r"#(\d+)", message).group(1)  # type: ignore[union-attr]
    e2e.until(lambda: _cards_shown(browser) >= 6, 90)
    checks = e2e.text_of(browser, "#pub-checks")
    assert "passed:" in checks and "held back:" in checks
    assert "Not approved" in e2e.text_of(browser, "#pub-status")
    x_text = e2e.text_of(browser, "#pub-x-text")
    assert "#seeitshareit #modernslavery" in x_text and "08000 121 700" in x_text
    _click(browser, "pub-approve")
    decided = e2e.until(lambda: e2e.text_of(browser, "#pub-decide-message"), 30)
    assert "second person" in str(decided)
    _click(browser, "pub-export")
    assert "only an approved update" in str(
        e2e.until(lambda: e2e.text_of(browser, "#pub-export-message"), 30))
    e2e.screenshot(browser, "public/page_draft_commander")

    admin = e2e.make_chrome()
    try:
        admin.execute_cdp_cmd("Browser.setDownloadBehavior",
                              {"behavior": "allow", "downloadPath": str(tmp_path)})
        e2e.sign_in(admin, live_app, "admin")
        admin.get(f"{live_app.url}/public?update={uid}")
        e2e.until(lambda: _cards_shown(admin) >= 6, 90)
        admin.find_element(By.ID, "pub-note").send_keys("Checked against the board.")
        _click(admin, "pub-approve")
        assert f"Update #{uid} approved" in str(
            e2e.until(lambda: e2e.text_of(admin, "#pub-decide-message"), 30))
        e2e.until(lambda: "approved by admin" in e2e.text_of(admin, "#pub-status"), 60)
        _click(admin, "pub-export")
        e2e.until(
            lambda: "recorded as a disclosure" in e2e.text_of(admin, "#pub-export-message"), 60
        )
        zipped = e2e.until(lambda: [p for p in tmp_path.glob("*.zip")], 60)
        archive = zipfile.ZipFile(zipped[0])  # type: ignore[index]
        e2e.until(lambda: _cards_shown(admin) >= 6, 90)
        admin.execute_script("window.scrollTo(0, 0)")
        e2e.screenshot(admin, "public/page_approved_admin")
        for i, card in enumerate(admin.find_elements(By.CSS_SELECTOR, "img.pub-card")):
            admin.execute_script("arguments[0].scrollIntoView({block: 'center'});", card)
            card.screenshot(str(OUT / f"shown_{i + 1}_{card.get_attribute('title')}"))
        assert not e2e.foreign_requests(e2e.requested_urls(admin), live_app.host)
        assert not [e for e in admin.get_log("browser")
                    if "Content Security Policy" in e.get("message", "")]
    finally:
        admin.quit()
    for name in archive.namelist():
        if name.endswith(".png"):
            data = archive.read(name)
            size = Image.open(io.BytesIO(data)).size
            expected = (1200, 675) if "1200x675" in name else (1080, 1080)
            assert size == expected, name
            (OUT / f"exported_{Path(name).name}").write_bytes(data)
    assert not e2e.foreign_requests(e2e.requested_urls(browser), live_app.host)
