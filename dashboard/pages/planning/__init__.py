"""The planning page: assign locations to teams and days, order routes, print run sheets."""

from __future__ import annotations

from dash import Dash

from dashboard.access import OPERATIONAL, register_guarded_page
from dashboard.pages.planning.callbacks import register_callbacks
from dashboard.pages.planning.layout import layout


def register(app: Dash) -> None:
    """Register the page at ``/planning`` and its callbacks on ``app``."""
    register_guarded_page(
        "planning",
        "/planning",
        "Planning",
        layout,
        *OPERATIONAL,
    )
    register_callbacks(app)
