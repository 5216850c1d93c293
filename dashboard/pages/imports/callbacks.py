"""Callbacks of the imports page: glue between the components and :mod:`layers.imports`.

The uploaded file stays in the browser (``dcc.Upload``'s contents) between the preview and the
commit, so no server process keeps state between requests; a commit sends it again and runs
the same import with ``dry_run=False``, in one transaction. Every rule lives in the domain:
decoding and the upload limit (:mod:`layers.imports.upload`), mappings
(:mod:`layers.imports.mapping`), undo (:mod:`layers.imports.undo`), layer edits and their
processing-log entries (:mod:`layers.maplayers.store`), exports (:mod:`layers.exports.files`).
"""

from __future__ import annotations

import logging
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, no_update
from dash.exceptions import PreventUpdate

from dashboard.access import ADMIN, ANALYST, current_principal, require
from dashboard.context import services
from dashboard.pages.imports.figures import (
    custom_export_options,
    imports_table,
    layers_list,
    preview_figure,
    report_view,
)
from dashboard.pages.imports.ids import Ids
from dashboard.pages.imports.layout import KIND_OPTIONS
from layers.core.queries import Filters
from layers.exports.files import ExportError, ExportRequest, export_layer
from layers.imports import (
    ImportRefused,
    ImportResult,
    Undoer,
    UndoRefused,
    import_file,
    list_imports,
    parse_mapping_text,
    undo_import,
)
from layers.imports.report import ImportReport
from layers.imports.upload import decode_upload
from layers.maplayers.store import LayerEdit, LayerError, edit_layer, list_layers, remove_layer

logger = logging.getLogger(__name__)

UPLOAD_STATE = {
    "file_name": State(Ids.UPLOAD, "filename"),
    "kind": State(Ids.KIND, "value"),
    "name": State(Ids.NAME, "value"),
    "mapping": State(Ids.MAPPING, "value"),
}


def run_upload(
    contents: str,
    file_name: str,
    kind: str,
    name: str | None,
    mapping: str | None,
    *,
    dry_run: bool,
) -> ImportResult:
    """Decode the upload and import it for the signed-in user (a refusal is a report)."""
    svc = services()
    try:
        data = decode_upload(contents, svc.config.max_upload_mb * 1024 * 1024)
        columns = parse_mapping_text(mapping)
    except ImportRefused as exc:
        return ImportResult(ImportReport(file_name=file_name, kind=kind, refused=str(exc)))
    return import_file(
        svc,
        data,
        file_name,
        kind,
        current_principal().username,
        name=(name or "").strip() or None,
        mapping=columns,
        dry_run=dry_run,
    )


def register_callbacks(app: Dash) -> None:
    """Register the page's callbacks on ``app``."""
    _register_upload(app)
    _register_lists(app)
    _register_layers(app)
    _register_export(app)


def _register_upload(app: Dash) -> None:
    @app.callback(
        output={
            "report": Output(Ids.REPORT, "children"),
            "figure": Output(Ids.PREVIEW, "figure"),
            "locked": Output(Ids.COMMIT, "disabled"),
            "status": Output(Ids.STATUS, "children"),
        },
        inputs={"contents": Input(Ids.UPLOAD, "contents"), "_check": Input(Ids.CHECK, "n_clicks")},
        state=UPLOAD_STATE,
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def preview(
        contents: str | None,
        _check: int | None,
        file_name: str | None,
        kind: str,
        name: str | None,
        mapping: str | None,
    ) -> dict[str, Any]:
        if not contents or not file_name:
            return {"report": "", "figure": preview_figure(None), "locked": True, "status": ""}
        result = run_upload(contents, file_name, kind, name, mapping, dry_run=True)
        report = result.report
        return {
            "report": report_view(report),
            "figure": preview_figure(result.preview),
            "locked": not (report.ok and report.accepted > 0),
            "status": f"Checked {file_name}." if report.ok else f"{file_name} was refused.",
        }

    @app.callback(
        output={
            "report": Output(Ids.REPORT, "children", allow_duplicate=True),
            "locked": Output(Ids.COMMIT, "disabled", allow_duplicate=True),
            "refresh": Output(Ids.REFRESH, "data", allow_duplicate=True),
            "status": Output(Ids.STATUS, "children", allow_duplicate=True),
        },
        inputs={"clicks": Input(Ids.COMMIT, "n_clicks")},
        state={
            **UPLOAD_STATE,
            "contents": State(Ids.UPLOAD, "contents"),
            "refresh": State(Ids.REFRESH, "data"),
        },
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def commit(
        clicks: int | None,
        contents: str | None,
        file_name: str | None,
        kind: str,
        name: str | None,
        mapping: str | None,
        refresh: int | None,
    ) -> dict[str, Any]:
        if not clicks or not contents or not file_name:
            raise PreventUpdate
        report = run_upload(contents, file_name, kind, name, mapping, dry_run=False).report
        return {
            "report": report_view(report),
            "locked": True,
            "refresh": (refresh or 0) + 1,
            "status": report.outcome_sentence(),
        }

    @app.callback(
        output={
            "contents": Output(Ids.UPLOAD, "contents"),
            "report": Output(Ids.REPORT, "children", allow_duplicate=True),
            "figure": Output(Ids.PREVIEW, "figure", allow_duplicate=True),
            "locked": Output(Ids.COMMIT, "disabled", allow_duplicate=True),
            "status": Output(Ids.STATUS, "children", allow_duplicate=True),
        },
        inputs={"clicks": Input(Ids.CANCEL, "n_clicks")},
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def cancel(clicks: int | None) -> dict[str, Any]:
        if not clicks:
            raise PreventUpdate
        return {
            "contents": None,
            "report": "",
            "figure": preview_figure(None),
            "locked": True,
            "status": "Cancelled: nothing stored.",
        }


def _register_lists(app: Dash) -> None:
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

    @app.callback(
        output={
            "refresh": Output(Ids.REFRESH, "data", allow_duplicate=True),
            "status": Output(Ids.STATUS, "children", allow_duplicate=True),
        },
        inputs={"clicks": Input({"type": Ids.UNDO, "index": ALL}, "n_clicks")},
        state={"refresh": State(Ids.REFRESH, "data")},
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def undo(clicks: list[int | None], refresh: int | None) -> dict[str, Any]:
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(clicks):
            raise PreventUpdate
        principal = current_principal()
        undoer = Undoer(principal.username, admin=principal.role == ADMIN)
        try:
            outcome = undo_import(services().db, int(trigger["index"]), undoer)
        except UndoRefused as exc:
            return {"refresh": no_update, "status": f"Not undone: {exc}."}
        return {"refresh": (refresh or 0) + 1, "status": outcome.message()}


def _register_layers(app: Dash) -> None:
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


def _register_export(app: Dash) -> None:
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
