"""Who is asking, and may they? The one authorisation check for callbacks, pages and routes.

Authentication (sessions, tokens) happens in :mod:`dashboard.security`, which puts a
:class:`Principal` on ``flask.g`` for each request. Everything that reads or writes calls
:func:`require` (or decorates with it) on the server: hiding a button is never the control.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from flask import g, has_request_context, request
from werkzeug.exceptions import Forbidden, Unauthorized

ADMIN = "admin"
COMMANDER = "commander"
ANALYST = "analyst"
BRIEFING = "briefing"
TEAM = "team"
ROLES: tuple[str, ...] = (ADMIN, COMMANDER, ANALYST, BRIEFING, TEAM)

EVERYONE: tuple[str, ...] = (ADMIN, COMMANDER, ANALYST, BRIEFING)
"""Every role that uses the desk screens; a team's phone sees only ``/field`` (issue 14)."""
OPERATIONAL: tuple[str, ...] = (ADMIN, COMMANDER, ANALYST)
"""Roles that may see unredacted operational data."""

P = ParamSpec("P")
R = TypeVar("R")

FOREIGN_SITES = frozenset({"cross-site", "same-site"})
"""``Sec-Fetch-Site`` values of a request another site's page made the browser send.

``same-site`` (a sibling host under the same domain) counts as foreign, as it does for the
CSRF check on POSTs in :mod:`dashboard.security`.
"""


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of this request."""

    username: str
    role: str

    @property
    def redacted(self) -> bool:
        """Whether this caller may only receive redacted data (the briefing screen)."""
        return self.role == BRIEFING


def current_principal() -> Principal:
    """The caller of the current request; 401 when nobody is signed in."""
    principal = g.get("principal") if has_request_context() else None
    if principal is None:
        raise Unauthorized("Sign in to use OpsMap.")
    return principal


def check(*roles: str) -> Principal:
    """Return the caller if their role is one of ``roles``; otherwise 401 or 403."""
    principal = current_principal()
    if principal.role not in roles:
        raise Forbidden(f"The {principal.role} role may not do this.")
    return principal


def require(*roles: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator: the wrapped callback or view runs only for callers with one of ``roles``."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            check(*roles)
            return func(*args, **kwargs)

        wrapper.opsmap_roles = roles  # type: ignore[attr-defined]
        return wrapper

    return decorate


def same_origin_only(view: Callable[P, R]) -> Callable[P, R]:
    """Decorator for GET downloads logged as disclosures: refuse them when another site asks.

    A foreign page can send a signed-in browser to a download link; the browser would carry the
    session cookie (``SameSite=Lax`` allows top-level GETs) and the server would log a
    disclosure the officer never made. Every current browser says where a request came from in
    ``Sec-Fetch-Site``; OpsMap's own pages send ``same-origin``, a typed or bookmarked address
    ``none``, and scripts with an API token send nothing, so only foreign pages are refused.
    """

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if request.headers.get("Sec-Fetch-Site", "").lower() in FOREIGN_SITES:
            raise Forbidden("Downloads asked for by another site are refused; open OpsMap itself.")
        return view(*args, **kwargs)

    wrapper.opsmap_same_origin = True  # type: ignore[attr-defined]
    return wrapper


def page(layout: Callable[..., Any], *roles: str) -> Callable[..., Any]:
    """Wrap a page layout: callers without one of ``roles`` get a refusal, never the content."""

    @functools.wraps(layout)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        from dash import html

        principal = g.get("principal") if has_request_context() else None
        if principal is None or principal.role not in roles:
            return html.Div(
                [html.H2("Not available"), html.P("Your role does not give access to this page.")],
                className="refused",
            )
        return layout(*args, **kwargs)

    return guarded


def register_guarded_page(
    name: str, path: str, label: str, layout: Callable[..., Any], *roles: str,
    title: str | None = None,
) -> None:
    """Register a page whose layout refuses callers without one of ``roles`` (see :func:`page`).

    ``label`` is the navigation name; the tab title defaults to "label · OpsMap" (what the page
    is, first).
    """
    import dash

    dash.register_page(
        name, path=path, name=label, title=title or f"{label} · OpsMap",
        layout=page(layout, *roles),
    )
