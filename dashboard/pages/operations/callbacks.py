"""Callbacks of the operations page: glue between the controls and ``layers``/``geodata``.

Each callback reads its inputs, asks the store, builds components or a ``Patch``, and returns.
Every one is authorised on the server with :func:`dashboard.access.require`.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import ALL, Dash, Input, Output, Patch, State, callback_context, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.access import ADMIN, COMMANDER, OPERATIONAL, check, current_principal, require
from dashboard.components.maps import division_colorscale
from dashboard.context import services
from dashboard.pages.operations.figures import POINT_TRACE, as_patch, patch_selected
from dashboard.pages.operations.ids import Ids
from dashboard.pages.operations.panel import RESULT_ID, panel_children
from dashboard.pages.operations.render import FILTER_IDS, render
from dashboard.pages.operations.view import Viewport, locate_click, plan_layer
from layers.audit import processing_log
from layers.core.locations import NotFound, VersionConflict
from layers.core.queries import (
    Filters,
    current_frame,
    filter_mask,
    history,
    location_detail,
    nearby,
)
from layers.core.status import STATUS_LABELS, TransitionError
from layers.planning.store import set_status

logger = logging.getLogger(__name__)

NEARBY_M = 250.0


def register_callbacks(app: Dash) -> None:
    """Register the page's callbacks on ``app``."""
    filter_inputs = [Input(i, "value") for i in FILTER_IDS.values()]

    @app.callback(
        Output(Ids.MAP, "figure"),
        Output(Ids.COUNTS, "children"),
        Output(Ids.TABLE, "children"),
        Output(Ids.VIEW_STATE, "data"),
        Output(Ids.NOTICE, "children"),
        Input(Ids.LAYERS, "value"),
        Input(Ids.COLOUR_BY, "value"),
        *filter_inputs,
        Input(Ids.MAP, "relayoutData"),
        Input(Ids.REFRESH, "data"),
        Input(Ids.POLL, "n_intervals"),
        State(Ids.VIEW_STATE, "data"),
        prevent_initial_call=True,
    )
    @require(*OPERATIONAL)
    def update_map(kinds, colour_by, *args):  # type: ignore[no-untyped-def]
        """Redraw the layers, counts and table for the filters and the visible area."""
        values = dict(zip(FILTER_IDS, args[: len(FILTER_IDS)], strict=True))
        relayout, _refresh, _poll, state = args[len(FILTER_IDS) :]
        svc = services()
        triggered = {t["prop_id"] for t in callback_context.triggered}
        viewport = Viewport.from_relayout(relayout)
        if viewport is None and state and state.get("viewport"):
            viewport = Viewport(*state["viewport"])
        polled = triggered == {f"{Ids.POLL}.n_intervals"}
        if polled and state and svc.db.revision() == state.get("revision"):
            raise PreventUpdate  # nothing changed since the map was drawn
        moved = triggered == {f"{Ids.MAP}.relayoutData"}
        if moved and state and viewport is not None and state.get("viewport") == viewport.as_list():
            raise PreventUpdate  # a relayout that did not move the map
        out = render(svc, kinds, colour_by, values, viewport, state)
        return as_patch(out.updates), out.counts, out.table, out.state, out.notice

    @app.callback(
        Output(Ids.MAP, "figure", allow_duplicate=True),
        Input(Ids.DIVISION_FILL, "value"),
        prevent_initial_call=True,
    )
    @require(*OPERATIONAL)
    def shade_divisions(value: list[str] | None) -> Patch:
        """Shade districts by division, or not."""
        patch = Patch()
        patch["data"][0]["colorscale"] = division_colorscale(bool(value))
        return patch

    @app.callback(
        *[Output(i, "value") for i in FILTER_IDS.values()],
        Input(Ids.RESET, "n_clicks"),
        prevent_initial_call=True,
    )
    @require(*OPERATIONAL)
    def reset_filters(_n: int | None) -> list[list[str]]:
        """Clear every filter."""
        return [[] for _ in FILTER_IDS]

    @app.callback(
        Output(Ids.SELECTED, "data"),
        Input(Ids.MAP, "clickData"),
        State(Ids.VIEW_STATE, "data"),
        prevent_initial_call=True,
    )
    @require(*OPERATIONAL)
    def select_location(click: dict[str, Any] | None, state: dict[str, Any] | None):  # type: ignore[no-untyped-def]
        """Work out which location was clicked."""
        if not click or not state:
            raise PreventUpdate
        point = click["points"][0]
        kind = next((k for k, n in POINT_TRACE.items() if n == point.get("curveNumber")), None)
        if kind is None:
            raise PreventUpdate
        svc = services()
        _rev, frame = current_frame(svc.db)
        filters = Filters.from_dict(state["filters"])
        viewport = Viewport(*state["viewport"]) if state.get("viewport") else None
        view = plan_layer(
            frame, filter_mask(frame, filters), kind, viewport, svc.config.map_point_limit
        )
        location_id = locate_click(
            frame,
            view,
            int(point.get("pointIndex", point.get("pointNumber", -1))),
            point["lon"],
            point["lat"],
        )
        if location_id is None:
            raise PreventUpdate
        return {"id": location_id}

    @app.callback(
        Output(Ids.PANEL, "children"),
        Output(Ids.PANEL, "hidden"),
        Output(Ids.MAP, "figure", allow_duplicate=True),
        Input(Ids.SELECTED, "data"),
        Input(Ids.REFRESH, "data"),
        prevent_initial_call=True,
    )
    @require(*OPERATIONAL)
    def show_panel(selected: dict[str, Any] | None, _refresh: int):  # type: ignore[no-untyped-def]
        """Fill the side panel for the selected location (a logged consultation)."""
        if not selected:
            return [], True, patch_selected(Patch(), None, None)
        principal = current_principal()
        svc = services()
        with svc.db.read() as session:
            detail = location_detail(session, int(selected["id"]))
            entries = history(session, int(selected["id"])) if detail else []
        if detail is None:
            return [html.P("This location no longer exists.")], False, no_update
        _rev, frame = current_frame(svc.db)
        close = nearby(frame, detail["easting"], detail["northing"], NEARBY_M)
        close = close.loc[close["id"] != detail["id"]]
        with svc.db.write(bump=False) as session:
            processing_log.record(
                session,
                principal.username,
                processing_log.CONSULTATION,
                f"viewed {detail['kind']} location details",
                records=[detail["id"]],
            )
            if len(close):
                processing_log.record(
                    session,
                    principal.username,
                    processing_log.COMBINATION,
                    f"tip-offs and adverts within {NEARBY_M:.0f} m of location {detail['id']}",
                    records=[int(i) for i in close["id"]],
                )
        can_edit = principal.role in (ADMIN, COMMANDER)
        children = panel_children(
            detail,
            close.loc[close["kind"] == "tipoffs"],
            close.loc[close["kind"] == "adverts"],
            entries,
            can_edit,
        )
        return children, False, patch_selected(Patch(), detail["lon"], detail["lat"])

    @app.callback(
        Output(Ids.SELECTED, "data", allow_duplicate=True),
        Input(Ids.CLOSE_PANEL, "n_clicks"),
        prevent_initial_call=True,
    )
    @require(*OPERATIONAL)
    def close_panel(n: int | None):  # type: ignore[no-untyped-def]
        """Close the side panel."""
        if not n:
            raise PreventUpdate
        return None

    @app.callback(
        Output(Ids.SAVE_MESSAGE, "children"),
        Output(Ids.REFRESH, "data"),
        Input(Ids.SAVE, "n_clicks"),
        State(Ids.SELECTED, "data"),
        State(Ids.FORM_VERSION, "data"),
        State(Ids.NEXT_STATUS, "value"),
        State(Ids.OUTCOME, "value"),
        State({"type": RESULT_ID, "field": ALL}, "value"),
        State({"type": RESULT_ID, "field": ALL}, "id"),
        State(Ids.NOTE, "value"),
        State(Ids.REFRESH, "data"),
        prevent_initial_call=True,
    )
    @require(ADMIN, COMMANDER)
    def save_status(
        n, selected, version, status, outcome, result_values, result_ids, note, refresh
    ):  # type: ignore[no-untyped-def]
        """Store the status change (with its history entry), or explain why it was refused."""
        if not n or not selected:
            raise PreventUpdate
        principal = check(ADMIN, COMMANDER)
        if not status:
            return html.Div("Choose the new status first.", className="error"), no_update
        svc = services()
        results = {i["field"]: int(v) for i, v in zip(result_ids, result_values, strict=True) if v}
        try:
            with svc.db.write() as session:
                loc = set_status(
                    session,
                    int(selected["id"]),
                    status,
                    int(version),
                    principal.username,
                    note=note,
                    outcome=outcome,
                    results=results,
                )
        except VersionConflict as exc:
            return html.Div(exc.message(), className="error conflict"), (refresh or 0) + 1
        except TransitionError as exc:
            return html.Div(str(exc), className="error"), no_update
        except NotFound:
            return html.Div("This location no longer exists.", className="error"), (
                refresh or 0
            ) + 1
        return (
            html.Div(
                f"Saved: now {STATUS_LABELS[loc.status]} (version {loc.version}).", className="ok"
            ),
            (refresh or 0) + 1,
        )
