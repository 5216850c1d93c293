"""The public-updates API and page through the Flask app, with signed-in test clients."""

from __future__ import annotations

import io
import json
import zipfile

from flask import Flask, g
from sqlalchemy import select

from dashboard.access import Principal
from dashboard.pages.public.ids import Ids
from dashboard.pages.public.layout import detail_view, layout, update_options
from dashboard.shell import NAV
from layers.audit.processing_log import ProcessingLog
from layers.public import store
from layers.public.figures import Period

BODY = {"from": "2026-11-23", "to": "2026-11-29", "scope": "division"}


def test_pub080_roles_second_person_and_approval_over_http(app: Flask, client_as) -> None:
    first, second = client_as("commander"), client_as("admin")
    for role in ("analyst", "briefing"):
        other = client_as(role)
        assert other.get("/api/public/updates").status_code == 403
        assert other.post("/api/public/updates", json=BODY).status_code == 403
    assert app.test_client().get("/api/public/updates").status_code == 401
    made = first.post("/api/public/updates", json=BODY)
    assert made.status_code == 201, made.json
    uid = made.json["id"]
    assert made.json["status"] == "draft" and made.json["level"] == "division"
    assert {"figures", "texts", "checks"} <= set(made.json)
    assert first.get(f"/api/public/updates/{uid}/export").status_code == 409
    own = first.post(f"/api/public/updates/{uid}/approve", json={"note": "mine"})
    assert own.status_code == 403 and "second person" in own.json["error"]
    assert second.post(f"/api/public/updates/{uid}/reject", json={}).status_code == 422
    ok = second.post(f"/api/public/updates/{uid}/approve", json={"note": "checked"})
    assert ok.status_code == 200 and ok.json["status"] == "approved"
    exported = second.get(f"/api/public/updates/{uid}/export")
    assert exported.status_code == 200
    assert exported.headers["Content-Disposition"].startswith("attachment;")
    names = zipfile.ZipFile(io.BytesIO(exported.data)).namelist()
    stem = f"public-update-{uid}-2026-11-23-to-2026-11-29"
    for name in ("x_post.txt", "facebook_post.txt", "card_x_1200x675.png",
                 "card_square_1080x1080.png", "alt_text.txt", "update.json"):
        assert f"{stem}/{name}" in names
    listing = first.get("/api/public/updates").json["updates"]
    assert [u["id"] for u in listing] == [uid]
    svc = app.extensions["opsmap"]
    with svc.db.read() as session:
        log = session.scalars(select(ProcessingLog).where(ProcessingLog.action == "disclosure")
                              ).all()
    assert len(log) == 1 and "disclosed to the public" in log[0].detail


def test_pub081_bad_input_is_a_clear_400(client_as) -> None:
    commander = client_as("commander")
    for body, words in (
        ({"from": "23/11/2026", "to": "2026-11-29"}, "YYYY-MM-DD"),
        ({"from": "2026-11-29", "to": "2026-11-23"}, "ends before"),
        ({"from": "2026-01-01", "to": "2026-11-29"}, "at most 31"),
        ({**BODY, "scope": "street"}, "unknown scope"),
    ):
        answer = commander.post("/api/public/updates", json=body)
        assert answer.status_code == 400 and words in answer.json["error"], answer.json
    assert commander.post("/api/public/updates", data="x").status_code == 400
    assert commander.get("/api/public/updates/12345").status_code == 404
    long_note = {"note": "x" * 3000}
    made = commander.post("/api/public/updates", json=BODY).json["id"]
    other = client_as("commander")
    assert other.post(f"/api/public/updates/{made}/approve", json=long_note).status_code == 400


def test_pub082_page_layout_and_views(app: Flask) -> None:
    assert ("Public updates", "/public", ("admin", "commander")) in NAV
    with app.test_request_context("/public"):
        g.principal = Principal("cmdr", "commander")
        text = str(layout())
    for wanted in (Ids.START, Ids.END, Ids.SCOPE, Ids.DRAFT, Ids.PICK, Ids.APPROVE, Ids.REJECT,
                   Ids.EXPORT, Ids.DOWNLOAD, Ids.DETAIL):
        assert f"'{wanted}'" in text
    svc = app.extensions["opsmap"]
    row = store.draft_update(svc.db, Period.parse("2026-11-23", "2026-11-29"), "force",
                             store.Person("cmdr", "commander"), 5)
    data = store.as_dict(row)
    assert update_options([data])[0]["value"] == row.id
    bundle = store.preview(row, svc.boundaries)
    view = detail_view(data, {n: r.png for n, r in bundle.images.items()},
                       store.events(svc.db, row.id))
    shown = json.dumps(view.to_plotly_json(), default=str)
    assert "Not approved" in shown and "data:image/png;base64," in shown
    assert data["texts"]["x"] in shown and "#seeitshareit" in shown
    assert all(alt in shown for alt in data["texts"]["alt"].values())
