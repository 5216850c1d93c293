"""``/field``: the phone page for visiting teams, served by Flask, not by Dash.

A team in a stairwell with one bar of signal cannot wait for the Dash bundle, so the page is
one small HTML document, one script and one stylesheet from this package's own static folder,
plus a service worker that keeps them (and the day's stops) on the phone. No inline script,
so the app's Content-Security-Policy applies unchanged.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, send_from_directory
from markupsafe import escape

from dashboard.access import TEAM, require
from dashboard.context import services

STATIC = Path(__file__).with_name("static")
FILES: frozenset[str] = frozenset({"field.js", "field.css"})
"""The only files served: a name outside this set is a 404 whatever the folder holds."""

field_page = Blueprint("field_page", __name__)

PAGE = """<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="theme-color" content="#000000">
<title>OpsMap field</title>
<link rel="icon" href="data:,">
<link rel="preload" href="/api/field/stops" as="fetch" crossorigin>
<link rel="stylesheet" href="/field/static/field.css">
<script src="/field/static/field.js" defer></script>
</head><body>
<header><div class="marking">{marking}</div><h1 id="team">Today's stops</h1>
<div id="net" class="net" role="status" aria-live="polite"></div></header>
<div id="reminder" class="reminder" role="alert" hidden></div>
<section id="problems" aria-live="assertive"></section>
<section id="queue" class="queue" aria-live="polite"></section>
<main id="stops"><p class="muted">Loading today's stops…</p></main>
<dialog id="form"></dialog>
<footer><a href="/logout" class="link">Sign out</a></footer>
</body></html>
"""


@field_page.get("/field")
@require(TEAM)
def page() -> Response:
    """The page shell (the same for every team: the stops come from the API)."""
    html = PAGE.format(marking=escape(services().config.marking))
    return Response(html, mimetype="text/html")


@field_page.get("/field/static/<name>")
@require(TEAM)
def static(name: str) -> Response:
    """The page's script and stylesheet."""
    if name not in FILES:
        abort(404)
    return send_from_directory(STATIC, name, max_age=0)


@field_page.get("/field/sw.js")
@require(TEAM)
def service_worker() -> Response:
    """The service worker, allowed to control ``/field`` itself (it lives one level below)."""
    response = send_from_directory(STATIC, "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Service-Worker-Allowed"] = "/field"
    return response
