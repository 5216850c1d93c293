"""The "Public updates" page (``/public``): draft, check, approve as a second person, download.

Commanders and admins only. Every rule lives in :mod:`layers.public`; the page shows the
figures and the checks that passed or held figures back, the posts, and the cards as they will
be published.
"""

from __future__ import annotations

from dash import Dash

from dashboard.access import ADMIN, COMMANDER, register_guarded_page
from dashboard.pages.public.callbacks import register_callbacks
from dashboard.pages.public.layout import layout


def register(app: Dash) -> None:
    """Register the page at ``/public`` and its callbacks on ``app``."""
    register_guarded_page(
        "public",
        "/public",
        "Public updates",
        layout,
        ADMIN,
        COMMANDER,
    )
    register_callbacks(app)
