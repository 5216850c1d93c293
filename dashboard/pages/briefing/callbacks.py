"""Callbacks of the briefing screen: rotation, data refresh and the pack download.

Every callback is authorised on the server. All roles may use the screen because it is only
ever given data redacted by :func:`layers.briefing.data.build_briefing`; the refresh sends new panel
bodies only when the data (its revision), the day or the "since" time changed.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pandas as pd
from dash import Dash, Input, Output, State, callback_context, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.access import EVERYONE, current_principal, require
from dashboard.context import services
from dashboard.pages.briefing.ids import PANELS, Ids, body_id, panel_id
from dashboard.pages.briefing.panels import panel_bodies
from layers.briefing.data import LONDON, BriefingOptions, briefing_moment, cached_briefing
from layers.briefing.pack import export_pack
from layers.services import Services

logger = logging.getLogger(__name__)

KEYS = [key for key, _ in PANELS]


def next_state(state: dict[str, Any] | None, trigger: str | None,
               paused: bool = False) -> dict[str, Any]:
    """The panel shown after ``trigger`` (the id of the interval or button that fired).

    The timer moves on only while not ``paused``; the keys and buttons always do.
    """
    index = int((state or {}).get("index", 0)) % len(KEYS)
    if trigger == Ids.NEXT or (trigger == Ids.ROTATE and not paused):
        index = (index + 1) % len(KEYS)
    elif trigger == Ids.PREV:
        index = (index - 1) % len(KEYS)
    return {"index": index}


def is_paused(pause_clicks: int | None) -> bool:
    """Pause toggles: an odd number of presses means paused.

    Deriving it from the click count (not from stored state) keeps it right even when a timer
    tick and a key press are in flight at the same moment.
    """
    return bool(pause_clicks) and int(pause_clicks or 0) % 2 == 1


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
) -> tuple[list[Any], str, Any, dict[str, Any]]:
    """Panel bodies (or ``no_update``), the data-time label, the context line and the key."""
    revision = services_.db.revision()
    key = refresh_key(options, revision)
    checked = dt.datetime.now(LONDON).strftime("%H:%M:%S")
    if seen == key:
        return [no_update] * len(KEYS), f"Data as of {checked}", no_update, key
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
    return [bodies[k] for k in KEYS], f"Data as of {checked}", context, key


def register_callbacks(app: Dash) -> None:
    """Register the briefing screen's callbacks on ``app``."""

    @app.callback(
        Output(Ids.ROTATE, "disabled"),
        Output(Ids.PAUSE, "children"),
        Output(Ids.PAUSED, "children"),
        Input(Ids.PAUSE, "n_clicks"),
    )
    @require(*EVERYONE)
    def pause(clicks: int | None) -> tuple[bool, str, str]:
        """Space (or the button) stops and restarts the rotation timer."""
        paused = is_paused(clicks)
        return paused, "Resume" if paused else "Pause", "paused" if paused else ""

    @app.callback(
        Output(Ids.STATE, "data"),
        *[Output(panel_id(key), "className") for key in KEYS],
        Output(Ids.COUNTER, "children"),
        Input(Ids.ROTATE, "n_intervals"),
        Input(Ids.PREV, "n_clicks"),
        Input(Ids.NEXT, "n_clicks"),
        State(Ids.STATE, "data"),
        State(Ids.PAUSE, "n_clicks"),
    )
    @require(*EVERYONE)
    def rotate(_tick: int | None, _prev: int | None, _next: int | None,
               state: dict[str, Any] | None, pause_clicks: int | None) -> tuple[Any, ...]:
        """Show the next panel on the timer, or the one the keys/buttons ask for."""
        trigger = callback_context.triggered_id if callback_context.triggered else None
        new = next_state(state, trigger, is_paused(pause_clicks))
        classes = ["briefing-panel active" if i == new["index"] else "briefing-panel"
                   for i in range(len(KEYS))]
        return (new, *classes, f"{new['index'] + 1}/{len(KEYS)}")

    @app.callback(
        *[Output(body_id(key), "children") for key in KEYS],
        Output(Ids.DATA_TIME, "children"),
        Output(Ids.TITLE, "children"),
        Output(Ids.SEEN, "data"),
        Input(Ids.REFRESH, "n_intervals"),
        Input(Ids.DAY, "value"),
        Input(Ids.SINCE, "value"),
        State(Ids.SEEN, "data"),
    )
    @require(*EVERYONE)
    def refresh(_tick: int | None, day: str | None, since: str | None,
                seen: dict[str, Any] | None) -> tuple[Any, ...]:
        """Fetch the redacted briefing again; send panels only when something changed."""
        svc = services()
        bodies, data_time, context, key = refresh_outputs(svc, briefing_options(day, since, svc),
                                                          seen)
        return (*bodies, data_time, context, key)

    @app.callback(
        Output(Ids.DOWNLOAD, "data"),
        Output(Ids.DOWNLOAD_MESSAGE, "children"),
        Input(Ids.DOWNLOAD_BUTTON, "n_clicks"),
        State(Ids.DAY, "value"),
        State(Ids.SINCE, "value"),
        prevent_initial_call=True,
    )
    @require(*EVERYONE)
    def download(clicks: int | None, day: str | None, since: str | None) -> tuple[Any, str]:
        """Build the pack (HTML, CSV, PDF in a zip) and record the disclosure."""
        if not clicks:
            raise PreventUpdate
        svc = services()
        principal = current_principal()
        options = briefing_options(day, since, svc)
        files = export_pack(svc.db, options, svc.boundaries, svc.config.marking,
                            principal.username, "briefing screen")
        return (dcc.send_bytes(files.zip_bytes(), f"{files.stem}.zip"),
                f"Pack for {options.day:%d %b} downloaded (recorded).")
