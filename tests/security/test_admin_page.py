"""The admin page's callbacks through Dash's real endpoint: the buttons reach the domain rules."""

from __future__ import annotations

import json
from typing import Any

from dash import Dash
from flask import Flask
from flask.testing import FlaskClient

from dashboard.pages.admin.callbacks import log_filter
from dashboard.pages.admin.ids import Ids
from layers import accounts
from tests.conftest import MakeUser
from tests.security.conftest import crafted_body

CALLBACK = "/_dash-update-component"


def _signed_in(app: Flask, make_user: MakeUser, name: str) -> FlaskClient:
    password = make_user(name, "admin")
    client = app.test_client()
    response = client.post("/login", data={"username": name, "password": password})
    assert response.status_code == 303
    return client


def _press(
    client: FlaskClient, dash_app: Dash, output: str, button: str, values: dict[str, Any]
) -> str:
    """Press ``button`` with the given input values; the text of the callback's answer."""
    key = next(k for k in dash_app.callback_map if f"{output}.children" in k)
    body = crafted_body(key, dash_app.callback_map[key])
    for item in body["inputs"] + body["state"]:
        if item["id"] in values:
            item["value"] = values[item["id"]]
    body["changedPropIds"] = [f"{button}.n_clicks"]
    response = client.post(CALLBACK, json=body)
    assert response.status_code == 200, response.data[:300]
    return json.dumps(response.json)


def test_sec160_admin_cannot_disable_themself_through_the_page(
    app: Flask, dash_app: Dash, make_user: MakeUser
) -> None:
    client = _signed_in(app, make_user, "chief")
    answer = _press(client, dash_app, Ids.USER_MESSAGE, Ids.DISABLE, {Ids.PICK_USER: "chief"})
    assert "you cannot disable your own account" in answer
    with app.extensions["opsmap"].db.read() as session:
        chief = accounts.get_user(session, "chief")
        assert chief is not None and chief.active


def test_sec161_unlock_and_token_buttons_work_through_the_page(
    app: Flask, dash_app: Dash, make_user: MakeUser
) -> None:
    client = _signed_in(app, make_user, "chief")
    password = make_user("locked-out", "analyst")
    db = app.extensions["opsmap"].db
    for _ in range(accounts.MAX_FAILURES):
        with db.write(bump=False) as session:
            accounts.authenticate(session, "locked-out", "wrong-wrong-wrong", source="10.6.0.1")
    answer = _press(client, dash_app, Ids.USER_MESSAGE, Ids.UNLOCK, {Ids.PICK_USER: "locked-out"})
    assert "may sign in again" in answer
    with db.write(bump=False) as session:
        assert accounts.authenticate(session, "locked-out", password, source="10.6.0.1")
    answer = _press(client, dash_app, Ids.KEY_MESSAGE, Ids.KEY_REVOKE, {Ids.KEY_REVOKE_ID: 1e30})
    assert "whole number" in answer
    answer = _press(client, dash_app, Ids.KEY_MESSAGE, Ids.KEY_CREATE,
                    {Ids.KEY_NAME: "qgis", Ids.KEY_USER: "locked-out"})
    assert "opsmap_" in answer


def test_sec162_log_filter_from_page_values() -> None:
    flt = log_filter(
        {"user": " ann ", "action": "disclosure", "since": "2026-03-01", "until": "2026-03-02",
         "text": ""},
        10,
    )
    assert (flt.username, flt.action, flt.text, flt.limit) == ("ann", "disclosure", None, 10)
    assert flt.since is not None and flt.since.isoformat() == "2026-03-01T00:00:00+00:00"
    assert flt.until is not None and flt.until.isoformat() == "2026-03-03T00:00:00+00:00"
    odd = log_filter({"action": "peeking", "since": "not a date", "until": None}, 5)
    assert (odd.action, odd.since, odd.until, odd.username) == (None, None, None, None)
