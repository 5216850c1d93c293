"""The one JSON error helper and the one map from domain errors to HTTP answers.

Every blueprint answers errors through :func:`json_error`, and runs its domain calls through
:func:`domain_errors` (or :func:`error_response`), so a stale version is a 409 with the
colleague's change on every route, a refused rule a 422, a missing record a 404, a change the
caller may not make a 403 and malformed input a 400. A change refused because the operation is
closed is a 423 (Locked) wherever it is raised, through :data:`errors_blueprint`'s
application-wide handler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Response, jsonify

from layers.core.closure import OperationClosed
from layers.core.errors import Conflict, NotFound, NotPermitted, RuleError

logger = logging.getLogger(__name__)

T = TypeVar("T")
Answer = Response | tuple[Response, int]


def json_error(status: int, message: str, **extra: Any) -> tuple[Response, int]:
    """``{"error": message, ...}`` with ``status``."""
    return jsonify({"error": message, **extra}), status


def error_response(exc: Exception) -> tuple[Response, int]:
    """The HTTP answer for a domain error (re-raises anything that is not one)."""
    if isinstance(exc, Conflict):
        return jsonify(exc.as_dict()), 409
    if isinstance(exc, NotFound):
        return json_error(404, str(exc) or "not found")
    if isinstance(exc, NotPermitted):
        return json_error(403, str(exc) or "not permitted")
    if isinstance(exc, OperationClosed):
        return json_error(423, str(exc), closed=True)
    if isinstance(exc, RuleError):
        return json_error(422, str(exc))
    if isinstance(exc, ValueError):
        return json_error(400, str(exc))
    raise exc


def domain_errors(call: Callable[[], T]) -> T | tuple[Response, int]:
    """Run ``call``; a domain error becomes its HTTP answer."""
    try:
        return call()
    except (Conflict, LookupError, NotPermitted, ValueError) as exc:
        if isinstance(exc, LookupError) and not isinstance(exc, NotFound):
            raise
        return error_response(exc)


errors_blueprint = Blueprint("errors", __name__)


@errors_blueprint.app_errorhandler(OperationClosed)
def operation_closed(exc: OperationClosed) -> tuple[Response, int]:
    """Any route or callback that tried to change a closed operation: 423 with the reason."""
    return error_response(exc)
