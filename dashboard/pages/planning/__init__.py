"""The planning page: assign locations to teams and days, order routes, print run sheets."""

from __future__ import annotations

import dash
from dash import Dash

from dashboard.access import OPERATIONAL, page
from dashboard.pages.planning.callbacks import register_callbacks
from dashboard.pages.planning.layout import layout


def register(app: Dash) -> None:
    """Register the page at ``/planning`` and its callbacks on ``app``."""
    dash.register_page(
        "planning",
        path="/planning",
        name="Planning",
        title="OpsMap · Planning",
        layout=page(layout, *OPERATIONAL),
    )
    register_callbacks(app)
