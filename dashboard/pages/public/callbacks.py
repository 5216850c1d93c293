"""Callbacks of the "Public updates" page: glue between the controls and :mod:`layers.public`.

Every callback is for commanders and admins, checked on the server; the second-person rule and
the approval rule are enforced by the store, whoever calls it.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import Dash, Input, Output, State, callback_context, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.access import ADMIN, COMMANDER, current_principal, require
from dashboard.context import services
from dashboard.pages.public.ids import Ids
from dashboard.pages.public.layout import detail_view, update_options
from layers.core.errors import NotFound, RuleError
from layers.public import store
from layers.public.figures import Period
from layers.public.release import FORCE

logger = logging.getLogger(__name__)

PUBLISHERS = (ADMIN, COMMANDER)
REFUSALS = (RuleError, NotFound, ValueError)


def _refused(exc: Exception) -> html.Span:
    return html.Span(str(exc), className="error")


def _update_id(pick: Any) -> int:
    """The chosen update's id (a crafted request may send anything)."""
    if isinstance(pick, bool) or not isinstance(pick, int | str):
        raise ValueError("choose an update first")
    return int(pick)


def register_callbacks(app: Dash) -> None:
    """Register the page's callbacks on ``app``."""
    _register_drafting(app)
    _register_review(app)
    _register_export(app)


def _register_drafting(app: Dash) -> None:
    """Drafting an update and choosing which one to look at."""

    @app.callback(
        output=dict(message=Output(Ids.DRAFT_MESSAGE, "children"),
                    refresh=Output(Ids.REFRESH, "data"), chosen=Output(Ids.CHOSEN, "data")),
        inputs=dict(clicks=Input(Ids.DRAFT, "n_clicks")),
        state=dict(start=State(Ids.START, "value"), end=State(Ids.END, "value"),
                   scope=State(Ids.SCOPE, "value"), refresh=State(Ids.REFRESH, "data")),
        prevent_initial_call=True,
    )
    @require(*PUBLISHERS)
    def draft(clicks: int | None, start: str | None, end: str | None, scope: str | None,
              refresh: int | None) -> dict[str, Any]:
        """Draft an update for the chosen days and scope."""
        if not clicks:
            raise PreventUpdate
        svc = services()
        try:
            row = store.draft_update(svc.db, Period.parse(start, end), scope or FORCE,
                                     current_principal(), svc.config.public_k)
        except REFUSALS as exc:
            return dict(message=_refused(exc), refresh=no_update, chosen=no_update)
        message = (f"Drafted update #{row.id}. Check it below; a second commander or admin "
                   "must approve it before it can be downloaded.")
        return dict(message=html.Span(message, className="ok"), refresh=(refresh or 0) + 1,
                    chosen=row.id)

    @app.callback(
        output=dict(options=Output(Ids.PICK, "options"), value=Output(Ids.PICK, "value")),
        inputs=dict(_refresh=Input(Ids.REFRESH, "data"), chosen=Input(Ids.CHOSEN, "data")),
        state=dict(pick=State(Ids.PICK, "value")),
    )
    @require(*PUBLISHERS)
    def options(_refresh: int | None, chosen: Any, pick: Any) -> dict[str, Any]:
        """The updates to choose from, newest first, with the one just drafted (or linked)
        chosen; options and choice go together, so the dropdown never drops the choice."""
        rows = update_options(store.as_dict(r) for r in store.list_updates(services().db))
        fresh = f"{Ids.CHOSEN}.data" in callback_context.triggered_prop_ids or pick is None
        wanted = chosen if fresh and chosen is not None else pick
        known = {row["value"] for row in rows}
        return dict(options=rows, value=wanted if wanted in known else None)


def _register_review(app: Dash) -> None:
    """Looking at one update, and a second person's decision on it."""

    @app.callback(Output(Ids.DETAIL, "children"), Input(Ids.PICK, "value"),
                  Input(Ids.REFRESH, "data"))
    @require(*PUBLISHERS)
    def detail(pick: Any, _refresh: int | None) -> Any:
        """The chosen update: checks, figures, posts, and the cards as they will be published."""
        if pick is None:
            return html.P("Draft an update, or choose one to review.", className="muted")
        svc = services()
        try:
            row = store.get_update(svc.db, _update_id(pick))
        except REFUSALS as exc:
            return _refused(exc)
        bundle = store.preview(row, svc.boundaries)
        images = {name: image.png for name, image in bundle.images.items()}
        return detail_view(store.as_dict(row), images, store.events(svc.db, row.id))

    @app.callback(
        output=dict(message=Output(Ids.DECIDE_MESSAGE, "children"),
                    refresh=Output(Ids.REFRESH, "data", allow_duplicate=True)),
        inputs=dict(approve=Input(Ids.APPROVE, "n_clicks"), reject=Input(Ids.REJECT, "n_clicks")),
        state=dict(pick=State(Ids.PICK, "value"), note=State(Ids.NOTE, "value"),
                   refresh=State(Ids.REFRESH, "data")),
        prevent_initial_call=True,
    )
    @require(*PUBLISHERS)
    def decide(approve: int | None, reject: int | None, pick: Any, note: str | None,
               refresh: int | None) -> dict[str, Any]:
        """Approve or reject the chosen draft (the store refuses the drafter)."""
        trigger = callback_context.triggered_id
        if trigger not in (Ids.APPROVE, Ids.REJECT) or not (approve or reject):
            raise PreventUpdate
        try:
            row = store.decide(services().db, _update_id(pick), current_principal(),
                               trigger == Ids.APPROVE, note)
        except REFUSALS as exc:
            return dict(message=_refused(exc), refresh=no_update)
        message = html.Span(f"Update #{row.id} {row.status}.", className="ok")
        return dict(message=message, refresh=(refresh or 0) + 1)


def _register_export(app: Dash) -> None:
    """The export of an approved update."""

    @app.callback(
        output=dict(download=Output(Ids.DOWNLOAD, "data"),
                    message=Output(Ids.EXPORT_MESSAGE, "children")),
        inputs=dict(clicks=Input(Ids.EXPORT, "n_clicks")),
        state=dict(pick=State(Ids.PICK, "value")),
        prevent_initial_call=True,
    )
    @require(*PUBLISHERS)
    def export(clicks: int | None, pick: Any) -> dict[str, Any]:
        """The approved update's files as a zip, recorded as a disclosure to the public."""
        if not clicks:
            raise PreventUpdate
        svc = services()
        try:
            bundle = store.export_update(svc.db, _update_id(pick), current_principal().username,
                                         svc.boundaries)
        except REFUSALS as exc:
            return dict(download=no_update, message=_refused(exc))
        message = f"Downloaded {bundle.stem}.zip (recorded as a disclosure to the public)."
        return dict(download=dcc.send_bytes(bundle.zip_bytes(), f"{bundle.stem}.zip"),
                    message=html.Span(message, className="ok"))
