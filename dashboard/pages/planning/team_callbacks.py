"""The team form's callback: add a team, show each problem next to its field, and on success
select the new team and clear the form. Commanders and admins only."""

from __future__ import annotations

import logging
from typing import Any

from dash import ALL, Dash, Input, Output, State, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.access import ADMIN, COMMANDER, current_principal, require
from dashboard.context import services
from dashboard.pages.planning.ids import TEAM_DEFAULTS, TEAM_ERROR, TEAM_FIELDS, Ids
from layers.planning.teams import add_team_from_form, list_teams, team_label

logger = logging.getLogger(__name__)


@require(ADMIN, COMMANDER)
def add_team(clicks: int | None, values: dict[str, Any], error_ids: list) -> dict[str, Any]:
    """Add the team; errors appear next to their fields and nothing else changes."""
    if not clicks:
        raise PreventUpdate
    svc = services()
    with svc.db.write() as session:
        result = add_team_from_form(session, values, svc.postcodes, current_principal().username)
        teams = [{"label": team_label(t), "value": t.id} for t in list_teams(session)]
    errors = [result.errors.get(i["field"], "") for i in error_ids]
    if result.errors:
        refused = html.Div("Not added: see the fields marked.", className="toast-error")
        return {
            "errors": errors,
            "message": refused,
            "options": no_update,
            "team": no_update,
            "fields": dict.fromkeys(TEAM_FIELDS, no_update),
        }
    return {
        "errors": errors,
        "message": html.Div(f"Team {result.call_sign} added and selected.", className="toast-ok"),
        "options": teams,
        "team": result.team_id,
        "fields": {name: TEAM_DEFAULTS.get(name) for name in TEAM_FIELDS},
    }


SPEC: dict[str, Any] = {
    "output": {
        "errors": Output({"type": TEAM_ERROR, "field": ALL}, "children"),
        "message": Output(Ids.TEAM_MESSAGE, "children"),
        "options": Output(Ids.TEAM, "options"),
        "team": Output(Ids.TEAM, "value"),
        "fields": {name: Output(i, "value") for name, i in TEAM_FIELDS.items()},
    },
    "inputs": {"clicks": Input(Ids.ADD_TEAM, "n_clicks")},
    "state": {
        "values": {name: State(i, "value") for name, i in TEAM_FIELDS.items()},
        "error_ids": State({"type": TEAM_ERROR, "field": ALL}, "id"),
    },
    "prevent_initial_call": True,
}


def register_team_callbacks(app: Dash) -> None:
    """Register the team form's callback on ``app``."""
    app.callback(**SPEC)(add_team)
