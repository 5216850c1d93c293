"""The operations map: districts and the three intelligence layers, filters, counts, status."""

from __future__ import annotations

import dash
from dash import Dash

from dashboard.access import OPERATIONAL, page
from dashboard.components.field_panel import register_field_panel, with_field_panel
from dashboard.pages.operations.callbacks import register_callbacks
from dashboard.pages.operations.layout import layout


def register(app: Dash) -> None:
    """Register the page at ``/`` and its callbacks on ``app``."""
    dash.register_page(
        "operations",
        path="/",
        name="Operations map",
        title="OpsMap",
        layout=page(with_field_panel(layout, "ops"), *OPERATIONAL),
    )
    register_callbacks(app)
    register_field_panel(app, "ops")
