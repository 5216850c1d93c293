"""The networks pages: ``/networks`` (the grid) and ``/networks/<id>`` (one network)."""

from __future__ import annotations

import dash
from dash import Dash

from dashboard.access import OPERATIONAL, page, register_guarded_page
from dashboard.pages.networks.callbacks import register_callbacks
from dashboard.pages.networks.layout import layout
from dashboard.pages.networks.view import network_view


def register(app: Dash) -> None:
    """Register both pages (analysts, commanders, admins) and their callbacks on ``app``."""
    register_guarded_page(
        "networks",
        "/networks",
        "Networks",
        layout,
        *OPERATIONAL,
    )
    dash.register_page(
        "network",
        path_template="/networks/<network_id>",
        name="Network",
        title="Network · OpsMap",
        layout=page(network_view, *OPERATIONAL),
    )
    register_callbacks(app)
