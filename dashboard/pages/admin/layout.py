"""Layout of the admin page and the tables its callbacks fill in.

The tables are built from plain rows (tuples/dataclasses from :mod:`layers.accounts` and
:mod:`layers.audit.processing_log`), so they can be tested without Dash running.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dash import dcc, html

from dashboard.components.fields import labelled
from dashboard.pages.admin.ids import Ids
from layers.accounts import ROLES, ApiToken, User
from layers.audit.processing_log import ACTIONS, ProcessingLog

LOG_ROWS_SHOWN = 500


def _when(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]], table_id: str) -> html.Table:
    return html.Table(
        [
            html.Thead(html.Tr([html.Th(h) for h in headers])),
            html.Tbody([html.Tr([html.Td(str(c)) for c in row]) for row in rows]),
        ],
        className="admin-table",
        id=f"adm-table-{table_id}",
    )


def _waiting(count: int) -> str:
    if not count:
        return ""
    return f"waiting at {count} address{'es' if count > 1 else ''}"


def users_table(users: Iterable[User], waiting: Mapping[str, int]) -> html.Table:
    """The users: name, role, state, sign-in back-off, single sign-on, last sign-in.

    ``waiting`` counts, per username, the addresses that must wait after failed sign-ins.
    """
    rows = [
        (
            u.username,
            u.role,
            "active" if u.active else "disabled",
            _waiting(waiting.get(u.username, 0)),
            "linked" if u.oidc_subject else "",
            _when(u.last_login_at),
            u.created_by,
        )
        for u in users
    ]
    headers = ("User", "Role", "State", "Sign-in", "Single sign-on", "Last sign-in", "Created by")
    return _table(headers, rows, "users")


def tokens_table(tokens: Iterable[ApiToken]) -> html.Table:
    """The API tokens (never the token itself: only its first characters)."""
    rows = [
        (
            t.id,
            t.name,
            t.user.username,
            t.role or f"{t.user.role} (user's)",
            f"{t.prefix}…",
            _when(t.created_at),
            _when(t.last_used_at),
            "revoked " + _when(t.revoked_at) if t.revoked_at else "active",
        )
        for t in tokens
    ]
    headers = ("Id", "Name", "User", "Role", "Token", "Created", "Last used", "State")
    return _table(headers, rows, "tokens")


def log_table(entries: Iterable[ProcessingLog]) -> html.Table:
    """Processing-log entries, newest first."""
    rows = [
        (
            e.id,
            _when(e.at),
            e.username,
            e.action,
            e.detail,
            e.record_count,
            e.justification or "",
        )
        for e in entries
    ]
    headers = ("Id", "When (UTC)", "User", "Action", "Detail", "Records", "Justification")
    return _table(headers, rows, "log")


def _section(title: str, *children: Any) -> html.Section:
    return html.Section([html.H2(title), *children], className="admin-section")


def _form(*children: Any) -> html.Div:
    return html.Div(list(children), className="admin-form")


def _users_section() -> html.Section:
    role_options = [{"label": r, "value": r} for r in ROLES]
    return _section(
        "Users",
        html.Div(id=Ids.USERS),
        html.H3("Add a user"),
        _form(
            labelled("Username", dcc.Input(id=Ids.NEW_NAME, type="text"), Ids.NEW_NAME),
            labelled("Role", dcc.Dropdown(id=Ids.NEW_ROLE, options=role_options,
                                          placeholder="role", clearable=False), Ids.NEW_ROLE),
            labelled("Password (blank: generate one)",
                     dcc.Input(id=Ids.NEW_CREDENTIAL, type="password",
                               autoComplete="new-password"), Ids.NEW_CREDENTIAL),
            html.Button("Add user", id=Ids.ADD),
        ),
        html.H3("Change a user"),
        _form(
            labelled("User", dcc.Dropdown(id=Ids.PICK_USER, placeholder="user"), Ids.PICK_USER),
            labelled("New role", dcc.Dropdown(id=Ids.PICK_ROLE, options=role_options,
                                              placeholder="new role"), Ids.PICK_ROLE),
            html.Button("Set role", id=Ids.SET_ROLE),
            html.Button("Disable", id=Ids.DISABLE, className="danger"),
            html.Button("Enable", id=Ids.ENABLE),
            html.Button("Unlock sign-in", id=Ids.UNLOCK),
        ),
        _form(
            labelled("Single sign-on subject (sub) at the provider",
                     dcc.Input(id=Ids.SUBJECT, type="text", maxLength=255), Ids.SUBJECT),
            html.Button("Link single sign-on", id=Ids.LINK),
            html.Button("Unlink", id=Ids.UNLINK),
        ),
        _form(
            labelled("Team call sign (team accounts)",
                     dcc.Input(id=Ids.TEAM_SIGN, type="text", maxLength=40), Ids.TEAM_SIGN),
            html.Button("Link to team", id=Ids.TEAM_LINK),
            html.Div(id=Ids.TEAM_MESSAGE, role="status"),
        ),
        html.Div(id=Ids.USER_MESSAGE, role="status"),
    )


def _tokens_section() -> html.Section:
    return _section(
        "API tokens",
        html.Div(id=Ids.TOKENS),
        _form(
            labelled("Token name", dcc.Input(id=Ids.KEY_NAME, type="text"), Ids.KEY_NAME),
            labelled("For user", dcc.Dropdown(id=Ids.KEY_USER, placeholder="user"), Ids.KEY_USER),
            html.Button("Create token", id=Ids.KEY_CREATE),
            labelled("Token id", dcc.Input(id=Ids.KEY_REVOKE_ID, type="number", min=1),
                     Ids.KEY_REVOKE_ID),
            html.Button("Revoke token", id=Ids.KEY_REVOKE, className="danger"),
        ),
        html.Div(id=Ids.KEY_MESSAGE, role="status"),
    )


def _log_section() -> html.Section:
    return _section(
        "Lawful-processing log",
        _form(
            labelled("User", dcc.Input(id=Ids.LOG_USER, type="text", debounce=True),
                     Ids.LOG_USER),
            labelled("Action", dcc.Dropdown(id=Ids.LOG_ACTION, options=list(ACTIONS),
                                            placeholder="any"), Ids.LOG_ACTION),
            labelled("From (UTC day)", dcc.Input(id=Ids.LOG_SINCE, type="date"), Ids.LOG_SINCE),
            labelled("Until (UTC day)", dcc.Input(id=Ids.LOG_UNTIL, type="date"), Ids.LOG_UNTIL),
            labelled("Detail contains", dcc.Input(id=Ids.LOG_TEXT, type="text", debounce=True),
                     Ids.LOG_TEXT),
            html.Button("Export CSV", id=Ids.LOG_EXPORT),
            dcc.Download(id=Ids.LOG_DOWNLOAD),
        ),
        html.P(f"The newest {LOG_ROWS_SHOWN} matching entries; the export has them all."),
        html.Div(id=Ids.LOG_TABLE),
    )


def layout(**_query: str) -> html.Div:
    """The admin page (the page wrapper has already checked the admin role)."""
    return html.Div(
        [
            dcc.Store(id=Ids.REFRESH, data=0),
            html.H1("Administration"),
            _users_section(),
            _tokens_section(),
            _log_section(),
        ],
        className="admin-page",
    )
