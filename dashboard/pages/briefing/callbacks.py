"""Callbacks of the briefing screen: rotation, data refresh and the pack download.

Glue only: the panel rotation is in :mod:`.rotation`, the refresh in :mod:`.refresh`, the
figures in :mod:`layers.briefing`. Every callback is authorised on the server. All roles may use
the screen because it is only ever given data redacted by :mod:`layers.briefing.build`.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import Dash, Input, Output, State, callback_context
from dash.exceptions import PreventUpdate

from dashboard.access import EVERYONE, current_principal, require
from dashboard.context import services
from dashboard.pages.briefing.ids import Ids, body_id, panel_id
from dashboard.pages.briefing.refresh import download as download_pack
from dashboard.pages.briefing.refresh import refresh_outputs
from dashboard.pages.briefing.rotation import KEYS, is_paused, next_state, panel_classes

logger = logging.getLogger(__name__)


def register_callbacks(app: Dash) -> None:
    """Register the briefing screen's callbacks on ``app``."""
    register_rotation(app)
    register_data(app)


def register_rotation(app: Dash) -> None:
    """The pause button and the panel rotation (timer, keys, buttons)."""

    @app.callback(
        output={"disabled": Output(Ids.ROTATE, "disabled"),
                "label": Output(Ids.PAUSE, "children"),
                "paused": Output(Ids.PAUSED, "children")},
        inputs={"clicks": Input(Ids.PAUSE, "n_clicks")},
    )
    @require(*EVERYONE)
    def pause(clicks: int | None) -> dict[str, Any]:
        """Space (or the button) stops and restarts the rotation timer."""
        paused = is_paused(clicks)
        return {"disabled": paused, "label": "Resume" if paused else "Pause",
                "paused": "paused" if paused else ""}

    @app.callback(
        output={"state": Output(Ids.STATE, "data"),
                "classes": [Output(panel_id(key), "className") for key in KEYS],
                "counter": Output(Ids.COUNTER, "children")},
        inputs={"tick": Input(Ids.ROTATE, "n_intervals"), "prev": Input(Ids.PREV, "n_clicks"),
                "next_": Input(Ids.NEXT, "n_clicks")},
        state={"state": State(Ids.STATE, "data"), "pause_clicks": State(Ids.PAUSE, "n_clicks")},
    )
    @require(*EVERYONE)
    def rotate(tick: int | None, prev: int | None, next_: int | None,
               state: dict[str, Any] | None, pause_clicks: int | None) -> dict[str, Any]:
        """Show the next panel on the timer, or the one the keys/buttons ask for."""
        trigger = callback_context.triggered_id if callback_context.triggered else None
        new = next_state(state, trigger, is_paused(pause_clicks))
        return {"state": new, "classes": panel_classes(new["index"]),
                "counter": f"{new['index'] + 1}/{len(KEYS)}"}


def register_data(app: Dash) -> None:
    """The data refresh and the pack download."""

    @app.callback(
        output={"bodies": [Output(body_id(key), "children") for key in KEYS],
                "data_time": Output(Ids.DATA_TIME, "children"),
                "title": Output(Ids.TITLE, "children"),
                "notice": Output(Ids.NOTICE, "children"),
                "seen": Output(Ids.SEEN, "data")},
        inputs={"tick": Input(Ids.REFRESH, "n_intervals"), "day": Input(Ids.DAY, "value"),
                "since": Input(Ids.SINCE, "value")},
        state={"seen": State(Ids.SEEN, "data")},
    )
    @require(*EVERYONE)
    def refresh(tick: int | None, day: str | None, since: str | None,
                seen: dict[str, Any] | None) -> dict[str, Any]:
        """Fetch the redacted briefing again; send panels only when something changed."""
        return refresh_outputs(services(), day, since, seen)

    @app.callback(
        output={"file": Output(Ids.DOWNLOAD, "data"),
                "message": Output(Ids.DOWNLOAD_MESSAGE, "children")},
        inputs={"clicks": Input(Ids.DOWNLOAD_BUTTON, "n_clicks")},
        state={"day": State(Ids.DAY, "value"), "since": State(Ids.SINCE, "value")},
        prevent_initial_call=True,
    )
    @require(*EVERYONE)
    def download(clicks: int | None, day: str | None, since: str | None) -> dict[str, Any]:
        """Build the pack (HTML, CSV, PDF in a zip) and record the disclosure."""
        if not clicks:
            raise PreventUpdate
        return download_pack(services(), day, since, current_principal().username)
