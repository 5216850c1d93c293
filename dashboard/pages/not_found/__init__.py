"""The page for an address OpsMap does not have: the app's frame, a clear "not found", a way back.

Dash shows the page registered as ``not_found_404`` for any path no page claims, inside the
shell (marking, navigation), so a mistyped or stale link never lands on a bare error. The HTTP
status says the same: :func:`not_found_status` turns Dash's catch-all 200 into a 404 for such
paths, so link checkers, proxies and monitoring see what a person sees.
"""

from __future__ import annotations

import dash
from dash import Dash, dcc, html
from dash._pages import _path_to_page  # Dash's own path-to-page rule, the one its router uses
from flask import Response, g, has_request_context, request

from dashboard.shell import NAV

HOME = ("Operations map", "/")
NOT_FOUND_MODULE = "not_found_404"
CATCH_ALL_RULES = frozenset({"/", "/<path:path>"})  # Dash's index routes


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


def is_known_page(app: Dash, path: str) -> bool:
    """Whether a page other than "not found" answers ``path`` (fixed paths and templates)."""
    page, _variables = _path_to_page(app.strip_relative_path(path) or "")
    return bool(page) and page.get("module") != NOT_FOUND_MODULE


def not_found_status(app: Dash, response: Response) -> Response:
    """``after_request``: Dash's page shell for an unknown path is answered with status 404."""
    rule = request.url_rule
    if (
        request.method == "GET"
        and response.status_code == 200
        and rule is not None
        and rule.rule in CATCH_ALL_RULES
        and response.mimetype == "text/html"
        and not is_known_page(app, request.path)
    ):
        response.status_code = 404
    return response


def register(app: Dash) -> None:
    """Register the page Dash shows for unknown paths (no callbacks) and its 404 status."""
    dash.register_page(
        NOT_FOUND_MODULE, path="/404", name="Not found", title="Page not found · OpsMap",
        layout=layout,
    )
    app.server.after_request(lambda response: not_found_status(app, response))
