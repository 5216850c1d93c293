"""The briefing screen's data refresh: options from the page's inputs, and new panel bodies only
when the data (its revision), the day or the "since" time changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from dash import html, no_update

from dashboard.pages.briefing.panels import panel_bodies
from dashboard.pages.briefing.rotation import KEYS
from layers.briefing.build import cached_briefing
from layers.briefing.model import BriefingOptions, briefing_moment
from layers.core.clock import LONDON
from layers.services import Services


def briefing_options(day: str | None, since: str | None, services_: Services) -> BriefingOptions:
    """Options from the page's inputs (bad input falls back to today / the last 24 hours)."""
    try:
        parsed_day = dt.date.fromisoformat(day) if day else dt.datetime.now(LONDON).date()
    except ValueError:
        parsed_day = dt.datetime.now(LONDON).date()
    parsed_since = None
    if since:
        try:
            parsed_since = dt.datetime.fromisoformat(since)
        except ValueError:
            parsed_since = None
        if parsed_since is not None and parsed_since.tzinfo is None:
            parsed_since = parsed_since.replace(tzinfo=LONDON)
    return BriefingOptions(day=parsed_day, since=parsed_since,
                           address_level=services_.config.briefing_address)


def districts_frame(services_: Services) -> pd.DataFrame:
    """District codes, names and divisions in display order."""
    return pd.DataFrame(services_.boundaries[["code", "name", "division"]])


def refresh_key(options: BriefingOptions, revision: int) -> dict[str, Any]:
    """What the panels depend on: a refresh with the same key changes nothing but the clock.

    Without a set "since" the window moves with time, so the key includes the briefing moment
    to the minute.
    """
    moment = briefing_moment(options.day) if options.since is None else options.since
    return {
        "revision": revision,
        "day": options.day.isoformat(),
        "since": options.since.isoformat() if options.since else None,
        "moment": moment.strftime("%Y-%m-%dT%H:%M"),
    }


def refresh_outputs(
    services_: Services, options: BriefingOptions, seen: dict[str, Any] | None
) -> dict[str, Any]:
    """Panel bodies (or ``no_update``), the data-time label, the context line and the key."""
    revision = services_.db.revision()
    key = refresh_key(options, revision)
    checked = f"Data as of {dt.datetime.now(LONDON):%H:%M:%S}"
    if seen == key:
        return {"bodies": [no_update] * len(KEYS), "data_time": checked, "title": no_update,
                "seen": key}
    b = cached_briefing(services_.db, options, districts_frame(services_))
    bodies = panel_bodies(b, services_.boundaries)
    since = b.since.astimezone(LONDON).strftime("%a %H:%M")
    context = [
        html.Span(b.operation, className="ctx-operation"),
        html.Span(b.day.strftime("%A %d %B"), className="ctx-day"),
        html.Span(f"new since {since}", className="ctx-since"),
    ]
    if b.is_demo:
        context.append(html.Span("DEMO DATA", className="ctx-demo"))
    return {"bodies": [bodies[k] for k in KEYS], "data_time": checked, "title": context,
            "seen": key}
