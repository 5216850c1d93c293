"""The frame around every page: protective marking top and bottom, navigation, who is signed in.

The navigation shows a role only the pages it may open; the pages and callbacks check the role
again on the server, so the menu is a convenience, not the control.
"""

from __future__ import annotations

from collections.abc import Callable

import dash
from dash import dcc, html
from flask import g

from config import Config
from dashboard.access import ADMIN, ANALYST, BRIEFING, COMMANDER, Principal
from dashboard.components.sign_out import sign_out_button
from dashboard.context import services
from layers.core.closure import notice, state

NAV: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Operations map", "/", (ADMIN, COMMANDER, ANALYST)),
    ("Planning", "/planning", (ADMIN, COMMANDER, ANALYST)),
    ("Progress board", "/board", (ADMIN, COMMANDER, ANALYST)),
    ("Networks", "/networks", (ADMIN, COMMANDER, ANALYST)),
    ("Imports", "/imports", (ADMIN, ANALYST)),
    ("Briefing", "/briefing", (ADMIN, COMMANDER, ANALYST, BRIEFING)),
    ("Public updates", "/public", (ADMIN, COMMANDER)),
    ("Admin", "/admin", (ADMIN,)),
)


ATTRIBUTION = (
    "Boundaries and postcodes: contains OS data © Crown copyright and database right; "
    "contains National Statistics data © Crown copyright and database right; contains Royal Mail "
    "data © Royal Mail copyright and database right. Open Government Licence v3.0."
)


def marking_banner(marking: str, position: str) -> html.Div:
    """The protective marking, as a banner at the ``top`` or ``bottom`` of the page."""
    return html.Div(marking, className=f"marking marking-{position}", role="note")


def closed_notice() -> html.Div | None:
    """Once the operation is closed, every page says so in words, under the marking."""
    with services().db.read() as session:
        row = state(session)
    if row is None or row.closed_at is None:
        return None
    return html.Div(notice(row.closed_at, row.closed_by), className="closed-notice", role="status")


def nav_links(principal: Principal | None, registered: set[str]) -> list[dcc.Link]:
    """Links to the registered pages this principal's role may open."""
    if principal is None:
        return []
    return [
        dcc.Link(label, href=path, className="nav-link")
        for label, path, roles in NAV
        if principal.role in roles and path in registered
    ]


def shell_layout(config: Config) -> Callable[[], html.Div]:
    """A layout function (evaluated per page load) wrapping ``dash.page_container``."""

    def layout() -> html.Div:
        principal: Principal | None = g.get("principal")
        registered = {page["path"] for page in dash.page_registry.values()}
        user = (
            [
                html.Span(f"{principal.username} ({principal.role})", className="nav-user"),
                sign_out_button("nav-link"),
            ]
            if principal
            else []
        )
        return html.Div(
            [
                marking_banner(config.marking, "top"),
                html.Header(
                    [
                        html.Span("OpsMap", className="brand"),
                        html.Nav(nav_links(principal, registered), className="nav"),
                        html.Div(user, className="nav-right"),
                    ],
                    className="topbar",
                ),
                closed_notice() if principal else None,
                html.Main(dash.page_container, className="page"),
                html.Footer(ATTRIBUTION, className="attribution"),
                marking_banner(config.marking, "bottom"),
            ],
            className="shell",
        )

    return layout
