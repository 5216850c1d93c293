"""Builds the Dash application on the Flask server: shell layout, pages and their callbacks.

Each page package under ``dashboard/pages/`` exposes ``register(app)``, which registers the page
(``dash.register_page``) and its callbacks with ``app.callback``. Callbacks are registered on
the app rather than with the global ``dash.callback`` so every application built in a process
(one per test) gets its own complete set.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Any, cast

from dash import Dash
from flask import Flask

from config import Config
from dashboard.shell import shell_layout

logger = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent.parent / "assets"

INDEX = """<!DOCTYPE html>
<html lang="en-GB">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>"""
"""Dash's page frame with the page language set (British English: screen readers pronounce
dates, numbers and words accordingly; WCAG 3.1.1)."""

PAGE_MODULES: tuple[str, ...] = (
    "dashboard.pages.operations",
    "dashboard.pages.admin",
    "dashboard.pages.planning",
    "dashboard.pages.board",
    "dashboard.pages.briefing",
    "dashboard.pages.imports",
    "dashboard.pages.public",
    "dashboard.pages.not_found",
    "dashboard.pages.networks",
)


def create_dash(server: Flask, config: Config) -> Dash:
    """Create the Dash app on ``server`` with every page registered."""
    app = Dash(
        __name__,
        server=cast(Any, server),  # Dash types say bool | Callable; a Flask app is what it wants
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        serve_locally=True,
        title="OpsMap",
        index_string=INDEX,
        update_title="",  # never "Updating..." in the tab
        suppress_callback_exceptions=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    for module in PAGE_MODULES:
        importlib.import_module(module).register(app)
    app.layout = shell_layout(config)
    server.extensions["dash"] = app  # dashboard.security reads its CSP script hashes
    return app
