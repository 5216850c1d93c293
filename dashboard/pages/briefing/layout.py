"""Layout of the briefing screen: six full-screen panels, each with the marking top and bottom.

The panels are stacked on each other and only the current one is visible; maps are rendered at
full size even while hidden, so a rotation never shows a half-drawn map. Panel bodies are empty
in the layout and filled by the data refresh, so the page itself carries no briefing data.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html
from flask import g

from dashboard.access import BRIEFING
from dashboard.components.sign_out import sign_out_button
from dashboard.context import services
from dashboard.pages.briefing.ids import PANELS, Ids, body_id, panel_id
from layers.briefing.window import BriefingRangeError, default_day, parse_day, parse_since

REFRESH_MS = 30_000
DATE_INPUT: Any = "date"
DATETIME_INPUT: Any = "datetime-local"
"""The browser's own date pickers: Dash 4 renders them, though its type hints list text types."""


def _initial_day(value: str | None) -> str:
    """The day the screen opens on: the one asked for, else today within the operation."""
    try:
        day = parse_day(value)
    except BriefingRangeError:
        day = None
    if day is None:
        with services().db.read() as session:
            day = default_day(session)
    return day.isoformat()


def _initial_since(value: str | None) -> str:
    try:
        since = parse_since(value)
    except BriefingRangeError:
        return ""
    return since.strftime("%Y-%m-%dT%H:%M") if since else ""


def panel(key: str, title: str, marking: str, index: int) -> html.Section:
    """One panel: marking, title, body (filled by the refresh), marking."""
    return html.Section(
        [
            html.Div(marking, className="marking marking-top briefing-marking", role="note"),
            html.Header([html.H1(title, className="panel-title")], className="panel-head"),
            html.Div(id=body_id(key), className="panel-body"),
            html.Div(marking, className="marking marking-bottom briefing-marking", role="note"),
        ],
        id=panel_id(key),
        className="briefing-panel active" if index == 0 else "briefing-panel",
    )


def layout(day: str | None = None, since: str | None = None, **_query: Any) -> html.Div:
    """The briefing screen (``/briefing?day=YYYY-MM-DD&since=YYYY-MM-DDTHH:MM``)."""
    config = services().config
    seconds = max(config.briefing_seconds, 3)
    controls = html.Div([_status_row(), _control_row(day, since)],
                        className="briefing-controls")
    return html.Div(
        [
            dcc.Store(id=Ids.STATE, data={"index": 0}),
            dcc.Store(id=Ids.SEEN, data=None),
            dcc.Interval(id=Ids.ROTATE, interval=seconds * 1000),
            dcc.Interval(id=Ids.REFRESH, interval=REFRESH_MS),
            html.Div([panel(key, title, config.marking, i)
                      for i, (key, title) in enumerate(PANELS)], className="briefing-panels"),
            controls,
        ],
        id=Ids.ROOT,
        className="briefing-screen",
    )


def _status_row() -> html.Div:
    """What is shown: operation, day, window, data time, panel number, pause, notices."""
    return html.Div(
        [
            html.Span(id=Ids.TITLE, className="briefing-context"),
            html.Span(id=Ids.DATA_TIME, className="briefing-data-time"),
            html.Span(id=Ids.COUNTER, className="briefing-counter"),
            html.Span(id=Ids.PAUSED, className="briefing-paused"),
        ],
        className="briefing-status",
    )


def _control_row(day: str | None, since: str | None) -> html.Div:
    """The controls: panel buttons, the day and window, the pack download, the way out."""
    return html.Div(
        [
            html.Button("◀", id=Ids.PREV, title="Previous panel (←)", className="briefing-btn",
                        **{"aria-label": "Previous panel"}),
            html.Button("Pause", id=Ids.PAUSE, title="Pause or resume (space)",
                        className="briefing-btn"),
            html.Button("▶", id=Ids.NEXT, title="Next panel (→)", className="briefing-btn",
                        **{"aria-label": "Next panel"}),
            html.Label(["Day ", dcc.Input(id=Ids.DAY, type=DATE_INPUT, value=_initial_day(day),
                                          debounce=True, className="briefing-input")],
                       title="Briefing day", className="briefing-label"),
            html.Label(["New since ", dcc.Input(id=Ids.SINCE, type=DATETIME_INPUT,
                                                value=_initial_since(since), debounce=True,
                                                className="briefing-input")],
                       title="New intelligence since (empty: 24 hours before the briefing)",
                       className="briefing-label"),
            html.Button("Download pack", id=Ids.DOWNLOAD_BUTTON, className="briefing-btn"),
            html.Span(id=Ids.DOWNLOAD_MESSAGE, className="briefing-download-message"),
            html.Span(id=Ids.NOTICE, className="briefing-notice", role="status"),
            dcc.Download(id=Ids.DOWNLOAD),
            _exit_link(),
        ],
        className="briefing-control-row",
    )


def _exit_link() -> html.A | html.Form:
    """The way out: the briefing screen's own role signs out; other roles go back to the map."""
    principal = g.get("principal")
    if principal is None or principal.role == BRIEFING:
        return sign_out_button("briefing-btn")
    return html.A("Back to OpsMap", href="/", className="briefing-btn")
