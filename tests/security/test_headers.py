"""Security headers on every response, CSRF refusals on callbacks, generic error pages."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable

from dash import Dash
from flask import Flask
from flask.testing import FlaskClient

from tests.security.conftest import crafted_body

CALLBACK = "/_dash-update-component"


def _assert_headers(response, path: str) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp, path
    assert "frame-ancestors 'none'" in csp, path
    assert "'unsafe-eval'" not in csp
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert headers.get("X-Content-Type-Options") == "nosniff", path
    assert headers.get("Referrer-Policy") == "no-referrer", path
    assert headers.get("X-Frame-Options") == "DENY", path


def test_sec040_headers_on_every_kind_of_response(
    app: Flask, client_as: Callable[[str], FlaskClient]
) -> None:
    anon = app.test_client()
    for path in ("/login", "/healthz", "/admin", "/api/summary", "/_dash-layout", "/nowhere"):
        _assert_headers(anon.get(path), path)
    client = client_as("admin")
    for path in ("/", "/admin", "/_dash-layout", "/_dash-dependencies", "/api/summary",
                 "/nowhere"):
        response = client.get(path)
        _assert_headers(response, path)
        assert response.headers.get("Cache-Control") == "no-store", path


def test_sec041_csp_carries_dash_inline_script_hashes(
    app: Flask, client_as: Callable[[str], FlaskClient]
) -> None:
    response = client_as("analyst").get("/")
    csp = response.headers["Content-Security-Policy"]
    for digest in app.extensions["dash"].csp_hashes():
        assert digest in csp
    page = re.sub(r"<!--.*?-->", "", response.get_data(as_text=True), flags=re.S)  # IE-only
    inline = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert inline, "Dash's renderer start-up script is inline"
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_sec042_foreign_origin_and_non_json_refused(
    client_as: Callable[[str], FlaskClient],
) -> None:
    client = client_as("admin")
    foreign = client.post(
        CALLBACK, json={"output": "x.children"}, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    cross = client.post(CALLBACK, json={"output": "x"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403
    form = client.post(CALLBACK, data={"output": "x.children"})
    assert form.status_code == 415
    text = client.post(CALLBACK, data="{}", content_type="text/plain")
    assert text.status_code == 415
    login = client.post("/login", data={"username": "a", "password": "b"},
                        headers={"Origin": "https://evil.example"})
    assert login.status_code == 403
    null_origin = client.post(CALLBACK, json={"output": "x"}, headers={"Origin": "null"})
    assert null_origin.status_code == 403
    # Chromium's same-origin form post under Referrer-Policy: no-referrer.
    form_post = client.post("/login", data={"username": "a", "password": "b"},
                            headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"})
    assert form_post.status_code == 401


def test_sec043_same_origin_callback_post_not_refused_by_csrf_check(
    dash_app: Dash, client_as: Callable[[str], FlaskClient],
) -> None:
    client = client_as("admin")
    key = next(k for k in dash_app.callback_map if "adm-users.children" in k)
    body = crafted_body(key, dash_app.callback_map[key])
    response = client.post(CALLBACK, json=body, headers={"Origin": "http://localhost",
                                                         "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 200


def test_sec044_error_pages_are_generic(client_as: Callable[[str], FlaskClient]) -> None:
    client = client_as("analyst")
    page = client.get("/definitely/not/here.txt")
    assert "Traceback" not in page.get_data(as_text=True)
    api = client.get("/api/definitely-not-here")
    assert api.status_code == 404 and api.is_json


def test_sec045_unexpected_errors_answer_generically(
    app: Flask, client_as: Callable[[str], FlaskClient]
) -> None:
    client = client_as("admin")
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)
    response = client.post(CALLBACK, json={"output": "missing.children", "inputs": []})
    assert response.status_code == 500
    assert response.is_json
    body = response.get_data(as_text=True)
    assert "KeyError" not in body and "Traceback" not in body and "missing" not in body
    _assert_headers(response, CALLBACK)


def test_sec046_debug_off_unless_asked(app: Flask) -> None:
    assert app.debug is False
