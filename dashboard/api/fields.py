"""Strict reading of JSON request bodies for the API: the right type, in range, or a 400.

JSON's ``true`` is not the number 1, a number past what the database stores is not a version,
and a body that is not an object is not a request: each is refused with a message that says what
to send (a :class:`ValueError`, answered 400 by :func:`dashboard.api.errors.error_response`),
never passed on to fail later as a 500.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from flask import request

MAX_ID = 2**31 - 1
"""The largest id or version the database stores (a 32-bit integer column)."""
TEXT_LIMIT = 2000


def json_object(empty_ok: bool = False) -> dict[str, Any]:
    """The request's JSON object (``{}`` for no body when ``empty_ok``), or :class:`ValueError`."""
    if empty_ok and not request.get_data(cache=True):
        return {}
    body = request.get_json(silent=True, force=True)
    if not isinstance(body, dict):
        raise ValueError("send a JSON object, such as {\"version\": 3}")
    return body


def whole(
    body: dict[str, Any], name: str, low: int = 1, high: int = MAX_ID
) -> int:
    """A required whole number in ``low..high`` (``true``/``false`` and fractions refused)."""
    value = body.get(name)
    if value is None:
        raise ValueError(f"{name} (a whole number) is required")
    return whole_value(value, name, low, high)


def optional_whole(
    body: dict[str, Any], name: str, low: int = 0, high: int = MAX_ID
) -> int | None:
    """A whole number in ``low..high`` if given."""
    value = body.get(name)
    return None if value is None else whole_value(value, name, low, high)


def whole_value(value: Any, name: str, low: int = 1, high: int = MAX_ID) -> int:
    """``value`` as a whole number in ``low..high``; text such as ``"3"`` is accepted from a URL."""
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 20:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}")
    return value


def number(body: dict[str, Any], name: str) -> float:
    """A required finite number (a coordinate)."""
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} (a number) is required")
    return float(value)


def text(body: dict[str, Any], name: str, limit: int = TEXT_LIMIT) -> str | None:
    """Optional text of at most ``limit`` characters."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text")
    if len(value) > limit:
        raise ValueError(f"{name} is at most {limit} characters")
    return value


def required_text(body: dict[str, Any], name: str, limit: int = TEXT_LIMIT) -> str:
    """Required text."""
    value = text(body, name, limit)
    if value is None:
        raise ValueError(f"{name} (text) is required")
    return value


def text_list(body: dict[str, Any], name: str, limit: int = 20) -> tuple[str, ...]:
    """An optional list of at most ``limit`` texts."""
    value = body.get(name) or []
    if not isinstance(value, list) or len(value) > limit:
        raise ValueError(f"{name} must be a list of at most {limit} texts")
    return tuple(required_text({name: v}, name, 200) for v in value)


def day(body: dict[str, Any], name: str = "day") -> dt.date | None:
    """An optional date as ``YYYY-MM-DD``."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a date as YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{name} must be a date as YYYY-MM-DD") from exc


def required_day(body: dict[str, Any], name: str = "day") -> dt.date:
    """A required date as ``YYYY-MM-DD``."""
    value = day(body, name)
    if value is None:
        raise ValueError(f"{name} (a date as YYYY-MM-DD) is required")
    return value


def results(body: dict[str, Any]) -> dict[str, int]:
    """The visit's result figures: an object of whole numbers (their rules are the domain's)."""
    value = body.get("results") or {}
    if not isinstance(value, dict):
        raise ValueError("results must be an object of whole numbers")
    return {str(k): whole_value(v, f"results.{k}", 0) for k, v in value.items()}


def flag(body: dict[str, Any], name: str) -> bool:
    """An optional true/false (only JSON's ``true`` and ``false``)."""
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false")
    return value
