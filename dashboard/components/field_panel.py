"""The field panel shared by the board and the operations map: team states and overdue alerts.

An overdue team must be noticed by a person at once, so every commander screen carries the
same panel: a red alert per overdue visit (until a commander acknowledges it with a note),
each team's state (travelling, on site since, overdue), and today's field check-outs with the
time the team recorded them. It polls :func:`layers.field.timers.field_board`, which also
raises alerts that have fallen due, so no background worker is needed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from dash import Dash, Input, Output, State, dcc, html, no_update

from dashboard.access import ADMIN, COMMANDER, OPERATIONAL, current_principal, require
from dashboard.components.fields import labelled
from dashboard.context import services
from layers.core.clock import LONDON
from layers.core.errors import NotFound, RuleError
from layers.core.status import OUTCOMES
from layers.field import timers

POLL_MS = 10_000
STATE_TEXT = {"idle": "Not out", "travelling": "Travelling", "on_site": "On site",
              "overdue": "OVERDUE"}


def _ids(prefix: str) -> dict[str, str]:
    return {name: f"{prefix}-field-{name}" for name in
            ("poll", "refresh", "alerts", "teams", "updates", "pick", "note", "ack", "message")}


def _hhmm(iso: str | None) -> str:
    return dt.datetime.fromisoformat(iso).astimezone(LONDON).strftime("%H:%M") if iso else ""


def alert_items(alerts: list[dict[str, Any]]) -> list[Any]:
    """One red line per open alert, in words a commander acts on."""
    return [
        html.P(f"OVERDUE: {a['call_sign']} at {a['address'] or 'a stop'}: arrived "
               f"{_hhmm(a['arrived_at'])}, due out {_hhmm(a['due_at'])}, alert "
               f"{_hhmm(a['raised_at'])}", className="field-alert", role="alert")
        for a in alerts
    ]


def team_rows(teams: list[dict[str, Any]]) -> html.Table:
    """Each team's state as a table."""
    body = [
        html.Tr([html.Td(t["call_sign"]), html.Td(STATE_TEXT.get(t["state"], t["state"]),
                                                   className=f"field-{t['state']}"),
                 html.Td(_hhmm(t["since"])), html.Td(t["address"] or "")])
        for t in teams
    ]
    head = html.Tr([html.Th(h) for h in ("Team", "State", "Since", "Where")])
    return html.Table([html.Thead(head), html.Tbody(body)], className="field-teams")


def update_rows(updates: list[dict[str, Any]]) -> html.Table:
    """Today's field check-outs, each once, with the time the team recorded it."""
    body = [
        html.Tr([html.Td(_hhmm(u["done_at"])), html.Td(u["call_sign"]),
                 html.Td(u["address"] or ""),
                 html.Td(OUTCOMES.get(u["outcome"] or "", "Back to planning"))],
                **{"data-location": str(u["location_id"])})
        for u in updates
    ]
    head = html.Tr([html.Th(h) for h in ("Recorded", "Team", "Address", "Outcome")])
    return html.Table([html.Thead(head), html.Tbody(body)], className="field-updates")


def field_panel(prefix: str) -> html.Section:
    """The panel's layout, its ids prefixed so two pages can each have one."""
    ids = _ids(prefix)
    return html.Section([
        html.Div(id=ids["alerts"], **{"aria-live": "assertive"}),
        html.Details([
            html.Summary("Field teams"),
            html.Div(id=ids["teams"]),
            html.Div([
                labelled("Overdue alert", dcc.Dropdown(id=ids["pick"], placeholder="choose…"),
                         ids["pick"]),
                labelled("What you did (required)",
                         dcc.Input(id=ids["note"], type="text", maxLength=500), ids["note"]),
                html.Button("Acknowledge", id=ids["ack"]),
                html.Span(id=ids["message"], role="status"),
            ], className="field-ack"),
            html.H4("Recorded in the field today"),
            html.Div(id=ids["updates"]),
        ], open=True),
        dcc.Interval(id=ids["poll"], interval=POLL_MS),
        dcc.Store(id=ids["refresh"], data=0),
    ], className="field-panel", id=f"{prefix}-field-panel")


def with_field_panel(
    layout: Callable[..., Any], prefix: str, *, below: bool = False
) -> Callable[..., Any]:
    """``layout`` with the field panel above it, or ``below`` it where the page is a map: a
    panel that grows as teams report must not move the map under a commander's cursor."""

    def combined(**query: str) -> html.Div:
        parts = [field_panel(prefix), layout(**query)]
        return html.Div(parts[::-1] if below else parts)

    return combined


def register_field_panel(app: Dash, prefix: str) -> None:
    """Register the panel's polling and acknowledgement callbacks for ``prefix``."""
    ids = _ids(prefix)

    @app.callback(
        output={"alerts": Output(ids["alerts"], "children"),
                "teams": Output(ids["teams"], "children"),
                "updates": Output(ids["updates"], "children"),
                "pick": Output(ids["pick"], "options")},
        inputs={"_tick": Input(ids["poll"], "n_intervals"),
                "_refresh": Input(ids["refresh"], "data")},
    )
    @require(*OPERATIONAL)
    def show_field(_tick: int | None, _refresh: int | None) -> dict[str, Any]:
        svc = services()
        grace = max(0, min(240, svc.config.field_grace_minutes))
        with svc.db.write(bump=False) as session:
            board = timers.field_board(session, svc.clock(), grace)
        return {
            "alerts": alert_items(board["alerts"]),
            "teams": team_rows(board["teams"]),
            "updates": update_rows(board["updates"]),
            "pick": [{"label": f"{a['call_sign']} · {a['address'] or ''}", "value": a["id"]}
                     for a in board["alerts"]],
        }

    @app.callback(
        output={"message": Output(ids["message"], "children"),
                "refresh": Output(ids["refresh"], "data")},
        inputs={"_clicks": Input(ids["ack"], "n_clicks")},
        state={"alert": State(ids["pick"], "value"), "note": State(ids["note"], "value"),
               "refresh": State(ids["refresh"], "data")},
        prevent_initial_call=True,
    )
    @require(ADMIN, COMMANDER)
    def acknowledge(_clicks: int | None, alert: int | None, note: str | None,
                    refresh: int | None) -> dict[str, Any]:
        if not isinstance(alert, int):
            return {"message": "Pick an alert first.", "refresh": no_update}
        svc = services()
        try:
            with svc.db.write() as session:
                timers.acknowledge(session, alert, current_principal().username, note or "",
                                   svc.clock())
        except (RuleError, NotFound) as exc:
            return {"message": str(exc), "refresh": no_update}
        return {"message": "Acknowledged.", "refresh": (refresh or 0) + 1}
