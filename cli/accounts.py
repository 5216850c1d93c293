"""CLI commands for accounts and API tokens: ``users ...`` and ``tokens ...``.

There is never a default password: ``users add`` reads one from a prompt (or stdin for scripted
set-up), and ``users bootstrap`` / ``users demo`` generate random ones and print them once.
Passwords and tokens are printed to stdout only, never logged.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Callable

from config import Config
from layers import accounts
from layers.accounts.single_sign_on import OidcSettings
from layers.core.db import Database

logger = logging.getLogger(__name__)

CLI_ACTOR = "cli"


def _db() -> Database:
    return Database(Config.from_env().database_url)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``users`` and ``tokens`` to the CLI."""
    _register_users(sub)
    _register_tokens(sub)


def _register_users(sub: argparse._SubParsersAction) -> None:
    users = sub.add_parser("users", help="user accounts (add, list, disable, bootstrap, demo)")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="add a user (password from a prompt or stdin)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=accounts.ROLES)
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of stdin")
    add.add_argument("--team", default=None, metavar="CALL_SIGN",
                     help="the team a team account belongs to (required with --role team)")
    add.set_defaults(handler=cmd_users_add)
    team = users_sub.add_parser("team", help="link a team account to a team by call sign")
    team.add_argument("name")
    team.add_argument("call_sign")
    team.set_defaults(handler=cmd_users_team)
    users_sub.add_parser("list", help="list users").set_defaults(handler=cmd_users_list)
    by_name: tuple[tuple[str, str, Callable[[argparse.Namespace], int]], ...] = (
        ("disable", "disable a user: end their sessions, revoke their API tokens",
         cmd_users_disable),
        ("enable", "re-enable a user (their old API tokens stay revoked)", cmd_users_enable),
        ("unlock", "let a user sign in again at once after failed attempts", cmd_users_unlock),
        ("unlink", "remove a user's single sign-on link", cmd_users_unlink),
    )
    for command, help_text, handler in by_name:
        parser = users_sub.add_parser(command, help=help_text)
        parser.add_argument("name")
        parser.set_defaults(handler=handler)
    link = users_sub.add_parser("link", help="link a user to a single sign-on subject (sub)")
    link.add_argument("name")
    link.add_argument("subject", help="the person's subject identifier (sub) at the provider")
    link.add_argument("--issuer", default=None, help="the provider (default: OPSMAP_OIDC_ISSUER)")
    link.set_defaults(handler=cmd_users_link)
    role = users_sub.add_parser("role", help="change a user's role")
    role.add_argument("name")
    role.add_argument("role", choices=accounts.ROLES)
    role.set_defaults(handler=cmd_users_role)
    password = users_sub.add_parser("password", help="set a new password (ends sessions)")
    password.add_argument("name")
    password.add_argument("--password-stdin", action="store_true",
                          help="read the password from the first line of stdin")
    password.set_defaults(handler=cmd_users_password)
    users_sub.add_parser(
        "bootstrap", help="first run only: create 'admin' with a one-time password"
    ).set_defaults(handler=cmd_users_bootstrap)
    users_sub.add_parser(
        "demo", help="create one demo user per role with random passwords"
    ).set_defaults(handler=cmd_users_demo)


def _register_tokens(sub: argparse._SubParsersAction) -> None:
    tokens = sub.add_parser("tokens", help="API tokens for scripts (create, list, revoke)")
    tokens_sub = tokens.add_subparsers(dest="tokens_command", required=True)
    create = tokens_sub.add_parser("create", help="create a token (printed once)")
    create.add_argument("name")
    create.add_argument("--user", required=True, help="the user the token acts as")
    create.add_argument("--role", choices=accounts.ROLES, default=None,
                        help="scope the token to a role (the user's role or briefing)")
    create.set_defaults(handler=cmd_tokens_create)
    tokens_sub.add_parser("list", help="list tokens").set_defaults(handler=cmd_tokens_list)
    revoke = tokens_sub.add_parser("revoke", help="revoke a token by id")
    revoke.add_argument("id", type=int)
    revoke.set_defaults(handler=cmd_tokens_revoke)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise accounts.AccountError("the passwords differ")
    return first


def _run(action: Callable[[], None]) -> int:
    try:
        action()
    except ValueError as exc:  # AccountError, or single sign-on settings that are incomplete
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    """``users add NAME --role ROLE [--team CALL_SIGN] [--password-stdin]``.

    A team account and its link are created in one transaction: never a team account that
    belongs to no team.
    """
    from layers.field.links import link_user

    def act() -> None:
        if (args.role == accounts.TEAM) != (args.team is not None):
            raise accounts.AccountError("--team CALL_SIGN goes with --role team, and only with it")
        password = _read_password(args.password_stdin)
        with _db().write(bump=False) as session:
            accounts.create_user(session, args.name, args.role, password, created_by=CLI_ACTOR)
            if args.team is not None:
                link_user(session, args.name, args.team, CLI_ACTOR)
        team = f" in team {args.team}" if args.team else ""
        print(f"user {args.name} added with role {args.role}{team}")

    return _run(act)


def cmd_users_team(args: argparse.Namespace) -> int:
    """``users team NAME CALL_SIGN``: move a team account to another team."""
    from layers.field.links import link_user

    def act() -> None:
        with _db().write(bump=False) as session:
            link_user(session, args.name, args.call_sign, CLI_ACTOR)
        print(f"user {args.name} now belongs to team {args.call_sign}")

    return _run(act)


def cmd_users_list(_args: argparse.Namespace) -> int:
    """``users list``: name, role, state."""
    with _db().read() as session:
        users = accounts.list_users(session)
        for user in users:
            state = "active" if user.active else "disabled"
            print(f"{user.username:<30} {user.role:<10} {state}")
    if not users:
        print("no users yet (run: python app.py users bootstrap)")
    return 0


def cmd_users_disable(args: argparse.Namespace) -> int:
    """``users disable NAME``: the account's sessions end at once."""

    def act() -> None:
        with _db().write(bump=False) as session:
            accounts.disable_user(session, args.name)
        print(f"user {args.name} disabled; their sessions have ended and API tokens are revoked")

    return _run(act)


def cmd_users_enable(args: argparse.Namespace) -> int:
    """``users enable NAME``."""

    def act() -> None:
        with _db().write(bump=False) as session:
            accounts.enable_user(session, args.name)
        print(f"user {args.name} enabled")

    return _run(act)


def cmd_users_unlock(args: argparse.Namespace) -> int:
    """``users unlock NAME``: clear the sign-in back-off at every address."""

    def act() -> None:
        with _db().write(bump=False) as session:
            cleared = accounts.unlock_user(session, args.name)
        print(f"user {args.name} may sign in again ({cleared} address(es) were waiting)")

    return _run(act)


def cmd_users_link(args: argparse.Namespace) -> int:
    """``users link NAME SUBJECT [--issuer URL]``: bind the account to a provider identity."""

    def act() -> None:
        issuer = args.issuer
        if issuer is None:
            settings = OidcSettings.from_env()
            if settings is None:
                raise accounts.AccountError("single sign-on is not configured: give --issuer")
            issuer = settings.issuer
        with _db().write(bump=False) as session:
            accounts.link_subject(session, args.name, issuer, args.subject)
        print(f"user {args.name} linked to single sign-on subject {args.subject} of {issuer}")

    return _run(act)


def cmd_users_unlink(args: argparse.Namespace) -> int:
    """``users unlink NAME``."""

    def act() -> None:
        with _db().write(bump=False) as session:
            accounts.unlink_subject(session, args.name)
        print(f"user {args.name} is no longer linked to single sign-on")

    return _run(act)


def cmd_users_role(args: argparse.Namespace) -> int:
    """``users role NAME ROLE``."""

    def act() -> None:
        with _db().write(bump=False) as session:
            accounts.set_role(session, args.name, args.role)
        print(f"user {args.name} now has role {args.role}")

    return _run(act)


def cmd_users_password(args: argparse.Namespace) -> int:
    """``users password NAME [--password-stdin]``: also clears the sign-in back-off."""

    def act() -> None:
        password = _read_password(args.password_stdin)
        with _db().write(bump=False) as session:
            accounts.set_password(session, args.name, password)
        print(f"password of {args.name} changed; their sessions have ended")

    return _run(act)


def cmd_users_bootstrap(_args: argparse.Namespace) -> int:
    """On a first run with no users, create ``admin`` and print its one-time password."""
    with _db().write(bump=False) as session:
        if accounts.count_users(session) > 0:
            logger.info("users exist already; nothing to bootstrap")
            return 0
        password = accounts.generate_password()
        accounts.create_user(session, "admin", accounts.ADMIN, password, created_by=CLI_ACTOR)
    print("=" * 64)
    print("First run: created the administrator account. Shown only this once:")
    print("  username: admin")
    print(f"  password: {password}")
    print("Sign in at /login, then add named accounts for each officer (Admin page).")
    print("=" * 64, flush=True)
    return 0


def cmd_users_demo(_args: argparse.Namespace) -> int:
    """Create ``demo-<role>`` for each role that lacks one and print the random passwords."""
    created: list[tuple[str, str, str]] = []
    with _db().write(bump=False) as session:
        for role in accounts.ROLES:
            name = f"demo-{role}"
            if accounts.get_user(session, name) is not None:
                continue
            password = accounts.generate_password()
            accounts.create_user(session, name, role, password, created_by=CLI_ACTOR)
            created.append((name, role, password))
    if not created:
        print("demo users exist already (their passwords were shown when created)")
    for name, role, password in created:
        print(f"{name:<18} role {role:<10} password {password}")
        if role == accounts.TEAM:
            print(f"  (sees nothing until linked: users team {name} CALL_SIGN)")
    return 0


def cmd_tokens_create(args: argparse.Namespace) -> int:
    """``tokens create NAME --user USER``: prints the token once."""

    def act() -> None:
        with _db().write(bump=False) as session:
            row, token = accounts.create_token(
                session, args.name, args.user, role=args.role, created_by=CLI_ACTOR
            )
            token_id = row.id
        print(f"token {token_id} ({args.name}) for {args.user}. Shown only this once:")
        print(token)

    return _run(act)


def cmd_tokens_list(_args: argparse.Namespace) -> int:
    """``tokens list``: id, name, user, role, state (never the tokens)."""
    with _db().read() as session:
        for row in accounts.list_tokens(session):
            state = "revoked" if row.revoked_at else "active"
            role = row.role or f"({row.user.role})"
            print(f"{row.id:>4} {row.name:<24} {row.user.username:<20} {role:<12} "
                  f"{row.prefix}… {state}")
    return 0


def cmd_tokens_revoke(args: argparse.Namespace) -> int:
    """``tokens revoke ID``."""

    def act() -> None:
        with _db().write(bump=False) as session:
            accounts.revoke_token(session, args.id)
        print(f"token {args.id} revoked")

    return _run(act)
