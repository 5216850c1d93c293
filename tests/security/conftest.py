"""Helpers for the access-control tests: the Dash app behind a server, crafted callback bodies."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from dash import Dash
from dash._utils import split_callback_id
from flask import Flask
from flask.testing import FlaskClient

from dashboard.access import ROLES

PAGES_CALLBACK_MARK = "_pages_content.children"
"""Dash's own page-routing callback: open to any signed-in user; each layout checks roles."""


@pytest.fixture
def dash_app(app: Flask) -> Dash:
    """The Dash application built on the test server, after Dash's first-request set-up.

    Dash registers its page-routing callbacks on the first request, so one is made here.
    """
    app.test_client().get("/login")
    return app.extensions["dash"]


def is_dash_internal(key: str) -> bool:
    """Callbacks Dash registers itself (page routing); everything else is ours."""
    return "_pages_" in key


def server_callbacks(dash_app: Dash) -> dict[str, dict[str, Any]]:
    """Every callback that runs on the server (clientside ones have no ``callback``)."""
    return {k: v for k, v in dash_app.callback_map.items() if "callback" in v}


def feature_callbacks(dash_app: Dash) -> dict[str, dict[str, Any]]:
    """Every server-side callback registered by OpsMap's pages."""
    return {k: v for k, v in server_callbacks(dash_app).items() if not is_dash_internal(k)}


def callback_roles(entry: dict[str, Any]) -> tuple[str, ...] | None:
    """The roles a callback allows (from ``require``), or ``None`` when it declares none."""
    return getattr(entry["callback"], "opsmap_roles", None)


def _concrete(spec_id: str) -> tuple[Any, bool]:
    """A concrete id for a dependency id; ``True`` when it is an ALL-style wildcard (a list)."""
    if not spec_id.startswith("{"):
        return spec_id, False
    parsed = json.loads(spec_id)
    wildcard_all = False
    out: dict[str, Any] = {}
    for key, value in parsed.items():
        if isinstance(value, list) and value and value[0] in ("ALL", "ALLSMALLER"):
            wildcard_all = True
            out[key] = 0
        elif isinstance(value, list) and value and value[0] == "MATCH":
            out[key] = 0
        else:
            out[key] = value
    return out, wildcard_all


def _dependency(spec: dict[str, Any], with_value: bool) -> Any:
    ident, is_all = _concrete(spec["id"])
    item: dict[str, Any] = {"id": ident, "property": spec["property"]}
    if with_value:
        item["value"] = None
    return [] if is_all else item


def crafted_body(key: str, entry: dict[str, Any]) -> dict[str, Any]:
    """A well-formed ``/_dash-update-component`` body for one callback, inputs all ``None``."""
    split = split_callback_id(key)
    outputs: Any
    if isinstance(split, list):
        outputs = [_dependency(o, False) for o in split]
    else:
        outputs = _dependency(split, False)
    inputs = [_dependency(i, True) for i in entry["inputs"]]
    state = [_dependency(s, True) for s in entry["state"]]
    changed = [
        f"{i['id']}.{i['property']}" for i in entry["inputs"] if not i["id"].startswith("{")
    ][:1]
    return {
        "output": key,
        "outputs": outputs,
        "inputs": inputs,
        "state": state,
        "changedPropIds": changed,
    }


def body_with(dash_app: Dash, output_mark: str, values: dict[str, Any]) -> dict[str, Any]:
    """A crafted body for the page callback whose output names ``output_mark``, with ``values``
    (``"id.property": value``) set among its inputs and state."""
    key = next(k for k in feature_callbacks(dash_app) if output_mark in k)
    body = crafted_body(key, dash_app.callback_map[key])
    for item in body["inputs"] + body["state"]:
        prop = f"{item['id']}.{item['property']}"
        if prop in values:
            item["value"] = values[prop]
    return body


def post_callback(client: FlaskClient, key: str, entry: dict[str, Any]) -> int:
    """POST the crafted body; the status, or 0 when the callback itself raised (auth passed)."""
    try:
        response = client.post("/_dash-update-component", json=crafted_body(key, entry))
    except Exception:  # noqa: BLE001 - a crash inside the callback means it was let in
        return 0
    return response.status_code


@pytest.fixture
def clients(client_as: Callable[[str], FlaskClient]) -> dict[str, FlaskClient]:
    """One signed-in client per role."""
    return {role: client_as(role) for role in ROLES}
