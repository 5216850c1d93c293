"""The domain's error families, so every front end (HTTP, Dash, CLI) maps them the same way.

- :class:`NotFound`: the record does not exist (HTTP 404).
- :class:`Conflict`: a change was based on a version a colleague has already changed (409); it
  says who changed what, so the user can decide.
- :class:`NotPermitted`: the caller may not make this change, e.g. undo someone else's import
  (403).
- :class:`RuleError`: a change the rules refuse, e.g. a status transition or a plan change that
  cannot be made (422). A plain ``ValueError`` is input that is malformed (400).
"""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


class NotFound(LookupError):
    """No record with that id."""


class Conflict(Exception):
    """Base of every optimistic-version conflict: subclasses say who changed what."""

    def message(self) -> str:
        """What happened, in the user's words."""
        raise NotImplementedError

    def as_dict(self) -> dict[str, Any]:
        """The conflict as a JSON body."""
        raise NotImplementedError


class NotPermitted(Exception):
    """The caller's role or ownership does not allow this change."""


class RuleError(ValueError):
    """Input that is well formed but refused by a rule of the operation."""


def found(record: T | None, missing: Exception) -> T:
    """``record``, or ``missing`` raised when the lookup found nothing: one spelling of
    "this record must exist" for every store (``missing`` is usually a :class:`NotFound`)."""
    if record is None:
        raise missing
    return record
