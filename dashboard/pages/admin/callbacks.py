"""Callbacks of the admin page. Every one is for admins only, checked on the server.

They are glue: account changes are :mod:`layers.accounts.admin` (which holds the rules, among
them account self-protection), and take effect on the affected user's next request because
:mod:`dashboard.security` re-reads the role and state every time.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from dash import Dash, Input, Output, State, callback_context, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.access import ADMIN, current_principal, require
from dashboard.context import services
from dashboard.oidc import configured_issuer
from dashboard.pages.admin.ids import Ids
from dashboard.pages.admin.layout import LOG_ROWS_SHOWN, log_table, tokens_table, users_table
from dashboard.pages.admin.teams import register_team_links
from layers import accounts
from layers.accounts.admin import (
    AccountAction,
    AccountForm,
    AdminContext,
    TokenAction,
    TokenForm,
    apply_account_action,
    apply_token_action,
)
from layers.accounts.throttling import waiting_addresses
from layers.audit import processing_log
from layers.core.models import utcnow

logger = logging.getLogger(__name__)

EXPORT_LIMIT = 1_000_000
USER_BUTTONS: dict[str, AccountAction] = {
    Ids.ADD: AccountAction.ADD,
    Ids.SET_ROLE: AccountAction.SET_ROLE,
    Ids.DISABLE: AccountAction.DISABLE,
    Ids.ENABLE: AccountAction.ENABLE,
    Ids.UNLOCK: AccountAction.UNLOCK,
    Ids.LINK: AccountAction.LINK,
    Ids.UNLINK: AccountAction.UNLINK,
}
TOKEN_BUTTONS: dict[str, TokenAction] = {
    Ids.KEY_CREATE: TokenAction.CREATE,
    Ids.KEY_REVOKE: TokenAction.REVOKE,
}
USER_FORM = {
    "new_name": State(Ids.NEW_NAME, "value"),
    "new_role": State(Ids.NEW_ROLE, "value"),
    "new_password": State(Ids.NEW_CREDENTIAL, "value"),
    "user": State(Ids.PICK_USER, "value"),
    "role": State(Ids.PICK_ROLE, "value"),
    "subject": State(Ids.SUBJECT, "value"),
}
TOKEN_FORM = {
    "name": State(Ids.KEY_NAME, "value"),
    "user": State(Ids.KEY_USER, "value"),
    "token_id": State(Ids.KEY_REVOKE_ID, "value"),
}
LOG_FILTERS = {
    "user": Ids.LOG_USER, "action": Ids.LOG_ACTION, "since": Ids.LOG_SINCE,
    "until": Ids.LOG_UNTIL, "text": Ids.LOG_TEXT,
}


def _day(value: str | None) -> dt.datetime | None:
    """Midnight UTC of an ISO date from a date input; ``None`` when empty or not a date."""
    try:
        day = dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def log_filter(values: dict[str, str | None], limit: int) -> processing_log.LogFilter:
    """A log filter from the page's controls (dates are whole UTC days, ``until`` inclusive)."""
    end = _day(values.get("until"))
    action = values.get("action")
    return processing_log.LogFilter(
        username=(values.get("user") or "").strip() or None,
        action=action if action in processing_log.ACTIONS else None,
        since=_day(values.get("since")),
        until=end + dt.timedelta(days=1) if end else None,
        text=(values.get("text") or "").strip() or None,
        limit=limit,
    )


def _log_controls(kind: type[Input] | type[State]) -> dict[str, Any]:
    return {key: kind(ident, "value") for key, ident in LOG_FILTERS.items()}


def _context() -> AdminContext:
    return AdminContext(current_principal().username, configured_issuer())


def register_callbacks(app: Dash) -> None:
    """Register the admin page's callbacks on ``app``."""
    _register_accounts(app)
    register_team_links(app)
    _register_tokens(app)
    _register_log(app)


def _register_accounts(app: Dash) -> None:
    @app.callback(
        output={
            "users": Output(Ids.USERS, "children"),
            "names": Output(Ids.PICK_USER, "options"),
            "active": Output(Ids.KEY_USER, "options"),
            "tokens": Output(Ids.TOKENS, "children"),
        },
        inputs={"_refresh": Input(Ids.REFRESH, "data")},
    )
    @require(ADMIN)
    def show_accounts(_refresh: int | None) -> dict[str, Any]:
        with services().db.read() as session:
            users = accounts.list_users(session)
            waiting = waiting_addresses(session, utcnow())
            return {
                "users": users_table(users, waiting),
                "names": [u.username for u in users],
                "active": [u.username for u in users if u.active],
                "tokens": tokens_table(accounts.list_tokens(session)),
            }

    @app.callback(
        output={
            "message": Output(Ids.USER_MESSAGE, "children"),
            "refresh": Output(Ids.REFRESH, "data"),
            "new_credential": Output(Ids.NEW_CREDENTIAL, "value"),
        },
        inputs={"_clicks": {key: Input(key, "n_clicks") for key in USER_BUTTONS}},
        state={"form": USER_FORM, "refresh": State(Ids.REFRESH, "data")},
        prevent_initial_call=True,
    )
    @require(ADMIN)
    def change_users(
        _clicks: dict[str, int | None], form: dict[str, Any], refresh: int | None
    ) -> dict[str, Any]:
        action = USER_BUTTONS.get(str(callback_context.triggered_id))
        if action is None:
            raise PreventUpdate
        request = AccountForm.from_values(form)
        try:
            with services().db.write(bump=False) as session:
                message = apply_account_action(session, action, request, _context())
        except accounts.AccountError as exc:
            error = html.Span(str(exc), className="error")
            return {"message": error, "refresh": no_update, "new_credential": no_update}
        done = html.Span(message, className="ok")
        return {"message": done, "refresh": (refresh or 0) + 1, "new_credential": ""}


def _register_tokens(app: Dash) -> None:
    @app.callback(
        output={
            "message": Output(Ids.KEY_MESSAGE, "children"),
            "refresh": Output(Ids.REFRESH, "data", allow_duplicate=True),
        },
        inputs={"_clicks": {key: Input(key, "n_clicks") for key in TOKEN_BUTTONS}},
        state={"form": TOKEN_FORM, "refresh": State(Ids.REFRESH, "data")},
        prevent_initial_call=True,
    )
    @require(ADMIN)
    def change_tokens(
        _clicks: dict[str, int | None], form: dict[str, Any], refresh: int | None
    ) -> dict[str, Any]:
        action = TOKEN_BUTTONS.get(str(callback_context.triggered_id))
        if action is None:
            raise PreventUpdate
        request = TokenForm.from_values(form)
        try:
            with services().db.write(bump=False) as session:
                outcome = apply_token_action(session, action, request, _context())
        except accounts.AccountError as exc:
            return {"message": html.Span(str(exc), className="error"), "refresh": no_update}
        shown: list[Any] = [outcome.message]
        if outcome.token:
            shown.append(html.Code(outcome.token))
        return {"message": html.Span(shown, className="ok"), "refresh": (refresh or 0) + 1}


def _register_log(app: Dash) -> None:
    @app.callback(
        output={"table": Output(Ids.LOG_TABLE, "children")},
        inputs={"filters": _log_controls(Input), "_refresh": Input(Ids.REFRESH, "data")},
    )
    @require(ADMIN)
    def show_log(filters: dict[str, str | None], _refresh: int | None) -> dict[str, Any]:
        with services().db.read() as session:
            rows = processing_log.entries(session, log_filter(filters, LOG_ROWS_SHOWN))
            return {"table": log_table(rows)}

    @app.callback(
        output={"download": Output(Ids.LOG_DOWNLOAD, "data")},
        inputs={"clicks": Input(Ids.LOG_EXPORT, "n_clicks")},
        state={"filters": _log_controls(State)},
        prevent_initial_call=True,
    )
    @require(ADMIN)
    def export_log(clicks: int | None, filters: dict[str, str | None]) -> dict[str, Any]:
        if not clicks:
            raise PreventUpdate
        actor = current_principal().username
        with services().db.write(bump=False) as session:
            rows = processing_log.entries(session, log_filter(filters, EXPORT_LIMIT))
            body = processing_log.to_csv(rows)
            processing_log.record(
                session, actor, processing_log.DISCLOSURE,
                f"processing log exported as CSV ({len(rows)} entries)",
            )
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        name = f"opsmap-processing-log-{stamp}.csv"
        return {"download": dcc.send_string(body, name, type="text/csv")}
