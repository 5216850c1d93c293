"""The admin page's team link: which team a ``team`` account's phone works for (issue 14)."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, html

from dashboard.access import ADMIN, current_principal, require
from dashboard.context import services
from dashboard.pages.admin.ids import Ids
from layers.accounts import AccountError
from layers.field.links import link_user


def register_team_links(app: Dash) -> None:
    """Register the "Link to team" callback on ``app``."""

    @app.callback(
        output={"message": Output(Ids.TEAM_MESSAGE, "children")},
        inputs={"_clicks": Input(Ids.TEAM_LINK, "n_clicks")},
        state={"user": State(Ids.PICK_USER, "value"), "sign": State(Ids.TEAM_SIGN, "value")},
        prevent_initial_call=True,
    )
    @require(ADMIN)
    def link_team(_clicks: int | None, user: str | None, sign: str | None) -> dict[str, Any]:
        if not user or not (sign or "").strip():
            return {"message": html.Span("Pick a team account and type a call sign.",
                                         className="error")}
        try:
            with services().db.write(bump=False) as session:
                link_user(session, user, str(sign), current_principal().username)
        except AccountError as exc:
            return {"message": html.Span(str(exc), className="error")}
        return {"message": html.Span(f"{user} now works for team {sign}.", className="ok")}
