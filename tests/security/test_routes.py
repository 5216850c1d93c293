"""Every Flask route: refused without sign-in (except the public few), and role-checked."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from dashboard.security import PUBLIC_PATHS

PUBLIC_ENDPOINT_PATHS = PUBLIC_PATHS | {"/login/oidc", "/login/oidc/callback"}


def _sample_path(rule: str) -> str:
    """A concrete URL for a rule: ``<int:id>`` -> 1, other variables -> ``x``."""
    path = re.sub(r"<int:[^>]+>", "1", rule)
    return re.sub(r"<[^>]+>", "x", path)


def _dash_owned(app: Flask, endpoint: str) -> bool:
    view = app.view_functions[endpoint]
    module = getattr(view, "__module__", "") or ""
    return module.startswith(("dash", "flask")) or endpoint.startswith("_dash")


def _feature_rules(app: Flask) -> list:
    return [
        r for r in app.url_map.iter_rules()
        if r.rule not in PUBLIC_ENDPOINT_PATHS and not _dash_owned(app, r.endpoint)
    ]


def test_sec100_feature_routes_declare_roles(app: Flask) -> None:
    rules = _feature_rules(app)
    missing = [
        r.rule for r in rules if not getattr(app.view_functions[r.endpoint], "opsmap_roles", None)
    ]
    assert not missing, f"routes without @require(...): {missing}"


def test_sec101_every_route_refuses_nobody(app: Flask) -> None:
    client = app.test_client()
    for rule in app.url_map.iter_rules():
        if rule.rule in PUBLIC_ENDPOINT_PATHS:
            continue
        path = _sample_path(rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method, json={})
            assert response.status_code in (401, 303), (method, path, response.status_code)
            if response.status_code == 303:
                assert response.headers["Location"].startswith("/login")


def test_sec102_each_role_refused_where_not_allowed(
    app: Flask, clients: dict[str, FlaskClient]
) -> None:
    for rule in _feature_rules(app):
        allowed = getattr(app.view_functions[rule.endpoint], "opsmap_roles", ())
        path = _sample_path(rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            for role, client in clients.items():
                try:
                    status = client.open(path, method=method, json={}).status_code
                except Exception:  # noqa: BLE001 - the view ran, so authorisation let it in
                    status = 0
                if role in allowed:
                    assert status not in (401, 403), (method, path, role)
                else:
                    assert status == 403, (method, path, role, status)
