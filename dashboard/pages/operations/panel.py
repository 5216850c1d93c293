"""The side panel for one location: details, what is nearby, history, and the status change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from dash import dcc, html

from dashboard.pages.operations.ids import Ids
from layers.core.clock import LONDON
from layers.core.kinds import KINDS
from layers.core.status import OUTCOMES, RESULT_FIELDS, STATUS_LABELS, VISITED, next_statuses

RESULT_ID = "ops-result"


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, dt.datetime):
        return pd.Timestamp(value).tz_convert(LONDON).strftime("%a %d %b %Y %H:%M")
    return str(value)


def details_list(detail: dict[str, Any]) -> html.Dl:
    """The location's own fields with their labels, then district and provenance."""
    kind = KINDS[detail["kind"]]
    items: list[Any] = []
    for field in kind.fields:
        if field.name == "linked_premises_id" and not detail.get(field.name):
            continue
        items += [html.Dt(field.label), html.Dd(_fmt(detail.get(field.name)))]
    items += [
        html.Dt("District"),
        html.Dd(f"{detail['district_code']} · {detail['division']}"),
        html.Dt("Source"),
        html.Dd(f"{detail['source']} · {detail['created_by']} · {_fmt(detail['created_at'])}"),
    ]
    return html.Dl(items, className="details")


def nearby_list(title: str, rows: pd.DataFrame, describe: str) -> html.Div:
    """A short list of nearby items with their distance."""
    if rows.empty:
        return html.Div([html.H4(title), html.P("None within 250 m.", className="muted")])
    items = []
    for row in rows.head(15).itertuples():
        when = _fmt(row.observed_at.to_pydatetime()) if pd.notna(row.observed_at) else ""
        extra = getattr(row, describe)
        items.append(
            html.Li(f"{round(row.distance_m)} m · {extra if pd.notna(extra) else ''} · {when}")
        )
    more = [html.P(f"and {len(rows) - 15} more", className="muted")] if len(rows) > 15 else []
    return html.Div([html.H4(f"{title} ({len(rows)})"), html.Ul(items), *more])


def history_list(entries: list[dict[str, Any]]) -> html.Div:
    """The location's history, newest first."""
    if not entries:
        return html.Div([html.H4("History"), html.P("No changes yet.", className="muted")])
    items = [
        html.Li(
            [
                html.Strong(
                    f"{STATUS_LABELS.get(e['from_status'], e['from_status'])} → "
                    f"{STATUS_LABELS.get(e['to_status'], e['to_status'])}"
                ),
                f" · {e['username']} · {_fmt(e['at'])}",
                html.Div(e["note"], className="note") if e["note"] else None,
            ]
        )
        for e in entries
    ]
    return html.Div([html.H4("History"), html.Ul(items, className="history")])


def status_form(detail: dict[str, Any], can_edit: bool) -> html.Div:
    """The status change form (only for roles that may change statuses)."""
    if not can_edit:
        return html.Div()
    current = detail["status"]
    options = [{"label": STATUS_LABELS[s], "value": s} for s in next_statuses(current)]
    return html.Div(
        [
            html.H4("Change status"),
            dcc.RadioItems(id=Ids.NEXT_STATUS, options=options, className="radio"),
            html.Div(
                "Outcome (needed to close a visit)"
                if current == VISITED
                else "Outcome (when closing a visit)",
                className="muted",
            ),
            dcc.RadioItems(
                id=Ids.OUTCOME,
                options=[{"label": v, "value": k} for k, v in OUTCOMES.items()],
                className="radio",
            ),
            html.Div(
                [
                    html.Label(
                        [
                            label,
                            dcc.Input(
                                id={"type": RESULT_ID, "field": name}, type="number", min=0, step=1
                            ),
                        ]
                    )
                    for name, label in RESULT_FIELDS.items()
                ],
                className="results",
            ),
            dcc.Textarea(
                id=Ids.NOTE, placeholder="Note (what happened, why)", className="note-input"
            ),
            dcc.Store(id=Ids.FORM_VERSION, data=detail["version"]),
            html.Button("Save status", id=Ids.SAVE, className="button primary"),
        ],
        className="status-form",
    )


def panel_children(
    detail: dict[str, Any],
    tipoffs: pd.DataFrame,
    adverts: pd.DataFrame,
    entries: list[dict[str, Any]],
    can_edit: bool,
) -> list[Any]:
    """Everything the side panel shows for one location."""
    kind = KINDS[detail["kind"]]
    title = f"{kind.singular.capitalize()} {detail.get('ref') or detail['id']}"
    return [
        html.Button("×", id=Ids.CLOSE_PANEL, className="close", title="Close"),
        html.H3(title),
        html.P(
            [
                html.Span(
                    STATUS_LABELS[detail["status"]], className=f"badge status-{detail['status']}"
                ),
                f" version {detail['version']}",
            ]
        ),
        html.P("Demo data (synthetic)", className="demo-tag") if detail.get("is_demo") else None,
        details_list(detail),
        status_form(detail, can_edit),
        nearby_list("Tip-offs within 250 m", tipoffs, "channel"),
        nearby_list("Adverts within 250 m", adverts, "site"),
        history_list(entries),
    ]
