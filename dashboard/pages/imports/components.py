"""The report, the list of past imports and the list of custom layers (pure functions).

The report says in the page's words what was read, accepted, rejected (row, column, reason),
duplicated or kept with a value the vocabulary lacks; the imports table puts an Undo button on
each import that still has something to undo.
"""

from __future__ import annotations

import logging
from typing import Any

import dash_ag_grid as dag
from dash import html

from dashboard.pages.imports.ids import Ids
from layers.imports.batches import ImportSummary
from layers.imports.report import ImportReport, unfamiliar_lines
from layers.maplayers.store import LayerInfo

logger = logging.getLogger(__name__)


def _count(label: str, n: int) -> html.Strong:
    attributes = {"data-count": label.lower()}  # the e2e tests read counts by this attribute
    return html.Strong(str(n), **attributes)  # type: ignore[arg-type]


def _title(report: ImportReport) -> str:
    if report.committed:
        return f"Imported as import #{report.import_id}"
    if report.dry_run:
        return "Preview: nothing is stored until you commit"
    return "Nothing new to store"


def _problems_grid(report: ImportReport) -> dag.AgGrid | None:
    """Rejected and duplicate rows: where the analyst finds each, which column, and why."""
    problems = [
        {report.row_label: p.row, "column": p.column or "", "reason": p.reason}
        for p in report.rejected_rows
    ] + [
        {report.row_label: p.row, "column": "", "reason": "duplicate: " + p.reason}
        for p in report.duplicate_rows
    ]
    if not problems:
        return None
    return dag.AgGrid(
        id="imp-problems",
        rowData=problems[:2000],
        columnDefs=[
            {"field": report.row_label, "headerName": report.row_label.capitalize(), "width": 90},
            {"field": "column", "headerName": "Column", "width": 160},
            {
                "field": "reason",
                "headerName": "Reason",
                "flex": 1,
                "wrapText": True,
                "autoHeight": True,
            },
        ],
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        className="ag-theme-alpine",
        style={"height": "320px"},
    )


def report_view(report: ImportReport) -> html.Div:
    """The report: counts, hints, unfamiliar values, and the rows to fix (row, column, reason)."""
    if report.refused:
        return html.Div(
            [html.H3("File refused"), html.P(report.refused, className="refused-message")],
            className="import-report refused",
            id="imp-report-refused",
        )
    counts = [
        ("Read", report.read),
        ("Accepted", report.accepted),
        ("Outside force area", report.outside_area),
        ("Rejected", report.rejected),
        ("Duplicates", report.duplicates),
    ]
    items: list[Any] = [
        html.H3(_title(report)),
        html.Ul(
            [html.Li([html.Span(label + ": "), _count(label, n)]) for label, n in counts],
            className="import-counts",
        ),
    ]
    if report.location:
        items.append(html.P(f"Location from {report.location}."))
    items += [html.P("Hint: " + h, className="import-hint") for h in report.hints]
    items += [
        html.P(line, className="import-unfamiliar") for line in unfamiliar_lines(report.unfamiliar)
    ]
    items += [html.P(n, className="import-note") for n in report.notes]
    grid = _problems_grid(report)
    return html.Div([*items, grid] if grid is not None else items, className="import-report")


def _undo_cell(row: ImportSummary) -> html.Td:
    if not row.can_undo:
        return html.Td("")
    button = html.Button(
        "Undo",
        id={"type": Ids.UNDO, "index": row.id},
        className="button secondary",
        title=f"Undo import #{row.id} (asks first)",
    )
    return html.Td(button)


def imports_table(rows: list[ImportSummary]) -> html.Table | html.P:
    """Past imports, newest first, with the Undo button first so it is always on screen."""
    if not rows:
        return html.P("No imports yet.")
    head = html.Tr([html.Th(h) for h in ("", "#", "When (UTC)", "File", "Stored", "Status")])
    body = [
        html.Tr(
            [
                _undo_cell(r),
                html.Td(str(r.id)),
                html.Td(r.created_at.replace("T", " ")[:16]),
                html.Td(f"{r.file_name} ({r.layer_name or r.kind}, by {r.created_by})"),
                html.Td(str(r.rows_stored)),
                html.Td(r.status if not r.undone_by else f"{r.status} by {r.undone_by}"),
            ],
            **{"data-import": str(r.id)},  # type: ignore[arg-type]
        )
        for r in rows
    ]
    return html.Table([html.Thead(head), html.Tbody(body)], className="imports-table")


def layers_list(layers: list[LayerInfo]) -> html.Ul | html.P:
    """Custom layers in words: name, features, geometry, visibility and colour."""
    if not layers:
        return html.P("No custom layers.")
    return html.Ul(
        [
            html.Li(
                f"{layer.name}: {layer.features} {layer.geometry_type.lower()} features, "
                f"{'visible' if layer.visible else 'hidden'}, "
                f"colour {layer.style.get('colour')}"
            )
            for layer in layers
        ]
    )


def custom_export_options(layers: list[LayerInfo]) -> list[dict[str, str]]:
    """Export choices for the custom layers (``custom:<id>``)."""
    return [{"label": f"Custom: {layer.name}", "value": f"custom:{layer.id}"} for layer in layers]
