"""Every Dash callback is an HTTP endpoint: call each one directly as nobody and as each role."""

from __future__ import annotations

import json

from dash import Dash
from flask import Flask
from flask.testing import FlaskClient

from dashboard.access import ADMIN, ANALYST, BRIEFING, ROLES
from tests.security.conftest import (
    PAGES_CALLBACK_MARK,
    body_with,
    callback_roles,
    crafted_body,
    feature_callbacks,
    post_callback,
    server_callbacks,
)


def test_sec001_every_callback_declares_its_roles(dash_app: Dash) -> None:
    callbacks = feature_callbacks(dash_app)
    assert callbacks, "no callbacks registered?"
    missing = [key for key, entry in callbacks.items() if not callback_roles(entry)]
    assert not missing, f"callbacks without @require(...): {missing}"
    for key, entry in callbacks.items():
        roles = callback_roles(entry)
        assert roles is not None
        assert set(roles) <= set(ROLES), (key, roles)


def test_sec002_admin_page_registered_with_its_callbacks(dash_app: Dash) -> None:
    keys = " ".join(feature_callbacks(dash_app))
    assert "adm-users.children" in keys
    assert "adm-log-table.children" in keys


def test_sec003_no_user_gets_401_from_every_callback(app: Flask, dash_app: Dash) -> None:
    client = app.test_client()
    for key, entry in server_callbacks(dash_app).items():
        response = client.post("/_dash-update-component", json=crafted_body(key, entry))
        assert response.status_code == 401, key
        assert response.is_json
        assert response.headers["Cache-Control"] == "no-store"


def test_sec004_each_role_refused_where_not_allowed(
    dash_app: Dash, clients: dict[str, FlaskClient]
) -> None:
    checked = 0
    for key, entry in feature_callbacks(dash_app).items():
        allowed = callback_roles(entry) or ()
        for role, client in clients.items():
            status = post_callback(client, key, entry)
            if role in allowed:
                assert status not in (401, 403), (key, role, status)
            else:
                assert status == 403, (key, role, status)
                checked += 1
    assert checked > 0


def test_sec005_page_routing_callback_gives_pages_only_to_their_roles(
    dash_app: Dash, clients: dict[str, FlaskClient]
) -> None:
    pages = [k for k in server_callbacks(dash_app) if PAGES_CALLBACK_MARK in k]
    assert pages
    key = pages[0]
    entry = dash_app.callback_map[key]
    body = crafted_body(key, entry)
    for item in body["inputs"]:
        if item["property"] == "pathname":
            item["value"] = "/admin"
    for role, client in clients.items():
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 200, (role, response.data[:300])
        text = json.dumps(response.get_json())
        if role == ADMIN:
            assert "adm-users" in text
        else:
            assert "adm-users" not in text, role
            assert "Not available" in text


def test_sec006_admin_callbacks_work_for_admin(
    dash_app: Dash, clients: dict[str, FlaskClient]
) -> None:
    key = next(k for k in feature_callbacks(dash_app) if "adm-users.children" in k)
    entry = dash_app.callback_map[key]
    response = clients[ADMIN].post("/_dash-update-component", json=crafted_body(key, entry))
    assert response.status_code == 200, response.data[:500]
    assert "admin-table" in response.get_data(as_text=True)
    for role in (ANALYST, BRIEFING):
        refused = clients[role].post("/_dash-update-component", json=crafted_body(key, entry))
        assert refused.status_code == 403
        assert "admin-table" not in refused.get_data(as_text=True)


def _body_with(dash_app: Dash, output_mark: str, values: dict[str, object]) -> dict:
    body = body_with(dash_app, output_mark, values)
    body["changedPropIds"] = [p for p in values if p.endswith("n_clicks")][:1] or body[
        "changedPropIds"
    ]
    return body


def test_sec007_admin_manages_users_and_exports_log(
    app: Flask, dash_app: Dash, clients: dict[str, FlaskClient]
) -> None:
    admin = clients[ADMIN]
    add = _body_with(dash_app, "adm-user-message.children", {
        "adm-add.n_clicks": 1, "adm-new-name.value": "newcomer",
        "adm-new-role.value": "briefing", "adm-new-password.value": None,
    })
    response = admin.post("/_dash-update-component", json=add)
    assert response.status_code == 200, response.data[:300]
    assert "One-time password" in response.get_data(as_text=True)
    disable = _body_with(dash_app, "adm-user-message.children", {
        "adm-disable.n_clicks": 1, "adm-pick-user.value": "newcomer",
    })
    assert "is disabled" in admin.post("/_dash-update-component", json=disable).get_data(
        as_text=True
    )
    export = _body_with(dash_app, "adm-log-download.data", {"adm-log-export.n_clicks": 1})
    response = admin.post("/_dash-update-component", json=export)
    assert response.status_code == 200
    assert "opsmap-processing-log-" in response.get_data(as_text=True)
    with app.extensions["opsmap"].db.read() as session:
        from layers.audit import processing_log

        entries = processing_log.entries(session)
        assert entries[0].action == processing_log.DISCLOSURE
        assert "processing log exported" in entries[0].detail
