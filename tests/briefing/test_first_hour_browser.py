"""The briefing screen's first hour in real Chromium at 1920x1080 (issue 11, items 1 and 15).

With nothing planned for today the plan panel says so; once the commanders plan today, it
lists today's assignments only, in agreement with the progress board. "Yesterday" outcome tiles
add up to the visits closed, and the week's running totals stop at today. The footer and every
control are at least 28 px and on the screen. Screenshots go to ``test-output/briefing/``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from selenium.webdriver.common.by import By

from dashboard.pages.briefing.ids import PANELS, Ids, body_id, panel_id
from layers.briefing.plan import no_plan_message
from layers.core.clock import today_local
from layers.planning.assignments import assign
from layers.planning.board import progress_board
from layers.planning.teams import TeamSpec, create_team
from layers.services import Services
from tests.briefing.conftest import ARTIFACTS, sign_in_briefing
from tests.e2e.conftest import LiveApp, text_of, until

pytestmark = pytest.mark.e2e

MIN_PX = 28.0
KEYS = [key for key, _ in PANELS]


def show(driver, key: str) -> None:  # type: ignore[no-untyped-def]
    """Step to panel ``key`` with the next button (the rotation is paused)."""
    for _ in range(len(KEYS)):
        if "active" in driver.find_element(By.ID, panel_id(key)).get_attribute("class"):
            break
        before = driver.find_element(By.ID, Ids.COUNTER).text
        driver.find_element(By.ID, Ids.NEXT).click()
        until(lambda b=before: driver.find_element(By.ID, Ids.COUNTER).text != b)
    until(lambda: driver.execute_script(
        "const p = document.getElementById(arguments[0]);"
        "return getComputedStyle(p).opacity === '1' && p.querySelector('.tile, .main-svg');",
        panel_id(key)), timeout=60)


def tiles(driver, key: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The number tiles of a panel, by label."""
    found = driver.execute_script(
        "return [...document.getElementById(arguments[0]).querySelectorAll('.tile')]"
        ".map(t => [t.querySelector('.tile-label').innerText,"
        " t.querySelector('.tile-value').innerText])", body_id(key))
    return {label: int(value.replace(",", "")) for label, value in found}


def plan_today(svc: Services, today: dt.date) -> None:
    """Two teams and today's visits (three and two), plus a stop tomorrow that is not today's."""
    with svc.db.write() as session:
        teams = [create_team(session, TeamSpec(sign, "West", -3.0, 53.8), "cmdr")
                 for sign in ("ALPHA 1", "BRAVO 2")]
        rows = session.connection().exec_driver_sql(
            "SELECT id, version FROM locations WHERE kind = 'premises' "
            "AND status = 'unplanned' ORDER BY id").fetchall()
        days = [today] * 5 + [today + dt.timedelta(days=1)]
        for i, ((location_id, version), day) in enumerate(zip(rows, days, strict=False)):
            assign(session, location_id, version, teams[0 if i < 3 else 1].id, day, "cmdr")


def small_text(driver) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Visible text in the footer and controls under 28 px, controls too small to use, and
    anything outside the 1920x1080 screen."""
    return driver.execute_script("""
        const out = [];
        const items = [...document.querySelectorAll(
            '.briefing-controls *, .briefing-panel.active .marking-bottom')];
        for (const el of items) {
          const r = el.getBoundingClientRect();
          if ((r.width === 0 || r.height === 0) && el.tagName !== 'INPUT') continue;
          const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
                      || el.tagName === 'INPUT' || el.tagName === 'BUTTON';
          const size = parseFloat(getComputedStyle(el).fontSize);
          const off = r.left < 0 || r.right > innerWidth || r.top < 0 || r.bottom > innerHeight
                      || (/^(INPUT|BUTTON)$/.test(el.tagName) && (r.width < 44 || r.height < 28));
          if ((own && size < arguments[0]) || off) {
            out.push({tag: el.tagName, id: el.id, cls: el.className, size: size, off: off,
                      text: (el.innerText || el.value || '').slice(0, 40)});
          }
        }
        return out;
    """, MIN_PX)


def test_brf610_first_hour_plan_yesterday_week_and_sizes_at_1920(
    briefing_live: LiveApp, chrome  # type: ignore[no-untyped-def]
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    svc: Services = briefing_live.services  # type: ignore[assignment]
    today = today_local()
    sign_in_briefing(chrome, briefing_live)
    chrome.get(f"{briefing_live.url}/briefing")
    assert chrome.execute_script("return [innerWidth, innerHeight]") == [1920, 1080]
    until(lambda: "Data as of" in text_of(chrome, f"#{Ids.DATA_TIME}"), timeout=60)
    chrome.find_element(By.ID, Ids.PAUSE).click()
    until(lambda: chrome.find_element(By.ID, Ids.PAUSED).text == "paused")
    show(chrome, "plan")
    until(lambda: no_plan_message(today) in chrome.find_element(By.ID, body_id("plan")).text)
    assert tiles(chrome, "plan") == {"visits planned today": 0, "teams": 0}
    assert small_text(chrome) == []
    chrome.save_screenshot(str(ARTIFACTS / "first-hour-nothing-planned.png"))

    plan_today(svc, today)
    chrome.get(f"{briefing_live.url}/briefing")
    until(lambda: "Data as of" in text_of(chrome, f"#{Ids.DATA_TIME}"), timeout=60)
    chrome.find_element(By.ID, Ids.PAUSE).click()
    show(chrome, "plan")
    until(lambda: tiles(chrome, "plan").get("visits planned today") == 5, timeout=60)
    with svc.db.read() as session:
        board = {row["day"]: row for row in progress_board(session).by_day}
    assert tiles(chrome, "plan") == {"visits planned today": board[today.isoformat()]["total"],
                                     "teams": 2}
    rows = [r.text for r in chrome.find_elements(
        By.CSS_SELECTOR, f"#{body_id('plan')} .briefing-table tbody tr")]
    assert [r.split()[:3] for r in rows] == [["ALPHA", "1", "3"], ["BRAVO", "2", "2"]]
    assert small_text(chrome) == []
    chrome.save_screenshot(str(ARTIFACTS / "first-hour-plan.png"))

    show(chrome, "yesterday")
    shown = tiles(chrome, "yesterday")
    outcomes = {k: v for k, v in shown.items() if k not in ("visits", "visits closed")
                and k in ("Actioned", "No trace", "No access", "Refused entry",
                          "Outcome not recorded")}
    assert sum(outcomes.values()) == shown["visits closed"], shown
    chrome.save_screenshot(str(ARTIFACTS / "first-hour-yesterday.png"))

    show(chrome, "week")
    lines = chrome.execute_script(
        "const g = document.getElementById(arguments[0]).querySelector('.js-plotly-plot');"
        "return g.data.filter(t => t.type === 'scatter').map(t => t.y);", body_id("week"))
    after_today = 6 - today.weekday()
    assert len(lines) == 2
    for y in lines:
        cut = len(y) - after_today
        assert all(v is None for v in y[cut:]) and all(v is not None for v in y[:cut]), y
    assert small_text(chrome) == []
    chrome.save_screenshot(str(ARTIFACTS / "first-hour-week.png"))
