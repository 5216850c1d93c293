"""Callbacks of the imports page: glue between the components and :mod:`layers.imports`.

The uploaded file stays in the browser (``dcc.Upload``'s contents) between the preview and the
commit, so no server process keeps state between requests; a commit sends it again and runs
the same import with ``dry_run=False``, in one transaction.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.access import ADMIN, ANALYST, current_principal, require
from dashboard.context import services
from dashboard.pages.imports.figures import preview_figure, report_view
from dashboard.pages.imports.ids import Ids
from dashboard.pages.imports.layout import KIND_OPTIONS
from layers.exports.files import ExportError, export_layer
from layers.imports import (
    ImportRefused,
    ImportResult,
    UndoRefused,
    import_file,
    list_imports,
    parse_map_args,
    undo_import,
)
from layers.imports.report import ImportReport
from layers.maplayers.store import (
    LayerError,
    list_layers,
    remove_layer,
    rename_layer,
    set_style,
    set_visible,
)

logger = logging.getLogger(__name__)


def decode_upload(contents: str) -> bytes:
    """The bytes of a ``dcc.Upload`` data URL (``data:<type>;base64,<data>``)."""
    _header, _, data = contents.partition(",")
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImportRefused(f"the upload could not be decoded: {exc}") from None


def run_upload(
    contents: str,
    file_name: str,
    kind: str,
    name: str | None,
    mapping_text: str | None,
    dry_run: bool,
) -> ImportResult:
    """Decode the upload and import it for the signed-in user."""
    principal = current_principal()
    try:
        mapping = parse_map_args(
            [line for line in (mapping_text or "").splitlines() if line.strip()]
        )
        data = decode_upload(contents)
    except ImportRefused as exc:
        return ImportResult(ImportReport(file_name=file_name, kind=kind, refused=str(exc)))
    limit = services().config.max_upload_mb * 1024 * 1024
    if len(contents) > limit * 4 // 3 + 1024:
        return ImportResult(
            ImportReport(
                file_name=file_name,
                kind=kind,
                refused=f"the file is larger than the upload limit of {limit // (1024 * 1024)} MB",
            )
        )
    return import_file(
        services(),
        data,
        file_name,
        kind,
        principal.username,
        name=(name or "").strip() or None,
        mapping=mapping,
        dry_run=dry_run,
    )


def imports_table(rows: list[Any]) -> html.Table | html.P:
    """Past imports with an undo button on each committed one."""
    if not rows:
        return html.P("No imports yet.")
    head = html.Tr(
        [html.Th(h) for h in ("#", "When (UTC)", "File", "Layer", "By", "Stored", "Status", "")]
    )
    body = [
        html.Tr(
            [
                html.Td(str(r.id)),
                html.Td(r.created_at.replace("T", " ")[:16]),
                html.Td(r.file_name),
                html.Td(r.layer_name or r.kind),
                html.Td(r.created_by),
                html.Td(str(r.rows_stored)),
                html.Td(r.status if r.status != "undone" else f"undone by {r.undone_by}"),
                html.Td(
                    html.Button(
                        "Undo", id={"type": Ids.UNDO, "index": r.id}, className="button secondary"
                    )
                    if r.status == "committed"
                    else ""
                ),
            ],
            **{"data-import": str(r.id)},
        )
        for r in rows
    ]
    return html.Table([html.Thead(head), html.Tbody(body)], className="imports-table")


def register_callbacks(app: Dash) -> None:
    """Register the page's callbacks on ``app``."""

    @app.callback(
        Output(Ids.REPORT, "children"),
        Output(Ids.PREVIEW, "figure"),
        Output(Ids.COMMIT, "disabled"),
        Output(Ids.STATUS, "children"),
        Input(Ids.UPLOAD, "contents"),
        Input(Ids.CHECK, "n_clicks"),
        State(Ids.UPLOAD, "filename"),
        State(Ids.KIND, "value"),
        State(Ids.NAME, "value"),
        State(Ids.MAPPING, "value"),
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
    ) -> tuple[Any, Any, bool, str]:
        if not contents or not file_name:
            return "", preview_figure(None), True, ""
        result = run_upload(contents, file_name, kind, name, mapping, dry_run=True)
        report = result.report
        ready = report.ok and report.accepted > 0
        status = f"Checked {file_name}." if report.ok else f"{file_name} was refused."
        return report_view(report), preview_figure(result.preview), not ready, status

    @app.callback(
        Output(Ids.REPORT, "children", allow_duplicate=True),
        Output(Ids.COMMIT, "disabled", allow_duplicate=True),
        Output(Ids.REFRESH, "data", allow_duplicate=True),
        Output(Ids.STATUS, "children", allow_duplicate=True),
        Input(Ids.COMMIT, "n_clicks"),
        State(Ids.UPLOAD, "contents"),
        State(Ids.UPLOAD, "filename"),
        State(Ids.KIND, "value"),
        State(Ids.NAME, "value"),
        State(Ids.MAPPING, "value"),
        State(Ids.REFRESH, "data"),
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def commit(
        n: int | None,
        contents: str | None,
        file_name: str | None,
        kind: str,
        name: str | None,
        mapping: str | None,
        refresh: int | None,
    ) -> tuple[Any, bool, int, str]:
        if not n or not contents or not file_name:
            raise PreventUpdate
        result = run_upload(contents, file_name, kind, name, mapping, dry_run=False)
        report = result.report
        status = (
            f"Import #{report.import_id} committed: {report.accepted} stored."
            if report.committed
            else ("Nothing stored." if report.ok else "Refused: nothing stored.")
        )
        return report_view(report), True, (refresh or 0) + 1, status

    @app.callback(
        Output(Ids.UPLOAD, "contents"),
        Output(Ids.REPORT, "children", allow_duplicate=True),
        Output(Ids.PREVIEW, "figure", allow_duplicate=True),
        Output(Ids.COMMIT, "disabled", allow_duplicate=True),
        Output(Ids.STATUS, "children", allow_duplicate=True),
        Input(Ids.CANCEL, "n_clicks"),
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def cancel(n: int | None) -> tuple[None, str, Any, bool, str]:
        if not n:
            raise PreventUpdate
        return None, "", preview_figure(None), True, "Cancelled: nothing stored."

    @app.callback(
        Output(Ids.IMPORTS, "children"),
        Output(Ids.LAYERS, "children"),
        Output(Ids.LAYER_PICK, "options"),
        Output(Ids.EXPORT_KIND, "options"),
        Input(Ids.REFRESH, "data"),
    )
    @require(ANALYST, ADMIN)
    def refresh_lists(
        _refresh: int | None,
    ) -> tuple[Any, Any, list[dict[str, Any]], list[dict[str, Any]]]:
        with services().db.read() as session:
            rows = list_imports(session)
            layers = list_layers(session)
        layer_items = (
            html.Ul(
                [
                    html.Li(
                        f"{layer.name}: {layer.features} {layer.geometry_type.lower()} features, "
                        f"{'visible' if layer.visible else 'hidden'}, "
                        f"colour {layer.style.get('colour')}"
                    )
                    for layer in layers
                ]
            )
            if layers
            else html.P("No custom layers.")
        )
        picks = [{"label": layer.name, "value": layer.id} for layer in layers]
        export_options = KIND_OPTIONS[:3] + [
            {"label": f"Custom: {layer.name}", "value": f"custom:{layer.id}"} for layer in layers
        ]
        return imports_table(rows), layer_items, picks, export_options

    @app.callback(
        Output(Ids.REFRESH, "data", allow_duplicate=True),
        Output(Ids.STATUS, "children", allow_duplicate=True),
        Input({"type": Ids.UNDO, "index": ALL}, "n_clicks"),
        State(Ids.REFRESH, "data"),
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def undo(clicks: list[int | None], refresh: int | None) -> tuple[int, str]:
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(clicks):
            raise PreventUpdate
        import_id = int(trigger["index"])
        try:
            removed = undo_import(services().db, import_id, current_principal().username)
        except UndoRefused as exc:
            return no_update, str(exc)
        return (refresh or 0) + 1, f"Import #{import_id} undone: {removed} records removed."

    @app.callback(
        Output(Ids.LAYER_NAME, "value"),
        Output(Ids.LAYER_COLOUR, "value"),
        Output(Ids.LAYER_OPACITY, "value"),
        Output(Ids.LAYER_VISIBLE, "value"),
        Input(Ids.LAYER_PICK, "value"),
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def pick_layer(layer_id: int | None) -> tuple[str, str, float, list[str]]:
        if layer_id is None:
            raise PreventUpdate
        with services().db.read() as session:
            found = [layer for layer in list_layers(session) if layer.id == layer_id]
        if not found:
            raise PreventUpdate
        layer = found[0]
        return (
            layer.name,
            str(layer.style.get("colour", "")),
            float(layer.style.get("opacity", 0.8)),
            ["on"] if layer.visible else [],
        )

    @app.callback(
        Output(Ids.LAYER_MESSAGE, "children"),
        Output(Ids.REFRESH, "data", allow_duplicate=True),
        Input(Ids.LAYER_SAVE, "n_clicks"),
        Input(Ids.LAYER_REMOVE, "n_clicks"),
        State(Ids.LAYER_PICK, "value"),
        State(Ids.LAYER_NAME, "value"),
        State(Ids.LAYER_COLOUR, "value"),
        State(Ids.LAYER_OPACITY, "value"),
        State(Ids.LAYER_VISIBLE, "value"),
        State(Ids.REFRESH, "data"),
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def edit_layer(
        _save: int | None,
        _remove: int | None,
        layer_id: int | None,
        name: str | None,
        colour: str | None,
        opacity: float | None,
        visible: list[str] | None,
        refresh: int | None,
    ) -> tuple[str, Any]:
        if layer_id is None:
            return "Choose a layer first.", no_update
        try:
            with services().db.write() as session:
                if ctx.triggered_id == Ids.LAYER_REMOVE:
                    gone = remove_layer(session, layer_id)
                    message = f"Layer removed ({gone} features)."
                else:
                    layer = rename_layer(session, layer_id, name or "")
                    style = json.loads(layer.style or "{}")
                    style.update(
                        {
                            "colour": colour or style.get("colour"),
                            "opacity": opacity if opacity is not None else style.get("opacity"),
                        }
                    )
                    if style.get("fill"):
                        style["fill"] = style["colour"]
                    set_style(session, layer_id, style)
                    set_visible(session, layer_id, bool(visible))
                    message = f"Layer '{layer.name}' saved."
        except LayerError as exc:
            return f"Not saved: {exc}", no_update
        return message, (refresh or 0) + 1

    @app.callback(
        Output(Ids.EXPORT_DOWNLOAD, "data"),
        Output(Ids.EXPORT_MESSAGE, "children"),
        Input(Ids.EXPORT_BUTTON, "n_clicks"),
        State(Ids.EXPORT_KIND, "value"),
        State(Ids.EXPORT_FORMAT, "value"),
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def export(n: int | None, kind: str, fmt: str) -> tuple[Any, str]:
        if not n:
            raise PreventUpdate
        layer = None
        if kind.startswith("custom:"):
            kind, layer = "custom", kind.split(":", 1)[1]
        try:
            result = export_layer(
                services().db, kind, fmt, current_principal().username, layer=layer
            )
        except ExportError as exc:
            return no_update, f"Export failed: {exc}"
        return dcc.send_bytes(result.data, result.file_name), f"Exported {result.rows} rows."
