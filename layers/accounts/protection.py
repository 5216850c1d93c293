"""Account self-protection: the changes an admin may not make, whichever screen they use.

Two rules, so the force can never lock itself out of its own system:

- an admin cannot disable their own account or change their own role (another admin can);
- the last enabled admin cannot be disabled or given another role.

The command line (``by`` is ``None``) is the recovery path for an operator with the database,
so only the last-admin rule applies to it.
"""

from __future__ import annotations

from layers.accounts.errors import AccountError
from layers.accounts.roles import ADMIN
from layers.accounts.tables import User


def check_change(
    by: str | None,
    target: User,
    *,
    disable: bool = False,
    new_role: str | None = None,
    active_admins: int,
) -> None:
    """Refuse disabling ``target`` or giving it ``new_role`` when a rule above forbids it.

    ``by`` is the signed-in admin making the change (``None`` for the command line);
    ``active_admins`` is how many enabled admins there are now, ``target`` included.
    """
    changes_role = new_role is not None and new_role != target.role
    if by is not None and by == target.username:
        if disable:
            raise AccountError("you cannot disable your own account; ask another admin")
        if changes_role:
            raise AccountError("you cannot change your own role; ask another admin")
    removes_admin = target.role == ADMIN and target.active and (disable or changes_role)
    if removes_admin and active_admins <= 1:
        raise AccountError(
            f"{target.username} is the last enabled admin; make another admin first"
        )
