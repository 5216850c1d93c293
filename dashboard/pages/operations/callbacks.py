"""Callbacks of the operations page: glue between the controls and ``layers``/``geodata``.

Each callback reads its inputs, asks the domain, builds components or a ``Patch``, and returns.
Every one is authorised on the server with :func:`dashboard.access.require`. Opening a location
(and the processing-log entries that makes) is :func:`layers.planning.location_view.open_location`;
the status change is the shared form (:mod:`dashboard.components.status_form`). Each callback is
a plain function here; :func:`register_callbacks` wires it to its inputs and outputs.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import ALL, Dash, Input, Output, Patch, State, callback_context, ctx, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.access import OPERATIONAL, current_principal, require
from dashboard.components.maps import division_colorscale
from dashboard.components.status_form import register_status_form
from dashboard.components.zoom import zoom_to_districts
from dashboard.context import services
from dashboard.pages.operations.figures import POINT_TRACE, as_patch, patch_selected
from dashboard.pages.operations.ids import STATUS_FORM, Ids
from dashboard.pages.operations.listing import list_table, summary
from dashboard.pages.operations.panel import PLACEHOLDER, form_subject, panel_body, panel_head
from dashboard.pages.operations.render import FILTER_IDS, render
from dashboard.pages.operations.view import Viewport, clicked_location, redraw_needed
from layers.core.listing import list_locations
from layers.core.queries import Filters
from layers.planning.districts import district_names
from layers.planning.location_view import LocationView, open_location

logger = logging.getLogger(__name__)

PANEL_OPEN = "panel location-panel open"
PANEL_CLOSED = "panel location-panel"
DRAWER = "sidebar filters-drawer"


@require(*OPERATIONAL)
def update_map(
    kinds: list[str] | None,
    colour_by: str | None,
    filters: dict[str, Any],
    relayout: dict[str, Any] | None,
    refresh: Any,
    poll: Any,
    state: dict[str, Any] | None,
) -> dict[str, Any]:
    """Redraw the layers, counts and table for the filters and the visible area."""
    svc = services()
    triggered = {t["prop_id"] for t in callback_context.triggered}
    viewport = Viewport.from_relayout(relayout)
    if viewport is None and state and state.get("viewport"):
        viewport = Viewport(*state["viewport"])
    polled = triggered == {f"{Ids.POLL}.n_intervals"}
    moved = triggered == {f"{Ids.MAP}.relayoutData"}
    if not redraw_needed(polled, moved, state, viewport, svc.db.revision()):
        raise PreventUpdate
    out = render(svc, kinds, colour_by, filters, viewport, state)
    return {
        "figure": as_patch(out.updates),
        "counts": out.counts,
        "table": out.table,
        "state": out.state,
        "notice": out.notice,
    }


@require(*OPERATIONAL)
def shade_divisions(value: list[str] | None) -> Patch:
    """Shade districts by division, or not."""
    patch = Patch()
    patch["data"][0]["colorscale"] = division_colorscale(bool(value))
    return patch


@require(*OPERATIONAL)
def zoom_to_district(codes: list[str] | None) -> Any:
    """Choosing districts moves the map to them (kept filters too, when the page opens)."""
    if not codes and ctx.triggered_id is None:
        raise PreventUpdate  # the page opened with no district chosen: keep the force view
    return zoom_to_districts(services().boundaries, codes)


@require(*OPERATIONAL)
def reset_filters(clicks: int | None) -> list[list[str]]:
    """Clear every filter."""
    return [[] for _ in FILTER_IDS]


@require(*OPERATIONAL)
def toggle_filters(opened: int | None, closed: int | None) -> str:
    """Open or close the filter drawer (a phone shows the filters only on request)."""
    return DRAWER + (" open" if ctx.triggered_id == Ids.FILTERS_OPEN else "")


@require(*OPERATIONAL)
def select_location(click: dict[str, Any] | None, state: dict[str, Any] | None) -> Any:
    """Work out which location was clicked."""
    if not click or not state:
        raise PreventUpdate
    point = click["points"][0]
    kind = next((k for k, n in POINT_TRACE.items() if n == point.get("curveNumber")), None)
    if kind is None:
        raise PreventUpdate
    svc = services()
    location_id = clicked_location(svc.db, svc.config.map_point_limit, state, kind, point)
    if location_id is None:
        raise PreventUpdate
    return {"id": location_id}


def panel_output(view: LocationView | None, gone: bool = False) -> dict[str, Any]:
    """The panel's outputs for a location (``None``: nothing chosen, or ``gone``)."""
    if view is None:
        head = html.P("This location no longer exists." if gone else PLACEHOLDER, className="muted")
        figure = no_update if gone else patch_selected(Patch(), None, None)
        panel = PANEL_OPEN if gone else PANEL_CLOSED
        return {"head": head, "body": [], "subject": None, "panel": panel, "figure": figure}
    lon, lat = view.detail["lon"], view.detail["lat"]
    return {
        "head": panel_head(view),
        "body": panel_body(view),
        "subject": form_subject(view),
        "panel": PANEL_OPEN,
        "figure": patch_selected(Patch(), lon, lat),
    }


@require(*OPERATIONAL)
def show_panel(selected: dict[str, Any] | None, refresh: int) -> dict[str, Any]:
    """Fill the panel for the selected location (a logged consultation); never moves the map."""
    if not selected:
        return panel_output(None)
    svc = services()
    names = district_names(svc.boundaries)
    view = open_location(svc.db, int(selected["id"]), current_principal().username, names)
    return panel_output(view, gone=view is None)


@require(*OPERATIONAL)
def update_list(state: dict[str, Any] | None, text: str | None, shown: list | None) -> Any:
    """List what the map shows (its filters and visible area), narrowed by the search.

    The rows are redrawn only when what they show may have changed, so a keyboard user's focus
    in the list is not lost to a map refresh that changed nothing listed.
    """
    if not state:
        raise PreventUpdate
    key = [state.get("filters"), state.get("viewport"), state.get("revision"), text]
    if key == shown:
        raise PreventUpdate
    svc = services()
    bounds = tuple(state["viewport"]) if state.get("viewport") else None
    try:
        listed = list_locations(svc.db, Filters.from_dict(state["filters"]), bounds, text)
    except ValueError as exc:
        return {"summary": f"Not searched: {exc}.", "table": no_update, "key": key}
    table = list_table(listed, district_names(svc.boundaries))
    return {"summary": summary(listed), "table": table, "key": key}


@require(*OPERATIONAL)
def pick_from_list(clicks: list[int | None]) -> dict[str, int]:
    """Open the location whose button was pressed (as a click on its point would)."""
    if not isinstance(ctx.triggered_id, dict) or not any(clicks):
        raise PreventUpdate  # the rows were redrawn, nothing pressed
    return {"id": int(ctx.triggered_id["id"])}


@require(*OPERATIONAL)
def close_panel(clicks: int | None) -> None:
    """Close the side panel."""
    if not clicks:
        raise PreventUpdate
    return None


MAP_PATCH = Output(Ids.MAP, "figure", allow_duplicate=True)
SPECS: list[tuple[dict[str, Any], Any]] = [
    (
        {
            "output": {
                "figure": Output(Ids.MAP, "figure"),
                "counts": Output(Ids.COUNTS, "children"),
                "table": Output(Ids.TABLE, "children"),
                "state": Output(Ids.VIEW_STATE, "data"),
                "notice": Output(Ids.NOTICE, "children"),
            },
            "inputs": {
                "kinds": Input(Ids.LAYERS, "value"),
                "colour_by": Input(Ids.COLOUR_BY, "value"),
                "filters": {name: Input(i, "value") for name, i in FILTER_IDS.items()},
                "relayout": Input(Ids.MAP, "relayoutData"),
                "refresh": Input(Ids.REFRESH, "data"),
                "poll": Input(Ids.POLL, "n_intervals"),
            },
            "state": {"state": State(Ids.VIEW_STATE, "data")},
            "prevent_initial_call": True,
        },
        update_map,
    ),
    (
        {"output": MAP_PATCH, "inputs": {"value": Input(Ids.DIVISION_FILL, "value")},
         "prevent_initial_call": True},
        shade_divisions,
    ),
    (
        {"output": MAP_PATCH, "inputs": {"codes": Input(Ids.DISTRICT, "value")},
         "prevent_initial_call": "initial_duplicate"},
        zoom_to_district,
    ),
    (
        {"output": [Output(i, "value") for i in FILTER_IDS.values()],
         "inputs": {"clicks": Input(Ids.RESET, "n_clicks")}, "prevent_initial_call": True},
        reset_filters,
    ),
    (
        {"output": Output(Ids.FILTERS, "className"),
         "inputs": {"opened": Input(Ids.FILTERS_OPEN, "n_clicks"),
                    "closed": Input(Ids.FILTERS_CLOSE, "n_clicks")},
         "prevent_initial_call": True},
        toggle_filters,
    ),
    (
        {"output": Output(Ids.SELECTED, "data"), "inputs": {"click": Input(Ids.MAP, "clickData")},
         "state": {"state": State(Ids.VIEW_STATE, "data")}, "prevent_initial_call": True},
        select_location,
    ),
    (
        {
            "output": {
                "head": Output(Ids.PANEL_HEAD, "children"),
                "body": Output(Ids.PANEL_BODY, "children"),
                "subject": Output(STATUS_FORM.subject, "data"),
                "panel": Output(Ids.PANEL, "className"),
                "figure": MAP_PATCH,
            },
            "inputs": {"selected": Input(Ids.SELECTED, "data"),
                       "refresh": Input(Ids.REFRESH, "data")},
            "prevent_initial_call": True,
        },
        show_panel,
    ),
    (
        {"output": Output(Ids.SELECTED, "data", allow_duplicate=True),
         "inputs": {"clicks": Input(Ids.CLOSE_PANEL, "n_clicks")}, "prevent_initial_call": True},
        close_panel,
    ),
    (
        {"output": {"summary": Output(Ids.LIST_SUMMARY, "children"),
                    "table": Output(Ids.LIST, "children"), "key": Output(Ids.LIST_KEY, "data")},
         "inputs": {"state": Input(Ids.VIEW_STATE, "data"), "text": Input(Ids.FIND, "value")},
         "state": {"shown": State(Ids.LIST_KEY, "data")}},
        update_list,
    ),
    (
        {"output": Output(Ids.SELECTED, "data", allow_duplicate=True),
         "inputs": {"clicks": Input({"type": Ids.PICK, "id": ALL}, "n_clicks")},
         "prevent_initial_call": True},
        pick_from_list,
    ),
]  # fmt: skip
"""Each callback with its outputs and inputs (Dash's dict grouping: callbacks take keywords)."""


def register_callbacks(app: Dash) -> None:
    """Register the page's callbacks (and its status form's) on ``app``."""
    register_status_form(app, STATUS_FORM, Ids.REFRESH)
    for spec, callback in SPECS:
        app.callback(**spec)(callback)
