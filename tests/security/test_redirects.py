"""Issue 10 item 8: ``next`` after sign-in never leaves the site, however it is spelled."""

from __future__ import annotations

import pytest
from flask import Flask

from dashboard.login import safe_next
from tests.conftest import MakeUser

HOSTILE_QUERIES = [
    "/%09/evil.example",  # tab: browsers drop it, leaving //evil.example
    "/%0a/evil.example",  # newline
    "/%0d%0a/evil.example",
    "%5Cevil.example",  # backslash
    "/%5Cevil.example",  # /\
    "%5C%5Cevil.example",
    "//evil.example",
    "%2f%2fevil.example",
    "/%252f/evil.example",  # double-encoded
    "https://evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt%3Aalert(1)",
    "%20//evil.example",
    "/%00/evil.example",
    "evil.example",
]
"""As they appear in a crafted ``/login?next=...`` (the server decodes them once)."""

SAFE = ["/", "/planning", "/admin?tab=log&x=1", "/briefing?day=2026-03-02", "/a%20b"]


@pytest.mark.parametrize(
    "target",
    ["/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "\\evil.example",
     "/\\evil.example", "//evil.example", "%2f%2fevil.example", "/%2f%2fevil.example",
     "https://evil.example", "https:evil.example", "javascript:alert(1)", " //evil.example",
     "/\x85/evil.example", "", None],
)
def test_sec170_safe_next_refuses_every_way_off_the_site(target: str | None) -> None:
    assert safe_next(target) == "/"


@pytest.mark.parametrize("target", SAFE)
def test_sec171_safe_next_keeps_paths_on_the_site(target: str) -> None:
    assert safe_next(target) == target


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_sec172_login_redirect_stays_on_site(app: Flask, make_user: MakeUser, query: str) -> None:
    """Through the real routes: the form's hidden field, the POST and a signed-in GET."""
    password = make_user("traveller", "analyst")
    client = app.test_client()
    form = client.get(f"/login?next={query}").get_data(as_text=True)
    assert "evil.example" not in form and "javascript" not in form.lower()
    signed_in = client.post("/login", data={"username": "traveller", "password": password,
                                            "next": query.replace("%0a", "\n")})
    assert signed_in.status_code == 303
    assert signed_in.headers["Location"] == "/"
    again = client.get(f"/login?next={query}")
    assert again.status_code == 303
    assert again.headers["Location"] == "/", again.headers["Location"]


def test_sec173_login_redirect_keeps_a_real_page(app: Flask, make_user: MakeUser) -> None:
    password = make_user("returner", "analyst")
    client = app.test_client()
    done = client.post("/login", data={"username": "returner", "password": password,
                                       "next": "/admin?tab=log&x=1"})
    assert done.headers["Location"] == "/admin?tab=log&x=1"
