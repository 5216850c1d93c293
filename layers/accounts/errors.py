"""The one error an account operation raises, so the admin page and the CLI show it the same way."""

from __future__ import annotations

from layers.core.errors import RuleError


class AccountError(RuleError):
    """A refused account operation, with a message safe to show to an administrator."""
