"""The admin page: user accounts, API tokens and the lawful-processing log (admins only)."""

from __future__ import annotations

import dash
from dash import Dash

from dashboard.access import ADMIN, page
from dashboard.pages.admin.callbacks import register_callbacks
from dashboard.pages.admin.layout import layout

ROLES: tuple[str, ...] = (ADMIN,)


def register(app: Dash) -> None:
    """Register the page at ``/admin`` and its callbacks on ``app``."""
    dash.register_page(
        "admin", path="/admin", name="Admin", title="Admin · OpsMap",
        layout=page(layout, *ROLES), opsmap_roles=ROLES,
    )
    register_callbacks(app)
