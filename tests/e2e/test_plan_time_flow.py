"""Planning in time in real Chromium: time a team's day, see the ETAs, a visit is postponed in
the field, the commander re-plans the rest of the day and accepts it.

Uses the shared live app (demo week) with a team whose shift is on now, so the re-plan runs
from the real clock.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By

from layers.core.clock import LONDON
from layers.core.models import Location
from layers.field.actions import apply_action
from layers.field.requests import parse_action
from layers.planning import assignments
from layers.planning.teams import TeamSpec, create_team
from layers.planning.visit_rules import set_visit, visit_changes
from tests.e2e.conftest import choose, screenshot, sign_in, text_of, until, wait_for
from tests.planning.conftest import add_premises

pytestmark = pytest.mark.e2e

TIMES = re.compile(r"(\d\d):(\d\d)-(\d\d):(\d\d)")


def team_on_shift_now(svc, call_sign: str) -> tuple[int, dt.date]:
    """A team at Preston whose shift started an hour ago (from midnight at the earliest) and
    runs eight hours on, crossing midnight if it must."""
    now = dt.datetime.now(LONDON)
    start = max(now - dt.timedelta(hours=1), now.replace(hour=0, minute=0))
    end = now + dt.timedelta(hours=8)
    spec = TeamSpec(call_sign, "South", -2.7035, 53.7590, "Preston police station",
                    daily_capacity=10, shift_start=f"{start:%H:%M}", shift_end=f"{end:%H:%M}")
    with svc.db.write() as session:
        return create_team(session, spec, "commander").id, now.date()


def stop_times(browser) -> list[str]:
    """The stop list's times, or nothing while Dash redraws it (the nodes go stale)."""
    try:
        return [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#pln-stops .stop-eta")]
    except StaleElementReferenceException:
        return []


def test_e2e_ptm001_time_the_day_postpone_and_accept_the_replan(live_app, browser) -> None:
    svc = live_app.services
    team_id, today = team_on_shift_now(svc, "E2E Time")
    ids = add_premises(svc, "preston", 3, risk="low", spread_m=2000, seed=713)
    with svc.db.write() as session:
        for loc in ids:
            set_visit(session, loc, visit_changes(
                {"window_from": None, "window_until": None, "duration_minutes": 30}), "commander")
            assignments.assign(session, loc, 1, team_id, today, "commander")

    sign_in(browser, live_app, "commander")
    browser.get(live_app.url + "/planning")
    wait_for(browser, "#pln-map .js-plotly-plot")
    choose(browser, "pln-team", "E2E Time")
    choose(browser, "pln-day", f"{today:%a %d %b}")
    until(lambda: len(times := stop_times(browser)) == 3 and all("not timed" in t
                                                                  for t in times))
    # Plan the day in time: every stop gets its arrival and departure.
    browser.find_element(By.ID, "pln-optimise").click()
    until(lambda: "Route optimised: 3 stops timed" in text_of(browser, "#pln-message"))
    until(lambda: (times := stop_times(browser)) and all(TIMES.search(t) for t in times))
    assert "back at base" in text_of(browser, "#pln-route-info")
    screenshot(browser, "plan-time-etas")

    # The team postpones its second stop from the phone, before reaching it.
    with svc.db.read() as session:
        order = [a.location_id for a in assignments.team_day(session, team_id, today)]
        version = session.get(Location, order[1]).version
    now = dt.datetime.now(dt.UTC)
    action = parse_action({"key": "e2e-postpone-0001", "location_id": order[1],
                           "kind": "cant_visit", "reason": "postponed", "version": version,
                           "done_at": now.isoformat()}, now)
    with svc.db.write() as session:
        from layers.planning.teams import get_team

        assert apply_action(session, get_team(session, team_id), "commander", action,
                            now).state == "applied"

    # Off the team's day now (back to planning): the commander re-plans what is left.
    until(lambda: len(stop_times(browser)) == 2, timeout=40)
    browser.find_element(By.ID, "pln-replan").click()
    summary = str(until(lambda: text_of(browser, "#pln-replan-summary")))
    assert f"location {order[1]}" not in summary
    third = re.search(rf"Stop 2: location {order[2]} (\d\d:\d\d)-\S+, was (\d\d:\d\d)",
                      summary)
    assert third is not None, summary
    assert third.group(1) < third.group(2)  # with the postponed visit gone, it comes sooner
    assert browser.find_element(By.ID, "pln-replan-accept").is_enabled()
    screenshot(browser, "plan-time-replan-proposal")
    browser.find_element(By.ID, "pln-replan-accept").click()
    until(lambda: "Re-plan accepted: 2 stops re-timed" in text_of(browser, "#pln-message"))
    until(lambda: third.group(1) in " ".join(stop_times(browser)))
    local_now = dt.datetime.now(LONDON)
    for text in stop_times(browser):
        found = TIMES.search(text)
        if found:  # every re-timed stop starts from now on (minutes, same day or after)
            start = int(found.group(1)) * 60 + int(found.group(2))
            assert start >= local_now.hour * 60 + local_now.minute - 1 or start < 8 * 60
    assert not browser.find_element(By.ID, "pln-replan-accept").is_enabled()
