"""Layout of the "Public updates" page and the views its callbacks fill in.

The views are built from plain data (:func:`layers.public.store.as_dict`, rendered PNG bytes,
event rows), so they can be tested without Dash running.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterable
from typing import Any

from dash import dcc, html
from dash.development.base_component import Component

from dashboard.components.fields import choices, labelled
from dashboard.context import services
from dashboard.pages.public.ids import Ids
from layers.core.clock import today_local
from layers.core.operations import current_operation, operation_days
from layers.public.figures import FIGURES
from layers.public.models import PublicUpdateEvent
from layers.public.release import DISTRICT, DIVISION, FORCE
from layers.public.wording import X_LIMIT, x_length

SCOPE_OPTIONS = [
    {"label": "Force-wide", "value": FORCE},
    {"label": "By division", "value": DIVISION},
    {"label": "By district (only if every district count passes the threshold)",
     "value": DISTRICT},
]


def update_options(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Dropdown options: ``#3 · 30 Nov to 2 Dec · approved · drafted by alice``."""
    return [
        {"label": f"#{r['id']} · {r['period']['from']} to {r['period']['to']} · {r['level']} · "
                  f"{r['status']} · drafted by {r['drafted_by']}", "value": r["id"]}
        for r in rows
    ]


def _status_line(data: dict[str, Any]) -> html.Div:
    parts: list[str | Component] = [html.Strong(f"Update #{data['id']}: {data['status']}"),
             f" · drafted by {data['drafted_by']} · {data['period']['words']} · shown by "
             f"{data['level']} (k = {data['k']})"]
    if data["decided_by"]:
        note = f": {data['decision_note']}" if data["decision_note"] else ""
        parts.append(f" · {data['status']} by {data['decided_by']}{note}")
    if data["status"] != "approved":
        parts.append(html.Div("Not approved: nothing can be exported until a second commander "
                              "or admin approves it.", className="pub-warning"))
    return html.Div(parts, className="pub-status", id=Ids.STATUS)


def _checks(data: dict[str, Any]) -> html.Ul:
    return html.Ul(
        [html.Li(f"{c['outcome']}: {c['message']}",
                 className="pub-check-passed" if c["outcome"] == "passed" else "pub-check-held")
         for c in data["checks"]],
        className="pub-checks", id=Ids.CHECKS,
    )


def _figures(data: dict[str, Any]) -> html.Table:
    areas = list(data["figures"]["areas"])
    head = html.Tr([html.Th("Figure"), html.Th("Force-wide"), *(html.Th(a) for a in areas)])
    rows = [
        html.Tr([html.Td(label), html.Td(data["figures"]["force"].get(key, "left out")),
                 *(html.Td(data["figures"]["areas"][a][key]) for a in areas)])
        for key, label in FIGURES.items()
    ]
    return html.Table([html.Thead(head), html.Tbody(rows)], className="table pub-figures")


def _image(name: str, png: bytes, alt: str) -> html.Figure:
    src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return html.Figure([html.Img(src=src, alt=alt, className="pub-card", title=name),
                        html.Figcaption([html.Strong(name), f" · alt text: {alt}"])],
                       className="pub-figure")


def _history(events: Iterable[PublicUpdateEvent]) -> html.Ol:
    return html.Ol([
        html.Li(f"{e.at.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC · {e.username} · {e.action}"
                + (f": {e.note}" if e.note else ""))
        for e in events
    ], className="history")


def detail_view(data: dict[str, Any], images: dict[str, bytes],
                events: Iterable[PublicUpdateEvent]) -> html.Div:
    """One update: status, checks, figures, the two posts, every image with its alt text."""
    x_text = data["texts"]["x"]
    return html.Div([
        _status_line(data),
        html.H3("Disclosure checks"), _checks(data),
        html.H3("Figures"), _figures(data),
        html.H3("X/Twitter post"),
        html.Pre(x_text, className="pub-post", id=Ids.X_TEXT),
        html.P(f"{x_length(x_text)} of {X_LIMIT} characters", className="muted"),
        html.H3("Facebook post"),
        html.Pre(data["texts"]["facebook"], className="pub-post", id=Ids.FACEBOOK_TEXT),
        html.H3("Cards"),
        html.Div([_image(n, png, data["texts"]["alt"].get(n, "")) for n, png in images.items()],
                 className="pub-cards"),
        html.H3("History"), _history(events),
    ])


def _defaults() -> tuple[dt.date, dt.date]:
    """The week so far: the operation's first day to today (or its last day if over)."""
    with services().db.read() as session:
        days = operation_days(current_operation(session))
    today = today_local()
    end = min(max(today, days[0]), days[-1])
    return days[0], end


def layout(update: str | None = None, **_query: str) -> html.Div:
    """The page (the page wrapper has already checked the role); ``?update=N`` opens update N."""
    start, end = _defaults()
    chosen = int(update) if update and update.isdigit() and len(update) < 10 else None
    draft = html.Section([
        html.H2("Draft an update"),
        html.P("OpsMap proposes the figures for the period and applies the disclosure rules; a "
               "second commander or admin approves or rejects the draft."),
        html.Div([
            labelled("From", dcc.Input(id=Ids.START, type="date", value=start.isoformat()),
                     Ids.START),
            labelled("To", dcc.Input(id=Ids.END, type="date", value=end.isoformat()), Ids.END),
            choices("Area", dcc.RadioItems(id=Ids.SCOPE, options=SCOPE_OPTIONS, value=FORCE,
                                           inline=True)),
            html.Button("Draft update", id=Ids.DRAFT, className="button"),
        ], className="pub-form"),
        html.Div(id=Ids.DRAFT_MESSAGE, role="status"),
    ], className="pub-section")
    review = html.Section([
        html.H2("Review, approve, download"),
        labelled("Update", dcc.Dropdown(id=Ids.PICK, placeholder="choose an update",
                                        clearable=False), Ids.PICK),
        html.Div([
            labelled("Note (required to reject)",
                     dcc.Textarea(id=Ids.NOTE, maxLength=2000, className="note-input"), Ids.NOTE,
                     "filter note-field"),
            html.Button("Approve", id=Ids.APPROVE, className="button"),
            html.Button("Reject", id=Ids.REJECT, className="button danger"),
            html.Button("Download approved files (zip)", id=Ids.EXPORT, className="button"),
        ], className="pub-form"),
        html.Div(id=Ids.DECIDE_MESSAGE, role="status"),
        html.Div(id=Ids.EXPORT_MESSAGE, role="status"),
        dcc.Download(id=Ids.DOWNLOAD),
        dcc.Loading(html.Div(id=Ids.DETAIL, className="pub-detail")),
    ], className="pub-section")
    stores = [dcc.Store(id=Ids.REFRESH, data=0), dcc.Store(id=Ids.CHOSEN, data=chosen)]
    return html.Div([*stores, html.H1("Public updates"), draft, review], className="pub-page")
