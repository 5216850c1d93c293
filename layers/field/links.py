"""Which ``team`` account belongs to which team: set by an admin, read on every field request.

A team account without a link sees nothing: the link, not the role alone, decides whose stops
come back, so a mistake in one account can never show another team's plan.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from layers.accounts.errors import AccountError
from layers.accounts.roles import TEAM
from layers.accounts.tables import User
from layers.accounts.users import require_user
from layers.audit import processing_log
from layers.core.errors import RuleError
from layers.field.tables import TeamLink
from layers.planning.models import Team

logger = logging.getLogger(__name__)


class NotLinked(RuleError):
    """A team account that no admin has linked to a team yet."""


def team_by_call_sign(session: Session, call_sign: str) -> Team:
    """The team called ``call_sign`` (case-insensitive); :class:`AccountError` when none."""
    wanted = call_sign.strip().upper()
    for team in session.scalars(select(Team)):
        if team.call_sign.strip().upper() == wanted:
            return team
    raise AccountError(f"no team with call sign {call_sign!r}")


def link_user(session: Session, username: str, call_sign: str, by: str) -> TeamLink:
    """Link the ``team`` account ``username`` to the team ``call_sign`` (replacing any link)."""
    user = require_user(session, username)
    if user.role != TEAM:
        raise AccountError(f"{username} has the {user.role} role; only team accounts are linked")
    team = team_by_call_sign(session, call_sign)
    link = session.get(TeamLink, user.id)
    if link is None:
        link = TeamLink(user_id=user.id, team_id=team.id, linked_by=by)
        session.add(link)
    else:
        link.team_id, link.linked_by = team.id, by
    session.flush()
    processing_log.record(
        session, by, processing_log.ALTERATION,
        f"field: account {username} linked to team {team.call_sign}",
    )
    logger.info("team account %s linked to %s by %s", username, team.call_sign, by)
    return link


def team_of(session: Session, username: str) -> Team:
    """The team the signed-in team account belongs to; :class:`NotLinked` when none."""
    row = session.execute(
        select(Team)
        .join(TeamLink, TeamLink.team_id == Team.id)
        .join(User, User.id == TeamLink.user_id)
        .where(User.username == username, User.role == TEAM)
    ).scalar_one_or_none()
    if row is None:
        raise NotLinked("This account is not linked to a team yet: ask an admin to link it.")
    return row


def links(session: Session) -> dict[str, str]:
    """Every team account's username and its team's call sign (for the admin page)."""
    rows = session.execute(
        select(User.username, Team.call_sign)
        .join(TeamLink, TeamLink.user_id == User.id)
        .join(Team, Team.id == TeamLink.team_id)
    ).all()
    return {name: sign for name, sign in rows}
