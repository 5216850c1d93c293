"""The roles an account may hold, and :class:`Identity`: who a request acts as, with which role."""

from __future__ import annotations

from dataclasses import dataclass

from layers.accounts.errors import AccountError

ADMIN = "admin"
BRIEFING = "briefing"
TEAM = "team"
"""A visiting team's phone: its own stops for today's shift, and nothing else (issue 14)."""
ROLES: tuple[str, ...] = (ADMIN, "commander", "analyst", BRIEFING, TEAM)
"""Kept equal to :data:`dashboard.access.ROLES` (a test checks); layers do not import dashboard."""


@dataclass(frozen=True)
class Identity:
    """Who a valid session or token belongs to, with their role as of now."""

    username: str
    role: str
    user_id: int


def check_role(role: str) -> str:
    """``role`` itself when it is one of :data:`ROLES`; otherwise :class:`AccountError`."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    return role
