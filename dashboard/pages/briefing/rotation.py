"""Which panel the briefing screen shows: the timer, the keys and the pause button.

Plain functions of the clicks and the stored state, so they are tested without a browser.
"""

from __future__ import annotations

from typing import Any

from dashboard.pages.briefing.ids import PANELS, Ids

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


def panel_classes(index: int) -> list[str]:
    """The class of every panel: only the one at ``index`` is active."""
    return ["briefing-panel active" if i == index else "briefing-panel" for i in range(len(KEYS))]
