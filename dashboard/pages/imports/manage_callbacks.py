"""Callbacks of the imports page after the upload: past imports and undo, custom layers, export.

Undo asks for confirmation first (a dialog naming the import) and then keeps whatever others
have acted on, saying so (:mod:`layers.imports.undo`). Layer edits and removals are logged by
:mod:`layers.maplayers.store`; exports carry the marking (:mod:`layers.exports.files`).
"""

from __future__ import annotations

import logging
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, no_update
from dash.exceptions import PreventUpdate

from dashboard.access import ADMIN, ANALYST, current_principal, require
from dashboard.context import services
from dashboard.pages.imports.components import custom_export_options, imports_table, layers_list
from dashboard.pages.imports.ids import Ids
from dashboard.pages.imports.layout import KIND_OPTIONS
from layers.core.queries import Filters
from layers.exports.files import ExportError, ExportRequest, export_layer
from layers.imports import (
    ImportNotFound,
    Undoer,
    UndoRefused,
    get_import,
    list_imports,
    undo_import,
)
from layers.maplayers.store import LayerEdit, LayerError, edit_layer, list_layers, remove_layer

logger = logging.getLogger(__name__)


def register_manage_callbacks(app: Dash) -> None:
    """Register the past-imports, undo, layer and export callbacks on ``app``."""
    _refresh_lists(app)
    _ask_undo(app)
    _confirm_undo(app)
    _pick_layer(app)
    _change_layer(app)
    _export(app)


def _refresh_lists(app: Dash) -> None:
    @app.callback(
        output={
            "imports": Output(Ids.IMPORTS, "children"),
            "layers": Output(Ids.LAYERS, "children"),
            "picks": Output(Ids.LAYER_PICK, "options"),
            "exports": Output(Ids.EXPORT_KIND, "options"),
        },
        inputs={"_refresh": Input(Ids.REFRESH, "data")},
    )
    @require(ANALYST, ADMIN)
    def refresh_lists(_refresh: int | None) -> dict[str, Any]:
        with services().db.read() as session:
            rows = list_imports(session)
            layers = list_layers(session)
        return {
            "imports": imports_table(rows),
            "layers": layers_list(layers),
            "picks": [{"label": layer.name, "value": layer.id} for layer in layers],
            "exports": KIND_OPTIONS[:3] + custom_export_options(layers),
        }


def _ask_undo(app: Dash) -> None:
    @app.callback(
        output={
            "shown": Output(Ids.UNDO_CONFIRM, "displayed"),
            "question": Output(Ids.UNDO_CONFIRM, "message"),
            "pending": Output(Ids.UNDO_PENDING, "data"),
        },
        inputs={"clicks": Input({"type": Ids.UNDO, "index": ALL}, "n_clicks")},
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def ask_undo(clicks: list[int | None]) -> dict[str, Any]:
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(clicks):
            raise PreventUpdate
        try:
            with services().db.read() as session:
                found = get_import(session, int(trigger["index"]))
        except ImportNotFound:
            raise PreventUpdate from None
        question = (
            f"Undo import #{found.id} ('{found.file_name}', {found.rows_stored} records)? "
            "Locations that others have planned, visited or recorded stay, with their history."
        )
        return {"shown": True, "question": question, "pending": found.id}


def _confirm_undo(app: Dash) -> None:
    @app.callback(
        output={
            "refresh": Output(Ids.REFRESH, "data", allow_duplicate=True),
            "message": Output(Ids.UNDO_MESSAGE, "children"),
        },
        inputs={"confirmed": Input(Ids.UNDO_CONFIRM, "submit_n_clicks")},
        state={"pending": State(Ids.UNDO_PENDING, "data"), "refresh": State(Ids.REFRESH, "data")},
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def confirm_undo(
        confirmed: int | None, pending: int | None, refresh: int | None
    ) -> dict[str, Any]:
        if not confirmed or pending is None:
            raise PreventUpdate
        principal = current_principal()
        try:
            outcome = undo_import(
                services().db, int(pending), Undoer(principal.username, principal.role == ADMIN)
            )
        except UndoRefused as exc:
            return {"refresh": no_update, "message": f"Not undone: {exc}."}
        return {"refresh": (refresh or 0) + 1, "message": outcome.message()}


def _pick_layer(app: Dash) -> None:
    @app.callback(
        output={
            "name": Output(Ids.LAYER_NAME, "value"),
            "colour": Output(Ids.LAYER_COLOUR, "value"),
            "opacity": Output(Ids.LAYER_OPACITY, "value"),
            "visible": Output(Ids.LAYER_VISIBLE, "value"),
        },
        inputs={"layer_id": Input(Ids.LAYER_PICK, "value")},
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def pick_layer(layer_id: int | None) -> dict[str, Any]:
        with services().db.read() as session:
            found = [layer for layer in list_layers(session) if layer.id == layer_id]
        if not found:
            raise PreventUpdate
        layer = found[0]
        return {
            "name": layer.name,
            "colour": str(layer.style.get("colour", "")),
            "opacity": float(layer.style.get("opacity", 0.8)),
            "visible": ["on"] if layer.visible else [],
        }


def _change_layer(app: Dash) -> None:
    @app.callback(
        output={
            "message": Output(Ids.LAYER_MESSAGE, "children"),
            "refresh": Output(Ids.REFRESH, "data", allow_duplicate=True),
        },
        inputs={
            "_save": Input(Ids.LAYER_SAVE, "n_clicks"),
            "_remove": Input(Ids.LAYER_REMOVE, "n_clicks"),
        },
        state={
            "layer_id": State(Ids.LAYER_PICK, "value"),
            "name": State(Ids.LAYER_NAME, "value"),
            "colour": State(Ids.LAYER_COLOUR, "value"),
            "opacity": State(Ids.LAYER_OPACITY, "value"),
            "visible": State(Ids.LAYER_VISIBLE, "value"),
            "refresh": State(Ids.REFRESH, "data"),
        },
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def change_layer(
        _save: int | None,
        _remove: int | None,
        layer_id: int | None,
        name: str | None,
        colour: str | None,
        opacity: float | None,
        visible: list[str] | None,
        refresh: int | None,
    ) -> dict[str, Any]:
        if layer_id is None:
            return {"message": "Choose a layer first.", "refresh": no_update}
        username = current_principal().username
        try:
            with services().db.write() as session:
                if ctx.triggered_id == Ids.LAYER_REMOVE:
                    gone = remove_layer(session, layer_id, username=username)
                    message = f"Layer removed ({gone} features)."
                else:
                    edit = LayerEdit(name or "", colour, opacity, bool(visible))
                    layer = edit_layer(session, layer_id, edit, username=username)
                    message = f"Layer '{layer.name}' saved."
        except LayerError as exc:
            return {"message": f"Not saved: {exc}", "refresh": no_update}
        return {"message": message, "refresh": (refresh or 0) + 1}


def _export(app: Dash) -> None:
    @app.callback(
        output={
            "download": Output(Ids.EXPORT_DOWNLOAD, "data"),
            "message": Output(Ids.EXPORT_MESSAGE, "children"),
        },
        inputs={"clicks": Input(Ids.EXPORT_BUTTON, "n_clicks")},
        state={
            "choice": State(Ids.EXPORT_KIND, "value"),
            "fmt": State(Ids.EXPORT_FORMAT, "value"),
            "districts": State(Ids.EXPORT_DISTRICTS, "value"),
            "statuses": State(Ids.EXPORT_STATUSES, "value"),
            "clean": State(Ids.EXPORT_CLEAN, "value"),
        },
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def export(
        clicks: int | None,
        choice: str,
        fmt: str,
        districts: list[str] | None,
        statuses: list[str] | None,
        clean: list[str] | None,
    ) -> dict[str, Any]:
        if not clicks:
            raise PreventUpdate
        filters = Filters(districts=tuple(districts or ()), statuses=tuple(statuses or ()))
        wanted = ExportRequest.from_choice(choice, fmt, filters, clean=bool(clean))
        try:
            result = export_layer(services(), wanted, current_principal().username)
        except ExportError as exc:
            return {"download": no_update, "message": f"Export failed: {exc}"}
        return {
            "download": dcc.send_bytes(result.data, result.file_name),
            "message": f"Exported {result.rows} rows as {result.file_name}.",
        }
