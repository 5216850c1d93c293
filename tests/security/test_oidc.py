"""Single sign-on against a tiny local OpenID Connect provider (no network beyond localhost)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from flask import Flask, jsonify, redirect, request
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

import app as app_module
from dashboard.oidc import OidcSettings
from layers import accounts
from layers.accounts.admin import AccountAction, AccountForm, AdminContext, apply_account_action
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


def _make_sso_app(
    idp: FakeIdp, services: Services, monkeypatch: pytest.MonkeyPatch, link_claim: str = ""
) -> Flask:
    monkeypatch.setenv("OPSMAP_OIDC_ISSUER", idp.issuer)
    monkeypatch.setenv("OPSMAP_OIDC_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("OPSMAP_OIDC_CLIENT_SECRET", "test-only-secret")
    monkeypatch.setenv("OPSMAP_OIDC_USERNAME_CLAIM", link_claim)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    from app import create_app

    return create_app(services.config)


@pytest.fixture
def sso_app(
    idp: FakeIdp, sqlite_services: Services, monkeypatch: pytest.MonkeyPatch
) -> Flask:
    return _make_sso_app(idp, sqlite_services, monkeypatch)


@pytest.fixture
def mapped_sso_app(
    idp: FakeIdp, sqlite_services: Services, monkeypatch: pytest.MonkeyPatch
) -> Flask:
    """Single sign-on where the admin mapped the provider's ``employee_id`` claim to usernames."""
    return _make_sso_app(idp, sqlite_services, monkeypatch, link_claim="employee_id")


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
    assert settings.link_claim is None  # no claim links accounts unless the admin says so


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
        accounts.link_subject(session, "sso-user", idp.issuer, "s-1", by="an-admin")
    client, done = _sso_sign_in(sso_app)
    assert done.status_code == 303, done.data[:300]
    assert client.get("/_dash-layout").status_code == 200
    # The account is bound to the provider's subject: another subject claiming the same
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



def _display_name_alone_is_refused(
    app: Flask, idp: FakeIdp, username: str, role: str, subject: str
) -> FlaskClient:
    """An account an admin made (local password, no subject yet), then a provider's user
    ``subject`` whose display name is that username: refused (401). The client it used."""
    with app.extensions["opsmap"].db.write(bump=False) as session:
        accounts.create_user(session, username, role, "a local password too")
    idp.user = {"sub": subject, "preferred_username": username}
    client, refused = _sso_sign_in(app)
    assert refused.status_code == 401
    return client


def _bound_subject(app: Flask, username: str) -> str | None:
    with app.extensions["opsmap"].db.read() as session:
        user = accounts.get_user(session, username)
        assert user is not None
        return user.oidc_subject


def test_sec124_preferred_username_never_takes_over_a_local_account(
    sso_app: Flask, idp: FakeIdp
) -> None:
    """Issue 10 item 13: whoever presents a matching display name is not bound to the account."""
    client = _display_name_alone_is_refused(sso_app, idp, "sso-user", "admin", "attacker-1")
    assert client.get("/_dash-layout").status_code == 401
    assert _bound_subject(sso_app, "sso-user") is None


def test_sec125_admin_configured_claim_links_an_unbound_account_once(
    mapped_sso_app: Flask, idp: FakeIdp
) -> None:
    # The display name alone still opens nothing.
    _display_name_alone_is_refused(mapped_sso_app, idp, "pc-1234", "analyst", "s-7")
    idp.user = {"sub": "s-8", "preferred_username": "someone", "employee_id": "pc-1234"}
    client, done = _sso_sign_in(mapped_sso_app)
    assert done.status_code == 303
    assert client.get("/_dash-layout").status_code == 200
    assert _bound_subject(mapped_sso_app, "pc-1234") == f"{idp.issuer}|s-8"
    # Bound now: another subject with the same claim value is refused.
    idp.user = {"sub": "s-9", "employee_id": "pc-1234"}
    _client, refused = _sso_sign_in(mapped_sso_app)
    assert refused.status_code == 401


def test_sec126_link_and_unlink_by_admin_action_and_cli(
    services: Services, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    issuer = "https://idp.example"
    ctx = AdminContext("boss", issuer)
    with services.db.write(bump=False) as session:
        accounts.create_user(session, "boss", "admin", "a local password too")
        accounts.create_user(session, "officer", "analyst", "a local password too")
        accounts.create_user(session, "other", "analyst", "a local password too")
        form = AccountForm(user="officer", subject="abc-123")
        message = apply_account_action(session, AccountAction.LINK, form, ctx)
        assert "linked" in message
        with pytest.raises(accounts.AccountError, match="already opens officer"):
            accounts.link_subject(session, "other", issuer, "abc-123")
        with pytest.raises(accounts.AccountError, match="not configured"):
            apply_account_action(session, AccountAction.LINK, form, AdminContext("boss"))
    with services.db.write(bump=False) as session:
        identity = accounts.sso_identity(session, issuer, "abc-123")
        assert identity is not None and (identity.username, identity.role) == (
            "officer", "analyst"
        )
        assert accounts.sso_identity(session, "https://other.example", "abc-123") is None
        apply_account_action(session, AccountAction.UNLINK, AccountForm(user="officer"), ctx)
    with services.db.write(bump=False) as session:
        assert accounts.sso_identity(session, issuer, "abc-123") is None

    monkeypatch.setenv("DATABASE_URL", services.config.database_url)
    monkeypatch.delenv("OPSMAP_OIDC_ISSUER", raising=False)
    assert app_module.main(["users", "link", "other", "xyz"]) == 1
    assert "not configured" in capsys.readouterr().err
    assert app_module.main(["users", "link", "other", "xyz", "--issuer", issuer]) == 0
    with services.db.write(bump=False) as session:
        identity = accounts.sso_identity(session, issuer, "xyz")
        assert identity is not None and identity.username == "other"
    assert app_module.main(["users", "unlink", "other"]) == 0
    with services.db.write(bump=False) as session:
        assert accounts.sso_identity(session, issuer, "xyz") is None
