"""The side panel for one location: what it is, where it is on the plan, why it matters, what is
nearby, and its history (with outcomes and results). The status form sits between head and body
(:mod:`dashboard.components.status_form`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from dash import html

from dashboard.components.status_form import subject
from dashboard.pages.operations.ids import Ids
from layers.core.clock import LONDON
from layers.core.kinds import KINDS
from layers.core.status import OUTCOMES, RESULT_FIELDS, STATUS_LABELS
from layers.planning.location_view import LocationView
from layers.planning.plan_history import PLAN_ACTION, describe

PLACEHOLDER = (
    "Click a location on the map, or open one from the list under the map, to see its details "
    "here."
)


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, dt.datetime):
        return pd.Timestamp(value).tz_convert(LONDON).strftime("%a %d %b %Y %H:%M")
    return str(value)


def title(view: LocationView) -> str:
    """The panel's heading: kind and reference (or id)."""
    kind = KINDS[view.detail["kind"]]
    return f"{kind.singular.capitalize()} {view.detail.get('ref') or view.detail['id']}"


def facts(view: LocationView) -> str:
    """Team, day, stop number and priority on one line (what a commander asks first)."""
    plan = view.plan.describe() if view.plan else "Not on the plan"
    if view.priority is None:
        return plan
    return f"{plan} · priority {view.priority:.0f}"


def form_subject(view: LocationView) -> dict[str, Any]:
    """The status form's subject: this location at the version the panel shows."""
    d = view.detail
    return subject(int(d["id"]), int(d["version"]), str(d["status"]), title(view), facts(view))


def panel_head(view: LocationView) -> list[Any]:
    """Close button, title, status, plan and priority with its parts."""
    d = view.detail
    why = (
        [html.P(f"Why: {view.priority_why}", className="priority-why")] if view.priority_why else []
    )
    return [
        html.Button(
            "×", id=Ids.CLOSE_PANEL, className="close", title="Close", **{"aria-label": "Close"}
        ),
        html.H3(title(view)),
        html.P(
            [
                html.Span(STATUS_LABELS[d["status"]], className=f"badge status-{d['status']}"),
                f" version {d['version']}",
            ]
        ),
        html.P(facts(view), className="plan-facts"),
        *why,
        html.P("Demo data (synthetic)", className="demo-tag") if d.get("is_demo") else None,
    ]


def details_list(view: LocationView) -> html.Dl:
    """The location's own fields with their labels, then district and provenance."""
    detail = view.detail
    items: list[Any] = []
    for field in KINDS[detail["kind"]].fields:
        if field.name == "linked_premises_id" and not detail.get(field.name):
            continue
        items += [html.Dt(field.label), html.Dd(_fmt(detail.get(field.name)))]
    items += [
        html.Dt("District"),
        html.Dd(f"{view.district} · {detail['division']}"),
        html.Dt("Source"),
        html.Dd(f"{detail['source']} · {detail['created_by']} · {_fmt(detail['created_at'])}"),
    ]
    return html.Dl(items, className="details")


def nearby_list(title_: str, rows: pd.DataFrame, describe_column: str) -> html.Div:
    """A short list of nearby items with their distance."""
    if rows.empty:
        return html.Div([html.H4(title_), html.P("None within 250 m.", className="muted")])
    items = []
    for row in rows.head(15).itertuples():
        when = _fmt(row.observed_at.to_pydatetime()) if pd.notna(row.observed_at) else ""
        extra = getattr(row, describe_column)
        items.append(
            html.Li(f"{round(row.distance_m)} m · {extra if pd.notna(extra) else ''} · {when}")
        )
    more = [html.P(f"and {len(rows) - 15} more", className="muted")] if len(rows) > 15 else []
    return html.Div([html.H4(f"{title_} ({len(rows)})"), html.Ul(items), *more])


def entry_detail(entry: dict[str, Any]) -> str:
    """What a history entry recorded besides the status: the plan, or the outcome and results."""
    detail = entry.get("detail") or {}
    if entry["action"] == PLAN_ACTION:
        return describe(detail.get("after")).capitalize()
    if not detail.get("outcome"):
        return ""
    results = ", ".join(
        f"{RESULT_FIELDS.get(k, k)} {v}" for k, v in (detail.get("results") or {}).items()
    )
    outcome = f"Outcome: {OUTCOMES.get(detail['outcome'], detail['outcome'])}"
    return f"{outcome} · {results}" if results else outcome


def history_list(entries: list[dict[str, Any]]) -> html.Div:
    """The location's history, newest first: who, when, the change, outcome, results, note."""
    if not entries:
        return html.Div([html.H4("History"), html.P("No changes yet.", className="muted")])
    items = []
    for e in entries:
        change = (
            f"{STATUS_LABELS.get(e['from_status'], e['from_status'])} → "
            f"{STATUS_LABELS.get(e['to_status'], e['to_status'])}"
        )
        extra = entry_detail(e)
        items.append(
            html.Li(
                [
                    html.Strong(change),
                    f" · {e['username']} · {_fmt(e['at'])}",
                    html.Div(extra, className="entry-detail") if extra else None,
                    html.Div(e["note"], className="note") if e["note"] else None,
                ]
            )
        )
    return html.Div([html.H4("History"), html.Ul(items, className="history")])


def panel_body(view: LocationView) -> list[Any]:
    """Details, what is nearby, and the history."""
    return [
        details_list(view),
        nearby_list("Tip-offs within 250 m", view.tipoffs, "channel"),
        nearby_list("Adverts within 250 m", view.adverts, "site"),
        history_list(view.history),
    ]
