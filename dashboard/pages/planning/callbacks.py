"""Callbacks of the planning page: the redraw, map selection, and the status form's subject.

Glue between the controls and :mod:`layers.planning`: each callback reads its inputs, calls the
domain and returns components. Every one is authorised on the server with ``require``: analysts
may view, commanders and admins change (:mod:`.plan_callbacks`, :mod:`.team_callbacks`).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from dash import Dash, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard.access import ADMIN, COMMANDER, OPERATIONAL, current_principal, require
from dashboard.components.area_filters import AreaIds
from dashboard.components.status_form import register_status_form, subject
from dashboard.context import services
from dashboard.pages.planning.ids import STATUS_FORM, Ids
from dashboard.pages.planning.plan_callbacks import register_plan_callbacks
from dashboard.pages.planning.render import render_planning
from dashboard.pages.planning.replan_callbacks import register_replan_callbacks
from dashboard.pages.planning.team_callbacks import register_team_callbacks
from layers.planning.bulk import visible_selection

logger = logging.getLogger(__name__)


def day_of(value: str | None) -> dt.date | None:
    """The day a dropdown holds (ISO text), or ``None``."""
    return dt.date.fromisoformat(value) if value else None


def status_subject(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The status form's subject: the one selected row, with its team, day, stop and priority."""
    if len(rows) != 1:
        return None
    r = rows[0]
    plan = "Not on the plan"
    if r.get("call_sign"):
        plan = f"{r['call_sign']} · {dt.date.fromisoformat(r['day']):%a %d %b} · stop {r['stop']}"
    facts = f"{plan} · priority {float(r.get('priority') or 0):.0f}"
    return subject(
        int(r["id"]), int(r["version"]), str(r["status"]), r.get("ref") or str(r["id"]), facts
    )


@require(*OPERATIONAL)
def refresh(
    team_id: int | None, day: str | None, area: dict[str, Any], refresh: Any, poll: Any, shown: int
) -> dict[str, Any]:
    """Redraw from the store; a poll with no new data since the last redraw sends nothing."""
    svc = services()
    revision = svc.db.revision()
    if ctx.triggered_id == Ids.POLL and revision == shown:
        raise PreventUpdate
    editable = current_principal().role in (ADMIN, COMMANDER)
    view = render_planning(svc, team_id, day_of(day), area, editable)
    return {
        "rows": view.rows,
        "figure": view.figure,
        "stops": view.stops,
        "info": view.info,
        "links": view.links,
        "capacity": view.capacity,
        "revision": revision,
    }


@require(*OPERATIONAL)
def select_on_map(selected: dict | None) -> Any:
    """Lasso/box selection or a click (shift-click adds) selects the same rows in the grid."""
    points = (selected or {}).get("points") or []
    ids = sorted({int(p["customdata"]) for p in points if isinstance(p.get("customdata"), int)})
    return {"ids": [str(i) for i in ids]}


@require(*OPERATIONAL)
def follow_selection(
    selected: list | None, shown: list | None, visible: list | None, current: Any
) -> Any:
    """The status form follows the one selected, visible location (as it is shown now)."""
    about = status_subject(visible_selection(selected, shown, visible))
    return no_update if about == current else about


@require(*OPERATIONAL)
def keep_grid_filters(model: dict | None, rows: list | None) -> Any:
    """Keep the grid's own filters for the session, as the user sets them.

    AG Grid reports an empty model while it starts, before it has rows: that is not the user's
    choice, so it is not kept.
    """
    return model or {} if rows else no_update


@require(*OPERATIONAL)
def restore_grid_filters(rows: list | None, kept: dict | None, model: dict | None) -> Any:
    """Put the kept filters back on the grid once it has rows (after the page opened)."""
    if not rows or not kept or kept == model:
        raise PreventUpdate
    return kept


SPECS: list[tuple[dict[str, Any], Any]] = [
    (
        {
            "output": {
                "rows": Output(Ids.GRID, "rowData"),
                "figure": Output(Ids.MAP, "figure"),
                "stops": Output(Ids.STOPS, "children"),
                "info": Output(Ids.ROUTE_INFO, "children"),
                "links": Output(Ids.RUNSHEETS, "children"),
                "capacity": Output(Ids.CAPACITY, "children"),
                "revision": Output(Ids.REVISION, "data"),
            },
            "inputs": {
                "team_id": Input(Ids.TEAM, "value"),
                "day": Input(Ids.DAY, "value"),
                "area": {
                    "divisions": Input(AreaIds.DIVISION, "value"),
                    "districts": Input(AreaIds.DISTRICT, "value"),
                    "statuses": Input(AreaIds.STATUS, "value"),
                },
                "refresh": Input(Ids.REFRESH, "data"),
                "poll": Input(Ids.POLL, "n_intervals"),
            },
            "state": {"shown": State(Ids.REVISION, "data")},
        },
        refresh,
    ),
    (
        {
            "output": Output(Ids.GRID_FILTERS, "data"),
            "inputs": {"model": Input(Ids.GRID, "filterModel")},
            "state": {"rows": State(Ids.GRID, "rowData")},
            "prevent_initial_call": True,
        },
        keep_grid_filters,
    ),
    (
        {
            "output": Output(Ids.GRID, "filterModel"),
            "inputs": {"rows": Input(Ids.GRID, "rowData")},
            "state": {"kept": State(Ids.GRID_FILTERS, "data"),
                      "model": State(Ids.GRID, "filterModel")},
            "prevent_initial_call": True,
        },
        restore_grid_filters,
    ),
    (
        {"output": Output(Ids.GRID, "selectedRows"),
         "inputs": {"selected": Input(Ids.MAP, "selectedData")}, "prevent_initial_call": True},
        select_on_map,
    ),
    (
        {
            "output": Output(STATUS_FORM.subject, "data"),
            "inputs": {
                "selected": Input(Ids.GRID, "selectedRows"),
                "shown": Input(Ids.GRID, "rowData"),
                "visible": Input(Ids.GRID, "virtualRowData"),
            },
            "state": {"current": State(STATUS_FORM.subject, "data")},
        },
        follow_selection,
    ),
]  # fmt: skip
"""Each callback with its outputs and inputs (Dash's dict grouping: callbacks take keywords)."""


def register_callbacks(app: Dash) -> None:
    """Register the planning page's callbacks on ``app``."""
    register_status_form(app, STATUS_FORM, Ids.REFRESH)
    register_plan_callbacks(app)
    register_team_callbacks(app)
    register_replan_callbacks(app)
    for spec, callback in SPECS:
        app.callback(**spec)(callback)
