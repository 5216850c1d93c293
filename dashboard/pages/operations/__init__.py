"""The operations map: districts and the three intelligence layers, filters, counts, status."""

from __future__ import annotations

from dash import Dash

from dashboard.access import OPERATIONAL, register_guarded_page
from dashboard.components.field_panel import register_field_panel, with_field_panel
from dashboard.pages.operations.callbacks import register_callbacks
from dashboard.pages.operations.layout import layout


def register(app: Dash) -> None:
    """Register the page at ``/`` and its callbacks on ``app``."""
    register_guarded_page(
        "operations",
        "/",
        "Operations map",
        with_field_panel(layout, "ops", below=True),
        *OPERATIONAL,
        title="Operations map · OpsMap",
    )
    register_callbacks(app)
    register_field_panel(app, "ops")
