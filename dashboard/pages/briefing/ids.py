"""Component ids of the briefing screen, shared by its layout, callbacks and keyboard script.

``assets/briefing_keys.js`` clicks the PREV/PAUSE/NEXT buttons by these ids: keep them in step.
"""

from enum import StrEnum


class Ids(StrEnum):
    """Every id on the briefing page (one place, so layout, callbacks and script agree)."""

    ROOT = "briefing-screen"
    STATE = "briefing-state"
    SEEN = "briefing-seen"
    ROTATE = "briefing-rotate"
    REFRESH = "briefing-refresh"
    PREV = "briefing-prev"
    PAUSE = "briefing-pause"
    NEXT = "briefing-next"
    COUNTER = "briefing-counter"
    PAUSED = "briefing-paused"
    DATA_TIME = "briefing-data-time"
    DAY = "briefing-day"
    SINCE = "briefing-since"
    TITLE = "briefing-title"
    DOWNLOAD_BUTTON = "briefing-download-button"
    DOWNLOAD = "briefing-download"
    DOWNLOAD_MESSAGE = "briefing-download-message"
    NOTICE = "briefing-notice"


PANELS: tuple[tuple[str, str], ...] = (
    ("plan", "Today's plan by team"),
    ("yesterday", "Yesterday's results"),
    ("districts", "Week to date by district"),
    ("week", "Week to date by day"),
    ("intel", "New tip-offs and adverts"),
    ("outstanding", "Outstanding high-priority premises"),
    ("networks", "Networks of adverts on the move"),
)
"""The rotating panels, in order: (key, title)."""


def panel_id(key: str) -> str:
    """The id of a panel's box."""
    return f"briefing-panel-{key}"


def body_id(key: str) -> str:
    """The id of a panel's body (what the data refresh replaces)."""
    return f"briefing-body-{key}"
