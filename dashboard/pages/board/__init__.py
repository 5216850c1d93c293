"""The live progress board: done against planned by day, team, district and division."""

from __future__ import annotations

from dash import Dash

from dashboard.access import OPERATIONAL, register_guarded_page
from dashboard.components.field_panel import register_field_panel, with_field_panel
from dashboard.pages.board.callbacks import register_callbacks
from dashboard.pages.board.layout import layout


def register(app: Dash) -> None:
    """Register the page at ``/board`` and its callbacks on ``app``."""
    register_guarded_page(
        "board",
        "/board",
        "Progress board",
        with_field_panel(layout, "brd"),
        *OPERATIONAL,
        title="Progress board · OpsMap",
    )
    register_callbacks(app)
    register_field_panel(app, "brd")
