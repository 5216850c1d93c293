"""The import preview map and the report components (pure functions of a report).

The preview is a plotly MapLibre map on a plain background (no tiles, circle markers only, so
the browser fetches nothing from anyone else): accepted points coloured by whether they fall in
the force area, or a custom layer's shapes as outlines.
"""

from __future__ import annotations

import logging
from typing import Any

import dash_ag_grid as dag
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from dash import html

from dashboard.components.maps import map_style
from dashboard.pages.imports.ids import Ids
from layers.imports.batches import ImportSummary
from layers.imports.report import ImportReport, unfamiliar_lines
from layers.maplayers.store import LayerInfo

logger = logging.getLogger(__name__)

PLAIN_STYLE: dict[str, Any] = map_style(None, background="#f4f4f0")
CENTRE = {"lon": -2.6, "lat": 53.85}
INSIDE_COLOUR = "#0072b2"
OUTSIDE_COLOUR = "#d55e00"


def _base(traces: list[go.Scattermap], districts: list[go.Scattermap]) -> go.Figure:
    figure = go.Figure(districts + traces)
    figure.update_layout(
        map={"style": PLAIN_STYLE, "center": CENTRE, "zoom": 7.6},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=420,
        legend={"x": 0.01, "y": 0.99, "bgcolor": "rgba(255,255,255,0.8)"},
        uirevision="imports",
    )
    return figure


def outlines(geoms: np.ndarray, limit: int = 5000) -> tuple[np.ndarray, np.ndarray]:
    """Lon/lat arrays of shapes' outlines separated by NaN, for one line trace."""
    geoms = np.asarray(geoms, dtype=object)[:limit]
    geoms = geoms[~shapely.is_missing(geoms)]
    boundary = shapely.boundary(shapely.force_2d(geoms[shapely.get_dimensions(geoms) == 2]))
    lines = list(boundary) + list(geoms[shapely.get_dimensions(geoms) == 1])
    parts = (
        shapely.get_parts(np.asarray(lines, dtype=object)) if lines else np.array([], dtype=object)
    )
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for part in parts:
        coords = shapely.get_coordinates(part)
        xs += [coords[:, 0], np.array([np.nan])]
        ys += [coords[:, 1], np.array([np.nan])]
    if not xs:
        return np.array([]), np.array([])
    return np.concatenate(xs), np.concatenate(ys)


def preview_figure(
    preview: pd.DataFrame | None, districts: list[go.Scattermap] | None = None
) -> go.Figure:
    """The map preview of what would be stored."""
    districts = districts or []
    traces: list[go.Scattermap] = []
    if preview is not None and "geometry" in preview:
        geoms = preview["geometry"].to_numpy(dtype=object)
        points = shapely.get_type_id(geoms) == 0
        lon, lat = outlines(geoms[~points])
        if len(lon):
            traces.append(
                go.Scattermap(
                    lon=lon.astype("f4"),
                    lat=lat.astype("f4"),
                    mode="lines",
                    line={"color": "#7b3294", "width": 1.5},
                    name="shapes",
                    hoverinfo="skip",
                )
            )
        if points.any():
            traces.append(
                go.Scattermap(
                    lon=shapely.get_x(geoms[points]).astype("f4"),
                    lat=shapely.get_y(geoms[points]).astype("f4"),
                    mode="markers",
                    marker={"size": 7, "color": "#7b3294"},
                    name="points",
                )
            )
    elif preview is not None and len(preview):
        outside = preview["district_code"].astype(str).to_numpy() == "outside"
        for mask, label, colour in (
            (~outside, "in the force area", INSIDE_COLOUR),
            (outside, "outside the force area", OUTSIDE_COLOUR),
        ):
            if mask.any():
                traces.append(
                    go.Scattermap(
                        lon=preview["lon"].to_numpy(dtype="f4")[mask],
                        lat=preview["lat"].to_numpy(dtype="f4")[mask],
                        mode="markers",
                        marker={"size": 7, "color": colour, "opacity": 0.8},
                        name=f"{label} ({int(mask.sum())})",
                        hoverinfo="skip",
                    )
                )
    return _base(traces, districts)


def _count(label: str, n: int) -> html.Strong:
    attributes = {"data-count": label.lower()}  # the e2e tests read counts by this attribute
    return html.Strong(str(n), **attributes)  # type: ignore[arg-type]


def report_view(report: ImportReport) -> html.Div:
    """The report: counts, hints, and the rows to fix (row, column, reason)."""
    if report.refused:
        return html.Div(
            [html.H3("File refused"), html.P(report.refused, className="refused-message")],
            className="import-report refused",
            id="imp-report-refused",
        )
    if report.committed:
        title = f"Imported as import #{report.import_id}"
    elif report.dry_run:
        title = "Preview: nothing is stored until you commit"
    else:
        title = "Nothing new to store"
    counts = [
        ("Read", report.read),
        ("Accepted", report.accepted),
        ("Outside force area", report.outside_area),
        ("Rejected", report.rejected),
        ("Duplicates", report.duplicates),
    ]
    items: list[Any] = [
        html.H3(title),
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
    problems = [
        {report.row_label: p.row, "column": p.column or "", "reason": p.reason}
        for p in report.rejected_rows
    ] + [
        {report.row_label: p.row, "column": "", "reason": "duplicate: " + p.reason}
        for p in report.duplicate_rows
    ]
    if problems:
        items.append(
            dag.AgGrid(
                id="imp-problems",
                rowData=problems[:2000],
                columnDefs=[
                    {
                        "field": report.row_label,
                        "headerName": report.row_label.capitalize(),
                        "width": 90,
                    },
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
        )
    return html.Div(items, className="import-report")


def imports_table(rows: list[ImportSummary]) -> html.Table | html.P:
    """Past imports with an undo button on each that still has something to undo."""
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
                html.Td(r.status if not r.undone_by else f"{r.status} by {r.undone_by}"),
                html.Td(
                    html.Button(
                        "Undo", id={"type": Ids.UNDO, "index": r.id}, className="button secondary"
                    )
                    if r.can_undo
                    else ""
                ),
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
