"""Accounts: users, server-side sessions, API tokens, sign-in throttling and single sign-on.

Where each part lives:

- :mod:`.tables` — the tables (users, sessions, tokens, attempts, back-off);
- :mod:`.roles` — the roles and :class:`Identity`; :mod:`.errors` — :class:`AccountError`;
- :mod:`.passwords` — argon2id hashing and the password policy;
- :mod:`.users` — create, find, list, change role or password;
- :mod:`.lifecycle` — disable, enable, unlock; :mod:`.protection` — self-protection rules;
- :mod:`.sessions`, :mod:`.tokens` — browser sessions and API tokens (hashes only);
- :mod:`.signin` and :mod:`.throttling` — password sign-in and its per-address back-off;
- :mod:`.single_sign_on` — (issuer, sub) bindings; :mod:`.admin` — the admin page's actions.

Every function takes a SQLAlchemy ``Session`` and never commits: the caller's transaction
decides. This package re-exports the API its callers (:mod:`dashboard.security`,
:mod:`dashboard.login`, :mod:`cli.accounts`, the admin page) use.
"""

from layers.accounts.errors import AccountError
from layers.accounts.lifecycle import disable_user, enable_user, unlock_user
from layers.accounts.passwords import generate_password
from layers.accounts.roles import ADMIN, BRIEFING, ROLES, TEAM, Identity
from layers.accounts.sessions import (
    create_session,
    revoke_session,
    revoke_user_sessions,
    validate_session,
)
from layers.accounts.signin import authenticate
from layers.accounts.single_sign_on import (
    OidcSettings,
    link_subject,
    sso_identity,
    unlink_subject,
)
from layers.accounts.tables import ApiToken, LoginAttempt, SignInBackoff, User, UserSession
from layers.accounts.throttling import MAX_FAILURES, MAX_FAILURES_PER_SOURCE
from layers.accounts.tokens import (
    create_token,
    list_tokens,
    revoke_token,
    validate_token,
)
from layers.accounts.users import (
    count_users,
    create_user,
    get_user,
    list_users,
    set_password,
    set_role,
)

__all__ = [
    "ADMIN",
    "BRIEFING",
    "MAX_FAILURES",
    "MAX_FAILURES_PER_SOURCE",
    "ROLES",
    "TEAM",
    "AccountError",
    "ApiToken",
    "Identity",
    "LoginAttempt",
    "OidcSettings",
    "SignInBackoff",
    "User",
    "UserSession",
    "authenticate",
    "count_users",
    "create_session",
    "create_token",
    "create_user",
    "disable_user",
    "enable_user",
    "generate_password",
    "get_user",
    "link_subject",
    "list_tokens",
    "list_users",
    "revoke_session",
    "revoke_token",
    "revoke_user_sessions",
    "set_password",
    "set_role",
    "sso_identity",
    "unlink_subject",
    "unlock_user",
    "validate_session",
    "validate_token",
]
