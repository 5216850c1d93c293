"""The daily briefing screen: rotating full-screen panels of redacted figures (``/briefing``).

Every role may open it; it only ever receives data redacted by :mod:`layers.briefing.build`.
"""

from __future__ import annotations

import dash
from dash import Dash

from dashboard.access import EVERYONE, page
from dashboard.pages.briefing.callbacks import register_callbacks
from dashboard.pages.briefing.layout import layout


def register(app: Dash) -> None:
    """Register the page at ``/briefing`` and its callbacks on ``app``."""
    dash.register_page(
        "briefing", path="/briefing", name="Briefing", title="Briefing · OpsMap",
        layout=page(layout, *EVERYONE),
    )
    register_callbacks(app)
