"""What the admin page's account and token buttons do, as typed functions the page only calls.

Each action takes the form's values and the signed-in admin, applies the account rules (among
them :mod:`layers.accounts.protection`) and returns the message to show, or raises
:class:`AccountError` with one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from layers.accounts import lifecycle, passwords, single_sign_on, tokens, users
from layers.accounts.errors import AccountError
from layers.accounts.tokens import MAX_ID


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


class AccountAction(StrEnum):
    """The user-management buttons of the admin page."""

    ADD = "add"
    SET_ROLE = "set role"
    DISABLE = "disable"
    ENABLE = "enable"
    UNLOCK = "unlock"
    LINK = "link"
    UNLINK = "unlink"


@dataclass(frozen=True)
class AccountForm:
    """The admin page's user form: a new user's fields, or the user picked and what to set."""

    new_name: str | None = None
    new_role: str | None = None
    new_password: str | None = None
    user: str | None = None
    role: str | None = None
    subject: str | None = None

    @classmethod
    def from_values(cls, values: Mapping[str, object]) -> AccountForm:
        """The form from a page's values; anything but text (a crafted request) counts as empty."""
        return cls(**{key: _text(values.get(key)) for key in cls.__dataclass_fields__})


@dataclass(frozen=True)
class AdminContext:
    """Who is acting, and the single sign-on issuer (``None`` when it is not configured)."""

    actor: str
    issuer: str | None = None


def _add(session: Session, form: AccountForm, ctx: AdminContext) -> str:
    name = (form.new_name or "").strip()
    if not name or not form.new_role:
        raise AccountError("give a username and a role")
    password = form.new_password or passwords.generate_password()
    users.create_user(session, name, form.new_role, password, created_by=ctx.actor)
    if form.new_password:
        return f"Added {name} ({form.new_role})."
    return f"Added {name} ({form.new_role}). One-time password, pass it on securely: {password}"


def _set_role(session: Session, name: str, form: AccountForm, ctx: AdminContext) -> str:
    if not form.role:
        raise AccountError("choose the new role")
    users.set_role(session, name, form.role, by=ctx.actor)
    return f"{name} now has the {form.role} role."


def _disable(session: Session, name: str, _form: AccountForm, ctx: AdminContext) -> str:
    lifecycle.disable_user(session, name, by=ctx.actor)
    return f"{name} is disabled; their sessions have ended and their API tokens are revoked."


def _enable(session: Session, name: str, _form: AccountForm, ctx: AdminContext) -> str:
    lifecycle.enable_user(session, name, by=ctx.actor)
    return f"{name} is enabled."


def _unlock(session: Session, name: str, _form: AccountForm, ctx: AdminContext) -> str:
    cleared = lifecycle.unlock_user(session, name, by=ctx.actor)
    return f"{name} may sign in again at once ({cleared} address(es) were waiting)."


def _link(session: Session, name: str, form: AccountForm, ctx: AdminContext) -> str:
    if ctx.issuer is None:
        raise AccountError("single sign-on is not configured")
    subject = (form.subject or "").strip()
    if not subject:
        raise AccountError("give the person's subject identifier (sub) at the provider")
    single_sign_on.link_subject(session, name, ctx.issuer, subject, by=ctx.actor)
    return f"{name} is linked to single sign-on subject {subject}."


def _unlink(session: Session, name: str, _form: AccountForm, ctx: AdminContext) -> str:
    single_sign_on.unlink_subject(session, name, by=ctx.actor)
    return f"{name} is no longer linked to single sign-on."


_ON_PICKED_USER: dict[AccountAction, Callable[[Session, str, AccountForm, AdminContext], str]] = {
    AccountAction.SET_ROLE: _set_role,
    AccountAction.DISABLE: _disable,
    AccountAction.ENABLE: _enable,
    AccountAction.UNLOCK: _unlock,
    AccountAction.LINK: _link,
    AccountAction.UNLINK: _unlink,
}


def apply_account_action(
    session: Session, action: AccountAction, form: AccountForm, ctx: AdminContext
) -> str:
    """Carry out one button press; returns the message, or raises :class:`AccountError`."""
    if action is AccountAction.ADD:
        return _add(session, form, ctx)
    if not form.user:
        raise AccountError("choose a user first")
    return _ON_PICKED_USER[action](session, form.user, form, ctx)


class TokenAction(StrEnum):
    """The API-token buttons of the admin page."""

    CREATE = "create"
    REVOKE = "revoke"


@dataclass(frozen=True)
class TokenForm:
    """The admin page's token form: a new token's name and user, or the id to revoke."""

    name: str | None = None
    user: str | None = None
    token_id: float | str | None = None

    @classmethod
    def from_values(cls, values: Mapping[str, object]) -> TokenForm:
        """The form from a page's values; anything of the wrong type counts as empty."""
        raw_id = values.get("token_id")
        number: float | str | None = None
        if isinstance(raw_id, int | float | str) and not isinstance(raw_id, bool):
            number = raw_id
        return cls(_text(values.get("name")), _text(values.get("user")), number)


@dataclass(frozen=True)
class TokenOutcome:
    """What to tell the admin; ``token`` is a new token, shown this once only."""

    message: str
    token: str | None = None


def token_id_of(value: float | str | None) -> int:
    """The whole-number id typed on the page; :class:`AccountError` for anything else."""
    try:
        number = float(value) if value is not None and value != "" else None
    except ValueError:
        number = None
    if number is None or not number.is_integer() or not 0 < number <= MAX_ID:
        raise AccountError("give the id of the token to revoke (a whole number from the table)")
    return int(number)


def apply_token_action(
    session: Session, action: TokenAction, form: TokenForm, ctx: AdminContext
) -> TokenOutcome:
    """Create or revoke an API token for one button press."""
    if action is TokenAction.REVOKE:
        token_id = token_id_of(form.token_id)
        tokens.revoke_token(session, token_id, by=ctx.actor)
        return TokenOutcome(f"Token {token_id} revoked.")
    if not form.user:
        raise AccountError("choose the user the token acts as")
    row, token = tokens.create_token(session, form.name or "", form.user, created_by=ctx.actor)
    return TokenOutcome(
        f"Token {row.id} created for {form.user}. Copy it now, it is shown once: ", token
    )
