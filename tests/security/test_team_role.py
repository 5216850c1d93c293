"""The team role (issue 14): its phone may open ``/field`` and its own API, and nothing else.

The general enumerations (every route and callback as every role, ``test_routes`` and
``test_callbacks``) already include ``team`` because it is in :data:`dashboard.access.ROLES`;
these add what they do not say: which routes a team may reach, that every Dash page refuses
it, and that it lands on ``/field`` after signing in.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import dash
from dash import Dash
from flask import Flask
from flask.testing import FlaskClient

from dashboard.access import ROLES, TEAM
from tests.conftest import MakeUser
from tests.security.conftest import PAGES_CALLBACK_MARK, crafted_body, server_callbacks

FIELD_RULES = {"/field", "/field/static/<name>", "/field/sw.js", "/api/field/stops",
               "/api/field/actions"}


def test_sec200_team_role_reaches_only_the_field_routes(app: Flask) -> None:
    assert TEAM in ROLES
    reachable = {
        r.rule for r in app.url_map.iter_rules()
        if TEAM in getattr(app.view_functions[r.endpoint], "opsmap_roles", ())
    }
    assert reachable == FIELD_RULES


def test_sec201_every_dash_page_refuses_the_team_role(
    dash_app: Dash, client_as: Callable[[str], FlaskClient]
) -> None:
    team = client_as(TEAM)
    key = next(k for k in server_callbacks(dash_app) if PAGES_CALLBACK_MARK in k)
    paths = [p["path"] for p in dash.page_registry.values()
             if p["module"] != "not_found_404"]  # "page not found" shows no data to anyone
    assert "/board" in paths and "/admin" in paths
    for path in paths:
        body = crafted_body(key, dash_app.callback_map[key])
        for item in body["inputs"]:
            if item["property"] == "pathname":
                item["value"] = path
        response = team.post("/_dash-update-component", json=body)
        assert response.status_code == 200, path
        text = json.dumps(response.get_json())
        assert "Not available" in text, path
        assert "field-panel" not in text and "adm-users" not in text, path


def test_sec202_team_signs_in_to_field_whatever_next_says(app: Flask, make_user: MakeUser) -> None:
    password = make_user("phone-1", TEAM)
    client = app.test_client()
    response = client.post("/login", data={"username": "phone-1", "password": password,
                                           "next": "/admin"})
    assert response.headers["Location"] == "/field"
    assert client.get("/field").status_code == 200
    assert client.get("/api/field/stops").status_code == 422  # not linked to a team yet
