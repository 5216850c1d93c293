"""Callbacks of the admin page. Every one is for admins only, checked on the server.

Account changes go through :mod:`layers.accounts`; they take effect on the affected user's next
request because :mod:`dashboard.security` re-reads the role and state every time.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from dash import Dash, Input, Output, State, callback_context, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.access import ADMIN, current_principal, require
from dashboard.context import services
from dashboard.pages.admin.ids import Ids
from dashboard.pages.admin.layout import LOG_ROWS_SHOWN, log_table, tokens_table, users_table
from layers import accounts
from layers.audit import processing_log

logger = logging.getLogger(__name__)

EXPORT_LIMIT = 1_000_000


def log_filter(
    user: str | None,
    action: str | None,
    since: str | None,
    until: str | None,
    text: str | None,
    limit: int,
) -> processing_log.LogFilter:
    """A log filter from the page's controls (dates are whole UTC days, ``until`` inclusive)."""

    def day(value: str | None) -> dt.datetime | None:
        if not value:
            return None
        return dt.datetime.combine(dt.date.fromisoformat(value[:10]), dt.time(), tzinfo=dt.UTC)

    end = day(until)
    return processing_log.LogFilter(
        username=(user or "").strip() or None,
        action=action if action in processing_log.ACTIONS else None,
        since=day(since),
        until=end + dt.timedelta(days=1) if end else None,
        text=(text or "").strip() or None,
        limit=limit,
    )


def apply_user_action(trigger: str, values: dict[str, Any], actor: str) -> str:
    """Carry out one user-management button press; returns the message to show."""
    db = services().db
    name = values.get("pick_user")
    if trigger == Ids.ADD:
        new_name = (values.get("new_name") or "").strip()
        role = values.get("new_role")
        if not new_name or not role:
            raise accounts.AccountError("give a username and a role")
        password = values.get("new_password") or accounts.generate_password()
        with db.write(bump=False) as session:
            accounts.create_user(session, new_name, role, password, created_by=actor)
        if values.get("new_password"):
            return f"Added {new_name} ({role})."
        return f"Added {new_name} ({role}). One-time password, pass it on securely: {password}"
    if not name:
        raise accounts.AccountError("choose a user first")
    if name == actor and trigger in (Ids.SET_ROLE, Ids.DISABLE):
        raise accounts.AccountError("you cannot change or disable your own account here")
    with db.write(bump=False) as session:
        if trigger == Ids.SET_ROLE:
            role = values.get("pick_role")
            if not role:
                raise accounts.AccountError("choose the new role")
            accounts.set_role(session, name, role, by=actor)
            return f"{name} now has the {role} role."
        if trigger == Ids.DISABLE:
            accounts.disable_user(session, name, by=actor)
            return f"{name} is disabled; their sessions have ended."
        accounts.enable_user(session, name, by=actor)
        return f"{name} is enabled."


def register_callbacks(app: Dash) -> None:
    """Register the admin page's callbacks on ``app``."""

    @app.callback(
        Output(Ids.USERS, "children"),
        Output(Ids.PICK_USER, "options"),
        Output(Ids.KEY_USER, "options"),
        Output(Ids.TOKENS, "children"),
        Input(Ids.REFRESH, "data"),
    )
    @require(ADMIN)
    def show_accounts(_refresh: int) -> tuple[Any, ...]:
        with services().db.read() as session:
            users = accounts.list_users(session)
            tokens = accounts.list_tokens(session)
            names = [u.username for u in users]
            active = [u.username for u in users if u.active]
            return users_table(users), names, active, tokens_table(tokens)

    @app.callback(
        Output(Ids.USER_MESSAGE, "children"),
        Output(Ids.REFRESH, "data"),
        Output(Ids.NEW_CREDENTIAL, "value"),
        Input(Ids.ADD, "n_clicks"),
        Input(Ids.SET_ROLE, "n_clicks"),
        Input(Ids.DISABLE, "n_clicks"),
        Input(Ids.ENABLE, "n_clicks"),
        State(Ids.NEW_NAME, "value"),
        State(Ids.NEW_ROLE, "value"),
        State(Ids.NEW_CREDENTIAL, "value"),
        State(Ids.PICK_USER, "value"),
        State(Ids.PICK_ROLE, "value"),
        State(Ids.REFRESH, "data"),
        prevent_initial_call=True,
    )
    @require(ADMIN)
    def change_users(
        _add: int | None, _role: int | None, _disable: int | None, _enable: int | None,
        new_name: str | None, new_role: str | None, new_password: str | None,
        pick_user: str | None, pick_role: str | None, refresh: int | None,
    ) -> tuple[Any, Any, Any]:
        trigger = callback_context.triggered_id
        if trigger not in (Ids.ADD, Ids.SET_ROLE, Ids.DISABLE, Ids.ENABLE):
            raise PreventUpdate
        values = {
            "new_name": new_name, "new_role": new_role, "new_password": new_password,
            "pick_user": pick_user, "pick_role": pick_role,
        }
        try:
            message = apply_user_action(trigger, values, current_principal().username)
        except accounts.AccountError as exc:
            return html.Span(str(exc), className="error"), no_update, no_update
        return html.Span(message, className="ok"), (refresh or 0) + 1, ""

    @app.callback(
        Output(Ids.KEY_MESSAGE, "children"),
        Output(Ids.REFRESH, "data", allow_duplicate=True),
        Input(Ids.KEY_CREATE, "n_clicks"),
        Input(Ids.KEY_REVOKE, "n_clicks"),
        State(Ids.KEY_NAME, "value"),
        State(Ids.KEY_USER, "value"),
        State(Ids.KEY_REVOKE_ID, "value"),
        State(Ids.REFRESH, "data"),
        prevent_initial_call=True,
    )
    @require(ADMIN)
    def change_tokens(
        _create: int | None, _revoke: int | None, name: str | None, user: str | None,
        token_id: int | None, refresh: int | None,
    ) -> tuple[Any, Any]:
        actor = current_principal().username
        trigger = callback_context.triggered_id
        try:
            with services().db.write(bump=False) as session:
                if trigger == Ids.KEY_CREATE:
                    if not user:
                        raise accounts.AccountError("choose the user the token acts as")
                    row, token = accounts.create_token(session, name or "", user,
                                                       created_by=actor)
                    message: Any = [
                        f"Token {row.id} created for {user}. Copy it now, it is shown once: ",
                        html.Code(token),
                    ]
                elif trigger == Ids.KEY_REVOKE and token_id:
                    accounts.revoke_token(session, int(token_id), by=actor)
                    message = f"Token {int(token_id)} revoked."
                else:
                    raise PreventUpdate
        except accounts.AccountError as exc:
            return html.Span(str(exc), className="error"), no_update
        return html.Span(message, className="ok"), (refresh or 0) + 1

    filters = (
        Input(Ids.LOG_USER, "value"),
        Input(Ids.LOG_ACTION, "value"),
        Input(Ids.LOG_SINCE, "date"),
        Input(Ids.LOG_UNTIL, "date"),
        Input(Ids.LOG_TEXT, "value"),
    )

    @app.callback(Output(Ids.LOG_TABLE, "children"), *filters, Input(Ids.REFRESH, "data"))
    @require(ADMIN)
    def show_log(
        user: str | None, action: str | None, since: str | None, until: str | None,
        text: str | None, _refresh: int | None,
    ) -> html.Table:
        flt = log_filter(user, action, since, until, text, LOG_ROWS_SHOWN)
        with services().db.read() as session:
            return log_table(processing_log.entries(session, flt))

    @app.callback(
        Output(Ids.LOG_DOWNLOAD, "data"),
        Input(Ids.LOG_EXPORT, "n_clicks"),
        *[State(i.component_id, i.component_property) for i in filters],
        prevent_initial_call=True,
    )
    @require(ADMIN)
    def export_log(
        clicks: int | None, user: str | None, action: str | None, since: str | None,
        until: str | None, text: str | None,
    ) -> dict[str, Any]:
        if not clicks:
            raise PreventUpdate
        actor = current_principal().username
        flt = log_filter(user, action, since, until, text, EXPORT_LIMIT)
        with services().db.write(bump=False) as session:
            rows = processing_log.entries(session, flt)
            body = processing_log.to_csv(rows)
            processing_log.record(
                session, actor, processing_log.DISCLOSURE,
                f"processing log exported as CSV ({len(rows)} entries)",
            )
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        return dcc.send_string(body, f"opsmap-processing-log-{stamp}.csv", type="text/csv")
