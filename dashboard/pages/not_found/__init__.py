"""The page for an address OpsMap does not have: the app's frame, a clear "not found", a way back.

Dash shows the page registered as ``not_found_404`` for any path no page claims, inside the
shell (marking, navigation), so a mistyped or stale link never lands on a bare error.
"""

from __future__ import annotations

import dash
from dash import Dash, dcc, html
from flask import g, has_request_context

from dashboard.shell import NAV

HOME = ("Operations map", "/")


def way_back() -> tuple[str, str]:
    """The first page the signed-in role may open (the operations map for most roles)."""
    principal = g.get("principal") if has_request_context() else None
    role = principal.role if principal else None
    return next(((label, path) for label, path, roles in NAV if role in roles), HOME)


def layout(**_params: object) -> html.Div:
    """Not found, in words, with a link back to the user's own starting page."""
    label, path = way_back()
    return html.Div(
        [
            html.H2("Page not found"),
            html.P("There is no page at this address. It may have been mistyped or moved."),
            dcc.Link(f"Back to the {label.lower()}", href=path, className="button primary"),
        ],
        className="not-found",
        role="main",
    )


def register(app: Dash) -> None:
    """Register the page Dash shows for unknown paths (no callbacks)."""
    dash.register_page(
        "not_found_404", path="/404", name="Not found", title="OpsMap · Not found", layout=layout
    )
