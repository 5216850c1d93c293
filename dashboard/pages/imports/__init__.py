"""The imports page: analysts upload files, read the report, preview, commit or undo, export."""

from __future__ import annotations

from dash import Dash

from dashboard.access import ADMIN, ANALYST, register_guarded_page
from dashboard.pages.imports.callbacks import register_callbacks
from dashboard.pages.imports.layout import layout


def register(app: Dash) -> None:
    """Register the page at ``/imports`` and its callbacks on ``app``."""
    register_guarded_page(
        "imports",
        "/imports",
        "Imports",
        layout,
        ANALYST,
        ADMIN,
    )
    register_callbacks(app)
