"""The mapping grid and the value table of the imports page (pure functions of a report).

Each column of the uploaded file is a row: its name, a few of its values, and a dropdown of
the fields and location roles with the automatic guess preselected. Each distinct value of a
choice field is a row of the value table, with a dropdown of the known values. The rows come
from :mod:`layers.imports.grid`; only their presentation is here.
"""

from __future__ import annotations

import logging

from dash import dcc, html

from dashboard.pages.imports.ids import Ids
from layers.imports.grid import (
    ColumnChoice,
    ValueChoice,
    column_choices,
    known_values,
    targets,
    unmapped_hint,
    value_choices,
)
from layers.imports.report import ImportReport

logger = logging.getLogger(__name__)


def mapping_area(report: ImportReport | None) -> html.Div | str:
    """The grid and the value table for the file just checked ("" before any upload)."""
    if report is None or not report.column_samples:
        return ""
    parts: list[html.Div | html.H3 | html.P | html.Table] = [
        html.H3("Columns: what each one holds"),
        html.P(
            "OpsMap's guess is chosen for each column; change any that is wrong, then "
            "press Check again. The choices belong to this file only.",
            className="muted",
        ),
        _column_table(column_choices(report), report.kind),
    ]
    values = value_choices(report)
    if values:
        hint = unmapped_hint(report)
        parts += [html.H3("Values of choice fields")]
        parts += [html.P(hint, className="import-hint")] if hint else []
        parts += [_value_table(values, report.kind)]
    return html.Div(parts, className="mapping-area")


def _column_table(rows: list[ColumnChoice], kind: str) -> html.Table:
    options = [{"label": t.label, "value": t.value} for t in targets(kind)]
    body = [
        html.Tr(
            [
                html.Th(row.column, scope="row"),
                html.Td(", ".join(row.samples) or "(empty)", className="samples"),
                html.Td(
                    dcc.Dropdown(
                        id={"type": Ids.MAP_COLUMN, "column": row.column},
                        options=options,
                        value=row.target,
                        clearable=False,
                        style={"minWidth": "16em"},
                    )
                ),
            ]
        )
        for row in rows
    ]
    head = html.Tr([html.Th("Column"), html.Th("Sample values"), html.Th("Holds")])
    return html.Table([html.Thead(head), html.Tbody(body)], className="mapping-grid")


def _value_table(rows: list[ValueChoice], kind: str) -> html.Table:
    body = [
        html.Tr(
            [
                html.Td(row.label),
                html.Th(row.value, scope="row"),
                html.Td(str(row.rows)),
                html.Td(
                    dcc.Dropdown(
                        id={"type": Ids.MAP_VALUE, "field": row.field, "value": row.value},
                        options=[{"label": v, "value": v} for v in known_values(kind, row.field)],
                        value=row.target or None,
                        placeholder="not in the list: kept as written",
                        style={"minWidth": "14em"},
                    )
                ),
            ]
        )
        for row in rows
    ]
    head = html.Tr(
        [html.Th("Field"), html.Th("Value in the file"), html.Th("Rows"), html.Th("Becomes")]
    )
    return html.Table([html.Thead(head), html.Tbody(body)], className="value-grid")
