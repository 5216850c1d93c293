"""Single sign-on against a tiny local OpenID Connect provider (no network beyond localhost)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from flask import Flask, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

from dashboard.oidc import OidcSettings
from layers import accounts
from layers.services import Services

CLIENT_ID = "opsmap-test"


class FakeIdp:
    """Discovery, authorize (auto-consent as ``self.user``), token and JWKS endpoints."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"})
        self.user = {"sub": "s-1", "preferred_username": "sso-user"}
        self.codes: dict[str, str] = {}
        self.app = Flask("fake-idp")
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self._routes()

    def _routes(self) -> None:
        app = self.app

        @app.get("/.well-known/openid-configuration")
        def discovery():  # type: ignore[no-untyped-def]
            return jsonify(
                issuer=self.issuer,
                authorization_endpoint=f"{self.issuer}/authorize",
                token_endpoint=f"{self.issuer}/token",
                jwks_uri=f"{self.issuer}/jwks",
                id_token_signing_alg_values_supported=["RS256"],
                response_types_supported=["code"],
                subject_types_supported=["public"],
            )

        @app.get("/jwks")
        def jwks():  # type: ignore[no-untyped-def]
            return jsonify(keys=[self.key.as_dict(private=False)])

        @app.get("/authorize")
        def authorize():  # type: ignore[no-untyped-def]
            code = f"code-{len(self.codes)}"
            self.codes[code] = request.args["nonce"]
            query = urlencode({"code": code, "state": request.args["state"]})
            return redirect(f"{request.args['redirect_uri']}?{query}")

        @app.post("/token")
        def token():  # type: ignore[no-untyped-def]
            nonce = self.codes.pop(request.form["code"])
            now = int(time.time())
            claims = {
                "iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 300,
                "nonce": nonce, **self.user,
            }
            id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, self.key)
            return jsonify(access_token="at", token_type="Bearer", expires_in=300,
                           id_token=id_token)


@pytest.fixture
def idp() -> Iterator[FakeIdp]:
    fake = FakeIdp()
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    yield fake
    fake.server.shutdown()


@pytest.fixture
def sso_app(
    idp: FakeIdp, sqlite_services: Services, monkeypatch: pytest.MonkeyPatch
) -> Flask:
    monkeypatch.setenv("OPSMAP_OIDC_ISSUER", idp.issuer)
    monkeypatch.setenv("OPSMAP_OIDC_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("OPSMAP_OIDC_CLIENT_SECRET", "test-only-secret")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    from app import create_app

    return create_app(sqlite_services.config)


def _sso_sign_in(app: Flask) -> tuple[object, object]:
    client = app.test_client()
    start = client.get("/login/oidc")
    assert start.status_code == 302
    at_idp = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    back = urlsplit(at_idp.headers["Location"])
    assert back.path == "/login/oidc/callback" and "code" in parse_qs(back.query)
    return client, client.get(f"{back.path}?{back.query}")


def test_sec120_settings_only_from_environment() -> None:
    assert OidcSettings.from_env({}) is None
    with pytest.raises(ValueError, match="CLIENT_ID"):
        OidcSettings.from_env({"OPSMAP_OIDC_ISSUER": "https://idp.example"})
    settings = OidcSettings.from_env({
        "OPSMAP_OIDC_ISSUER": "https://idp.example/", "OPSMAP_OIDC_CLIENT_ID": "c",
        "OPSMAP_OIDC_CLIENT_SECRET": "hush-hush",
    })
    assert settings is not None and settings.issuer == "https://idp.example"
    assert "hush-hush" not in repr(settings)


def test_sec121_not_offered_unless_configured(app: Flask) -> None:
    client = app.test_client()
    assert "single sign-on" not in client.get("/login").get_data(as_text=True)
    assert client.get("/login/oidc").status_code == 404


def test_sec122_sso_signs_in_known_user_with_local_role(
    sso_app: Flask, idp: FakeIdp
) -> None:
    assert "single sign-on" in sso_app.test_client().get("/login").get_data(as_text=True)
    db = sso_app.extensions["opsmap"].db
    with db.write(bump=False) as session:
        accounts.create_user(session, "sso-user", "commander", "a local password too")
    client, done = _sso_sign_in(sso_app)
    assert done.status_code == 303, done.data[:300]
    assert client.get("/_dash-layout").status_code == 200
    # The account is now bound to the provider's subject: another subject claiming the same
    # username is refused.
    idp.user = {"sub": "s-2", "preferred_username": "sso-user"}
    _client, refused = _sso_sign_in(sso_app)
    assert refused.status_code == 401
    # Local sign-in keeps working beside single sign-on.
    local = sso_app.test_client().post(
        "/login", data={"username": "sso-user", "password": "a local password too"}
    )
    assert local.status_code == 303


def test_sec123_sso_refuses_unknown_and_disabled_users(sso_app: Flask, idp: FakeIdp) -> None:
    idp.user = {"sub": "s-9", "preferred_username": "stranger"}
    _client, refused = _sso_sign_in(sso_app)
    assert refused.status_code == 401
    db = sso_app.extensions["opsmap"].db
    with db.write(bump=False) as session:
        accounts.create_user(session, "stranger", "analyst", "a local password too")
        accounts.disable_user(session, "stranger")
    _client, refused = _sso_sign_in(sso_app)
    assert refused.status_code == 401

