"""The briefing screen's data refresh and pack download, between the callbacks and the domain.

The page's day and "new since" inputs go through the same bounds as the pack route
(:mod:`layers.briefing.window`). The screen is on the wall of a briefing room, so a refused
input does not blank it: it shows the default briefing and says why; the download refuses.
New panel bodies are sent only when the data (its revision), the day or the window changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from dash import dcc, html, no_update

from dashboard.pages.briefing.panels import panel_bodies
from dashboard.pages.briefing.rotation import KEYS
from layers.briefing.build import cached_briefing
from layers.briefing.model import Briefing, BriefingOptions, briefing_moment
from layers.briefing.pack import export_pack
from layers.briefing.window import BriefingRangeError, request_options
from layers.core.clock import LONDON
from layers.services import Services


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


def screen_briefing(
    services_: Services, day: str | None, since: str | None
) -> tuple[BriefingOptions, Briefing | None, str]:
    """The options the screen asked for, or the default ones and why (for a refused input).

    The briefing is built only here when the input had to be replaced (to know it is valid);
    otherwise it is left to the caller, which may not need it.
    """
    try:
        return request_options(services_.db, services_.config, day, since), None, ""
    except BriefingRangeError as exc:
        notice = f"{exc}: showing the default briefing"
    default = request_options(services_.db, services_.config, None, None)
    return default, cached_briefing(services_.db, default, districts_frame(services_)), notice


def _context(b: Briefing) -> list[Any]:
    since = b.since.astimezone(LONDON).strftime("%a %H:%M")
    context = [
        html.Span(b.operation, className="ctx-operation"),
        html.Span(b.day.strftime("%A %d %B"), className="ctx-day"),
        html.Span(f"new since {since}", className="ctx-since"),
    ]
    if b.is_demo:
        context.append(html.Span("DEMO DATA", className="ctx-demo"))
    return context


def refresh_outputs(
    services_: Services, day: str | None, since: str | None, seen: dict[str, Any] | None
) -> dict[str, Any]:
    """Panel bodies (or ``no_update``), the data-time label, the context line, the notice of a
    refused input and the key of what is shown."""
    options, b, notice = screen_briefing(services_, day, since)
    key = refresh_key(options, services_.db.revision())
    checked = f"Data as of {dt.datetime.now(LONDON):%H:%M:%S}"
    if seen == key:
        return {"bodies": [no_update] * len(KEYS), "data_time": checked, "title": no_update,
                "notice": notice, "seen": key}
    if b is None:
        try:
            b = cached_briefing(services_.db, options, districts_frame(services_))
        except BriefingRangeError as exc:
            return refresh_outputs(services_, None, None, seen) | {
                "notice": f"{exc}: showing the default briefing"}
    bodies = panel_bodies(b, services_.boundaries)
    return {"bodies": [bodies[k] for k in KEYS], "data_time": checked, "title": _context(b),
            "notice": notice, "seen": key}


def download(services_: Services, day: str | None, since: str | None,
             username: str) -> dict[str, Any]:
    """The pack for the screen's day and window as a zip, or the reason it was refused."""
    try:
        options = request_options(services_.db, services_.config, day, since)
        files = export_pack(services_.db, options, services_.boundaries,
                            services_.config.marking, username, "briefing screen")
    except BriefingRangeError as exc:
        return {"file": no_update, "message": f"Not downloaded: {exc}."}
    return {"file": dcc.send_bytes(files.zip_bytes(), f"{files.stem}.zip"),
            "message": f"Pack for {options.day:%d %b} downloaded (recorded)."}
