"""The live progress board: done against planned by day, team, district and division."""

from __future__ import annotations

import dash
from dash import Dash

from dashboard.access import OPERATIONAL, page
from dashboard.components.field_panel import register_field_panel, with_field_panel
from dashboard.pages.board.callbacks import register_callbacks
from dashboard.pages.board.layout import layout


def register(app: Dash) -> None:
    """Register the page at ``/board`` and its callbacks on ``app``."""
    dash.register_page(
        "board",
        path="/board",
        name="Progress board",
        title="OpsMap · Progress",
        layout=page(with_field_panel(layout, "brd"), *OPERATIONAL),
    )
    register_callbacks(app)
    register_field_panel(app, "brd")
