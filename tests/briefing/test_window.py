"""The briefing's day and "new since" are bounded to the operation in every route, callback and
command (issue 10, items 4 and 9): ``since=1800`` once returned 79.6 MB after 24.6 s."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from dash import Dash
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from dashboard.pages.briefing.ids import Ids
from layers.audit.processing_log import ProcessingLog
from layers.briefing.model import BriefingOptions
from layers.briefing.window import (
    MAX_WINDOW,
    BriefingRangeError,
    default_day,
    parse_day,
    parse_since,
    resolve_window,
)
from layers.core.clock import LONDON
from layers.core.models import Operation
from layers.services import Services
from tests.briefing.conftest import BRIEF_DAY, WEEK_START, SmallWeek, run_briefing
from tests.security.conftest import body_with

OPERATION = Operation(name="Op", start_date=WEEK_START, end_date=WEEK_START + dt.timedelta(days=6))
BOUNDED = {"since=1800-01-01", "since=1800-01-01T00:00", "since=2026-11-22T23:59",
           "since=2026-11-26T09:00", "date=1800-01-01", "date=2026-11-30", "date=9999-12-31"}


def test_brf510_window_is_bounded_to_the_operation() -> None:
    window = resolve_window(OPERATION, BriefingOptions(day=BRIEF_DAY))
    assert window.at == dt.datetime(2026, 11, 26, 8, tzinfo=dt.UTC)
    assert window.since == window.at - dt.timedelta(hours=24)
    assert window.week[0] == WEEK_START and len(window.week) == 7
    first = resolve_window(OPERATION, BriefingOptions(day=WEEK_START))
    assert first.since == dt.datetime(2026, 11, 23, tzinfo=dt.UTC)  # not before the operation
    start = dt.datetime(2026, 11, 23, tzinfo=LONDON)
    assert resolve_window(OPERATION, BriefingOptions(day=BRIEF_DAY, since=start)).since == start
    cases = {
        "new since' must be from Mon 23 Nov 2026 00:00 (the start of the operation)":
            BriefingOptions(day=BRIEF_DAY, since=dt.datetime(1800, 1, 1, tzinfo=LONDON)),
        "'new since' must be before the briefing, Thu 26 Nov 2026 08:00":
            BriefingOptions(day=BRIEF_DAY, since=dt.datetime(2026, 11, 26, 9, tzinfo=LONDON)),
        "the briefing day must be within the operation, Mon 23 Nov 2026 to Sun 29 Nov 2026":
            BriefingOptions(day=dt.date(1800, 1, 1)),
    }
    for message, options in cases.items():
        with pytest.raises(BriefingRangeError, match=message.replace("(", r"\(").replace(
                ")", r"\)")):
            resolve_window(OPERATION, options)
    long_op = Operation(name="Long", start_date=dt.date(2026, 1, 1), end_date=BRIEF_DAY)
    with pytest.raises(BriefingRangeError, match="31 days before"):
        resolve_window(long_op, BriefingOptions(
            day=BRIEF_DAY, since=dt.datetime(2026, 1, 2, tzinfo=LONDON)))
    assert dt.timedelta(days=31) == MAX_WINDOW
    with pytest.raises(BriefingRangeError, match="within a year of today"):
        resolve_window(None, BriefingOptions(day=dt.date(1800, 1, 1)))


def test_brf511_request_text_is_parsed_or_refused_in_words() -> None:
    assert parse_day("2026-11-26") == BRIEF_DAY and parse_day("") is None
    since = parse_since("2026-11-25T07:30")
    assert since is not None and since.tzinfo is LONDON and since.hour == 7
    with pytest.raises(BriefingRangeError, match="the day must be a date like"):
        parse_day("yesterday")
    with pytest.raises(BriefingRangeError, match="'new since' must be a date and time"):
        parse_since("nor a time")


def test_brf512_default_day_is_today_within_the_operation(small_week: SmallWeek) -> None:
    with small_week.db.read() as session:
        inside = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
        assert default_day(session, inside) == dt.date(2026, 11, 25)
        assert default_day(session, dt.datetime(2027, 1, 5, tzinfo=dt.UTC)) == WEEK_START + \
            dt.timedelta(days=6)
        assert default_day(session, dt.datetime(2026, 1, 5, tzinfo=dt.UTC)) == WEEK_START


@pytest.fixture
def operation_app(app: Flask) -> Flask:
    """The app with an operation in its store."""
    svc: Services = app.extensions["opsmap"]
    with svc.db.write() as session:
        session.add(Operation(name="Op", start_date=WEEK_START,
                              end_date=WEEK_START + dt.timedelta(days=6)))
    return app


def disclosures(svc: Services) -> int:
    with svc.db.read() as session:
        return len(session.scalars(select(ProcessingLog).where(
            ProcessingLog.action == "disclosure")).all())


def test_brf513_route_refuses_any_range_outside_the_operation(
    operation_app: Flask, client_as: Callable[[str], FlaskClient]
) -> None:
    client = client_as("briefing")
    for query in sorted(BOUNDED):
        start = time.perf_counter()
        day = "" if query.startswith("date") else f"&date={BRIEF_DAY.isoformat()}"
        response = client.get(f"/briefing/pack?format=csv&{query}{day}")
        assert response.status_code == 400, (query, response.data[:200])
        assert time.perf_counter() - start < 5
        message = response.get_json()["error"]
        assert "operation" in message or "before the briefing" in message, (query, message)
    assert disclosures(operation_app.extensions["opsmap"]) == 0
    ok = client.get(f"/briefing/pack?format=csv&date={BRIEF_DAY}&since=2026-11-23T00:00")
    assert ok.status_code == 200
    assert f"since,{dt.datetime(2026, 11, 23, tzinfo=dt.UTC).isoformat()}" in ok.text


def _post(client: FlaskClient, dash_app: Dash, output_mark: str,
          values: dict[str, Any]) -> dict[str, Any]:
    body = body_with(dash_app, output_mark, values)
    body["changedPropIds"] = [next(iter(values))]
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code in (200, 204), response.data[:300]
    return json.loads(response.data or b"{}").get("response", {})


def test_brf514_screen_callbacks_bound_day_and_since(
    operation_app: Flask, client_as: Callable[[str], FlaskClient]
) -> None:
    client = client_as("briefing")
    dash_app: Dash = operation_app.extensions["dash"]
    refused = _post(client, dash_app, f"{Ids.NOTICE}.children",
                    {f"{Ids.SINCE}.value": "1800-01-01T00:00", f"{Ids.DAY}.value": "2026-11-26"})
    notice = refused[Ids.NOTICE]["children"]
    assert "'new since' must be from Mon 23 Nov 2026 00:00" in notice
    assert "showing the default briefing" in notice
    assert refused[Ids.TITLE]["children"]  # the screen still shows a briefing
    bad_day = _post(client, dash_app, f"{Ids.NOTICE}.children",
                    {f"{Ids.DAY}.value": "1800-01-01", f"{Ids.SINCE}.value": None})
    assert "within the operation" in bad_day[Ids.NOTICE]["children"]
    download = _post(client, dash_app, f"{Ids.DOWNLOAD_MESSAGE}.children",
                     {f"{Ids.DOWNLOAD_BUTTON}.n_clicks": 1, f"{Ids.DAY}.value": "2026-11-26",
                      f"{Ids.SINCE}.value": "1800-01-01T00:00"})
    assert download[Ids.DOWNLOAD_MESSAGE]["children"].startswith("Not downloaded: 'new since'")
    assert Ids.DOWNLOAD not in download
    assert disclosures(operation_app.extensions["opsmap"]) == 0


def test_brf515_cli_refuses_since_outside_the_operation(
    small_week: SmallWeek, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = run_briefing(small_week.db.url, tmp_path, monkeypatch, BRIEF_DAY,
                             "--since", "1800-01-01T00:00")
    assert code == 2
    assert "'new since' must be from Mon 23 Nov 2026 00:00" in capsys.readouterr().err
    assert not out.exists()
