"""The one way a Dash page runs a change and words its failure, so every page says it alike.

The domain raises its error families (:mod:`layers.core.errors`); the API maps them to HTTP
(:mod:`dashboard.api.errors`) and the pages map them here: a colleague's change is shown as the
domain words it (who, when, what), a refused rule or malformed input as "Not saved: ...". After
a conflict or a missing record the data has moved, so the page redraws; after a refusal it has
not, and the user's input stays where it is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from dash import html
from sqlalchemy.orm import Session

from layers.core.db import Database
from layers.core.errors import Conflict, NotFound, RuleError
from layers.planning.errors import NothingToDo

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Feedback:
    """What to tell the user after a change, and whether the data may have moved."""

    text: str
    ok: bool
    changed: bool

    def toast(self) -> html.Div:
        """The message as the pages show it (green when done, red when not)."""
        return html.Div(self.text, className="toast-ok" if self.ok else "toast-error")


def failure(exc: Exception) -> Feedback:
    """The feedback for a domain error (re-raises anything that is not one)."""
    if isinstance(exc, Conflict):
        return Feedback(exc.message(), ok=False, changed=True)
    if isinstance(exc, NothingToDo):
        return Feedback(f"{exc}.", ok=False, changed=False)
    if isinstance(exc, NotFound):
        return Feedback(f"Not saved: {exc}.", ok=False, changed=True)
    if isinstance(exc, RuleError | ValueError):
        return Feedback(f"Not saved: {exc}.", ok=False, changed=False)
    raise exc


def run_change(db: Database, work: Callable[[Session], str]) -> Feedback:
    """Run ``work(session)`` in one write transaction; its return value is the success message."""
    try:
        with db.write() as session:
            return Feedback(work(session), ok=True, changed=True)
    except (Conflict, NotFound, ValueError) as exc:
        return failure(exc)
