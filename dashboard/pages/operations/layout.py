"""Layout of the operations map page: filters, map, counts, district table, side panel."""

from __future__ import annotations

from dash import dcc, html

from dashboard.components.custom_layers import custom_traces
from dashboard.context import services
from dashboard.pages.operations.figures import apply, operations_figure
from dashboard.pages.operations.ids import Ids
from dashboard.pages.operations.render import render
from layers.core.kinds import CHANNELS, GRADE_INTEL, GRADE_SOURCE, KINDS, PREMISES_TYPES, RISKS
from layers.core.operations import current_operation, operation_days
from layers.core.status import STATUS_LABELS

POLL_MS = 10_000


def _multi(id_: str, label: str, options: list[dict[str, str]]) -> html.Div:
    return html.Div(
        [
            html.Label(label, htmlFor=id_),
            dcc.Dropdown(id=id_, options=options, multi=True, placeholder="All"),
        ],
        className="filter",
    )


def _options(values: tuple[str, ...] | list[str]) -> list[dict[str, str]]:
    return [{"label": v, "value": v} for v in values]


def filters_panel(days: list, districts: list[dict[str, str]]) -> html.Aside:
    """The filter controls (every filter narrows the map, counts and table together)."""
    return html.Aside(
        [
            html.H2("Layers"),
            dcc.Checklist(
                id=Ids.LAYERS,
                options=[{"label": k.label, "value": name} for name, k in KINDS.items()],
                value=list(KINDS),
                className="checklist",
            ),
            dcc.RadioItems(
                id=Ids.COLOUR_BY,
                options=[
                    {"label": "Colour by layer", "value": "layer"},
                    {"label": "Colour by status", "value": "status"},
                    {"label": "Colour adverts by network", "value": "network"},
                ],
                value="layer",
                className="radio",
            ),
            dcc.Checklist(
                id=Ids.DIVISION_FILL,
                options=[{"label": "Shade districts by division", "value": "on"}],
                value=[],
                className="checklist",
            ),
            html.H2("Filters"),
            _multi(Ids.DIVISION, "Division", _options(["West", "South", "East"])),
            _multi(Ids.DISTRICT, "District", districts),
            _multi(
                Ids.DAY,
                "Day of the week of action",
                [{"label": d.strftime("%a %d %b"), "value": d.isoformat()} for d in days],
            ),
            _multi(
                Ids.STATUS,
                "Status",
                [{"label": label, "value": s} for s, label in STATUS_LABELS.items()],
            ),
            _multi(Ids.PREMISES_TYPE, "Premises type", _options(PREMISES_TYPES)),
            _multi(Ids.RISK, "Risk", _options(RISKS)),
            _multi(Ids.CHANNEL, "Tip-off channel", _options(CHANNELS)),
            _multi(Ids.GRADE_SOURCE, "Source grade", _options(GRADE_SOURCE)),
            _multi(Ids.GRADE_INTEL, "Intelligence grade", _options(GRADE_INTEL)),
            html.Button("Clear filters", id=Ids.RESET, className="button secondary"),
        ],
        className="sidebar",
    )


def layout() -> html.Div:
    """The page, built per request from the current operation and boundaries."""
    svc = services()
    with svc.db.read() as session:
        days = operation_days(current_operation(session))
        custom = custom_traces(session)
    bounds = svc.boundaries
    districts = [
        {"label": f"{row.name} ({row.division})", "value": row.code}
        for row in bounds.sort_values("name").itertuples()
    ]
    first = render(svc, list(KINDS), "layer", {}, None)
    return html.Div(
        [
            html.Div(first.notice, id=Ids.NOTICE, className="notice"),
            html.Div(
                [
                    filters_panel(days, districts),
                    html.Section(
                        [
                            html.Div(id=Ids.SAVE_MESSAGE, role="status", className="toast"),
                            html.Div(
                                first.counts,
                                id=Ids.COUNTS,
                                className="counts",
                                **{"aria-live": "polite"},
                            ),
                            dcc.Graph(
                                id=Ids.MAP,
                                figure=apply(
                                    operations_figure(bounds, svc.config.tiles), first.updates
                                ).add_traces(custom),
                                config={"displaylogo": False, "scrollZoom": True},
                                className="map",
                            ),
                            html.Div(first.table, id=Ids.TABLE, className="district-table"),
                        ],
                        className="centre",
                    ),
                    html.Aside(id=Ids.PANEL, className="panel", hidden=True),
                ],
                className="ops-grid",
            ),
            dcc.Store(id=Ids.VIEW_STATE, data=first.state),
            dcc.Store(id=Ids.REFRESH, data=0),
            dcc.Store(id=Ids.SELECTED),
            dcc.Interval(id=Ids.POLL, interval=POLL_MS),
        ],
        className="operations",
    )
