"""Callbacks of the imports page's upload flow: glue between components and the domain.

The uploaded file stays in the browser (``dcc.Upload``'s contents) between the preview and the
commit, so no server process keeps state between requests; every check and the commit send it
again. A new file (or a new kind) is checked with the automatic guess only: the mapping belongs
to one file. Every rule lives in the domain: decoding and the upload limit
(:mod:`layers.imports.upload`), the grid's rows and the mappings they amount to
(:mod:`layers.imports.grid`), presets (:mod:`layers.imports.presets`). The rest of the page's
callbacks (past imports, undo, layers, export) are in :mod:`.manage_callbacks`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from dash import ALL, Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from dashboard.access import ADMIN, ANALYST, current_principal, require
from dashboard.context import services
from dashboard.pages.imports.components import report_view
from dashboard.pages.imports.figures import preview_area
from dashboard.pages.imports.ids import Ids
from dashboard.pages.imports.manage_callbacks import register_manage_callbacks
from dashboard.pages.imports.mapping_view import mapping_area
from layers.imports import ImportRefused, ImportResult, import_file
from layers.imports.choices import ValueMap
from layers.imports.grid import explicit_mapping, preset_mapping, value_map
from layers.imports.presets import Preset, list_presets, save_preset
from layers.imports.report import ImportReport
from layers.imports.upload import decode_upload

logger = logging.getLogger(__name__)

FILE = {
    "contents": State(Ids.UPLOAD, "contents"),
    "file_name": State(Ids.UPLOAD, "filename"),
    "kind": State(Ids.KIND, "value"),
    "name": State(Ids.NAME, "value"),
}
GRID = {
    "columns": State({"type": Ids.MAP_COLUMN, "column": ALL}, "value"),
    "column_ids": State({"type": Ids.MAP_COLUMN, "column": ALL}, "id"),
    "values": State({"type": Ids.MAP_VALUE, "field": ALL, "value": ALL}, "value"),
    "value_ids": State({"type": Ids.MAP_VALUE, "field": ALL, "value": ALL}, "id"),
}
CHECKED = {
    "report": Output(Ids.REPORT, "children", allow_duplicate=True),
    "preview": Output(Ids.PREVIEW_AREA, "children", allow_duplicate=True),
    "locked": Output(Ids.COMMIT, "disabled", allow_duplicate=True),
    "status": Output(Ids.STATUS, "children", allow_duplicate=True),
    "mapping": Output(Ids.MAPPING_AREA, "children", allow_duplicate=True),
    "presets": Output(Ids.PRESET, "options", allow_duplicate=True),
}


@dataclass(frozen=True)
class Upload:
    """The file in the browser and what it is to be imported as."""

    contents: str | None
    file_name: str | None
    kind: str
    name: str | None = None

    @property
    def present(self) -> bool:
        """Whether a file has been uploaded."""
        return bool(self.contents and self.file_name)


def run_upload(
    upload: Upload, mapping: dict[str, str], values: ValueMap, *, dry_run: bool
) -> ImportResult:
    """Decode the upload and import it for the signed-in user (a refusal is a report)."""
    svc = services()
    file_name = upload.file_name or "upload"
    try:
        data = decode_upload(upload.contents or "", svc.config.max_upload_mb * 1024 * 1024)
    except ImportRefused as exc:
        return ImportResult(ImportReport(file_name=file_name, kind=upload.kind, refused=str(exc)))
    return import_file(
        svc,
        data,
        file_name,
        upload.kind,
        current_principal().username,
        name=(upload.name or "").strip() or None,
        mapping=mapping,
        values=values,
        dry_run=dry_run,
    )


def grid_choices(
    kind: str,
    columns: list[str],
    column_ids: list[dict[str, str]],
    values: list[str | None],
    value_ids: list[dict[str, str]],
) -> tuple[dict[str, str], ValueMap]:
    """The column mapping and value mapping the grid's dropdowns amount to."""
    chosen = {i["column"]: v for i, v in zip(column_ids, columns, strict=True) if v}
    picked = [(i["field"], i["value"], v or "") for i, v in zip(value_ids, values, strict=True)]
    return explicit_mapping(chosen, kind), value_map(picked, kind)


def preset_options(kind: str) -> list[dict[str, str]]:
    """The saved presets for ``kind``."""
    with services().db.read() as session:
        return [{"label": p.name, "value": p.name} for p in list_presets(session, kind)]


def checked(upload: Upload, result: ImportResult | None) -> dict[str, Any]:
    """Every output of a check: report, map, grid, commit button, status, presets."""
    boundaries = services().boundaries
    if result is None:
        return {
            "report": "",
            "preview": preview_area(None, boundaries),
            "locked": True,
            "status": "",
            "mapping": "",
            "presets": preset_options(upload.kind),
        }
    report = result.report
    return {
        "report": report_view(report),
        "preview": preview_area(result.preview, boundaries, refused=not report.ok),
        "locked": not (report.ok and report.accepted > 0),
        "status": f"Checked {report.file_name}: {report.accepted:,} accepted, "
        f"{report.rejected:,} rejected."
        if report.ok
        else f"{report.file_name} was refused: see below.",
        "mapping": mapping_area(report),
        "presets": preset_options(upload.kind),
    }


def register_callbacks(app: Dash) -> None:
    """Register every callback of the page on ``app``."""
    _new_file(app)
    _check(app)
    _use_preset(app)
    _save_preset(app)
    _commit(app)
    _cancel(app)
    register_manage_callbacks(app)


def _new_file(app: Dash) -> None:
    @app.callback(
        output=CHECKED,
        inputs={"contents": Input(Ids.UPLOAD, "contents"), "kind": Input(Ids.KIND, "value")},
        state={"file_name": State(Ids.UPLOAD, "filename"), "name": State(Ids.NAME, "value")},
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def new_file(
        contents: str | None, kind: str, file_name: str | None, name: str | None
    ) -> dict[str, Any]:
        upload = Upload(contents, file_name, kind, name)
        if not upload.present:
            raise PreventUpdate  # cancelled, or a kind chosen before any file
        return checked(upload, run_upload(upload, {}, {}, dry_run=True))


def _check(app: Dash) -> None:
    @app.callback(
        output=CHECKED,
        inputs={"clicks": Input(Ids.CHECK, "n_clicks")},
        state={"file": FILE, "grid": GRID},
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def check(clicks: int | None, file: dict[str, Any], grid: dict[str, Any]) -> dict[str, Any]:
        upload = Upload(**file)
        if not clicks or not upload.present:
            raise PreventUpdate
        mapping, value_mapping = grid_choices(upload.kind, **grid)
        return checked(upload, run_upload(upload, mapping, value_mapping, dry_run=True))


def _use_preset(app: Dash) -> None:
    @app.callback(
        output=CHECKED,
        inputs={"preset": Input(Ids.PRESET, "value")},
        state={**FILE, "column_ids": GRID["column_ids"]},
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def use_preset(
        preset: str | None,
        contents: str | None,
        file_name: str | None,
        kind: str,
        name: str | None,
        column_ids: list[dict[str, str]],
    ) -> dict[str, Any]:
        upload = Upload(contents, file_name, kind, name)
        with services().db.read() as session:
            found = [p for p in list_presets(session, kind) if p.name == preset]
        if not found or not upload.present:
            raise PreventUpdate
        mapping = preset_mapping(found[0], [i["column"] for i in column_ids])
        return checked(upload, run_upload(upload, mapping, found[0].values, dry_run=True))


def _save_preset(app: Dash) -> None:
    @app.callback(
        output={
            "message": Output(Ids.PRESET_MESSAGE, "children"),
            "presets": Output(Ids.PRESET, "options", allow_duplicate=True),
        },
        inputs={"clicks": Input(Ids.PRESET_SAVE, "n_clicks")},
        state={
            "preset_name": State(Ids.PRESET_NAME, "value"),
            "kind": State(Ids.KIND, "value"),
            **{k: v for k, v in GRID.items()},
        },
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def save(
        clicks: int | None,
        preset_name: str | None,
        kind: str,
        columns: list[str],
        column_ids: list[dict[str, str]],
        values: list[str | None],
        value_ids: list[dict[str, str]],
    ) -> dict[str, Any]:
        if not clicks:
            raise PreventUpdate
        mapping, value_mapping = grid_choices(kind, columns, column_ids, values, value_ids)
        try:
            with services().db.write(bump=False) as session:
                saved = save_preset(
                    session,
                    Preset(preset_name or "", kind, mapping, value_mapping),
                    current_principal().username,
                )
        except ImportRefused as exc:
            return {"message": f"Not saved: {exc}.", "presets": preset_options(kind)}
        return {"message": f"Saved the mapping as '{saved.name}'.", "presets": preset_options(kind)}


def _commit(app: Dash) -> None:
    @app.callback(
        output={
            "report": Output(Ids.REPORT, "children", allow_duplicate=True),
            "locked": Output(Ids.COMMIT, "disabled", allow_duplicate=True),
            "refresh": Output(Ids.REFRESH, "data", allow_duplicate=True),
            "status": Output(Ids.STATUS, "children", allow_duplicate=True),
        },
        inputs={"clicks": Input(Ids.COMMIT, "n_clicks")},
        state={"file": FILE, "grid": GRID, "refresh": State(Ids.REFRESH, "data")},
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def commit(
        clicks: int | None, file: dict[str, Any], grid: dict[str, Any], refresh: int | None
    ) -> dict[str, Any]:
        upload = Upload(**file)
        if not clicks or not upload.present:
            raise PreventUpdate
        mapping, value_mapping = grid_choices(upload.kind, **grid)
        report = run_upload(upload, mapping, value_mapping, dry_run=False).report
        return {
            "report": report_view(report),
            "locked": True,
            "refresh": (refresh or 0) + 1,
            "status": report.outcome_sentence(),
        }


def _cancel(app: Dash) -> None:
    @app.callback(
        output={**CHECKED, "contents": Output(Ids.UPLOAD, "contents")},
        inputs={"clicks": Input(Ids.CANCEL, "n_clicks")},
        state={"kind": State(Ids.KIND, "value")},
        prevent_initial_call=True,
    )
    @require(ANALYST, ADMIN)
    def cancel(clicks: int | None, kind: str) -> dict[str, Any]:
        if not clicks:
            raise PreventUpdate
        cleared = checked(Upload(None, None, kind), None)
        return {**cleared, "contents": None, "status": "Cancelled: nothing stored."}
