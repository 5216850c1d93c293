"""Layout of the operations map page: filters, map, counts, district table, location panel.

The location panel always holds its place beside the map (showing a hint until a location is
chosen), so opening it never resizes the map under the cursor. On a phone the map comes first,
the filters sit in a drawer, and the panel opens over the bottom of the screen, in view.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.access import ADMIN, COMMANDER, current_principal
from dashboard.components.area_filters import area_filters
from dashboard.components.custom_layers import custom_traces
from dashboard.components.fields import choices
from dashboard.components.status_form import status_form
from dashboard.context import services
from dashboard.pages.operations.figures import first_figure
from dashboard.pages.operations.ids import STATUS_FORM, Ids
from dashboard.pages.operations.listing import list_section
from dashboard.pages.operations.panel import PLACEHOLDER
from dashboard.pages.operations.render import render
from layers.core.kinds import CHANNELS, GRADE_INTEL, GRADE_SOURCE, KINDS, PREMISES_TYPES, RISKS
from layers.core.operations import current_operation, operation_days

POLL_MS = 10_000
LIVE: dict[str, Any] = {"aria-live": "polite"}


def _multi(id_: str, label: str, options: list[dict[str, str]]) -> html.Div:
    return html.Div(
        [
            html.Label(label, htmlFor=id_),
            dcc.Dropdown(
                id=id_,
                options=options,
                multi=True,
                placeholder="All",
                persistence=True,
                persistence_type="session",
            ),
        ],
        className="filter",
    )


def _options(values: tuple[str, ...] | list[str]) -> list[dict[str, str]]:
    return [{"label": v, "value": v} for v in values]


def filters_panel(days: list, districts: Any) -> html.Aside:
    """The filter controls (every filter narrows the map, counts and table together)."""
    return html.Aside(
        [
            html.Button(
                "×",
                id=Ids.FILTERS_CLOSE,
                className="close drawer-close",
                title="Close",
                **{"aria-label": "Close the filters"},
            ),
            html.H2("Layers"),
            choices(
                "Layers shown",
                dcc.Checklist(
                    id=Ids.LAYERS,
                    options=[{"label": k.label, "value": name} for name, k in KINDS.items()],
                    value=list(KINDS),
                    className="checklist",
                ),
            ),
            choices(
                "Colour points",
                dcc.RadioItems(
                    id=Ids.COLOUR_BY,
                    options=[
                        {"label": "By layer", "value": "layer"},
                        {"label": "By status", "value": "status"},
                        {"label": "Adverts by network", "value": "network"},
                    ],
                    value="layer",
                    className="radio",
                ),
            ),
            choices(
                "Districts",
                dcc.Checklist(
                    id=Ids.DIVISION_FILL,
                    options=[{"label": "Shade districts by division", "value": "on"}],
                    value=[],
                    className="checklist",
                ),
            ),
            html.H2("Filters"),
            *area_filters(districts),
            _multi(
                Ids.DAY,
                "Day of the week of action",
                [{"label": d.strftime("%a %d %b"), "value": d.isoformat()} for d in days],
            ),
            _multi(Ids.PREMISES_TYPE, "Premises type", _options(PREMISES_TYPES)),
            _multi(Ids.RISK, "Risk", _options(RISKS)),
            _multi(Ids.CHANNEL, "Tip-off channel", _options(CHANNELS)),
            _multi(Ids.GRADE_SOURCE, "Source grade", _options(GRADE_SOURCE)),
            _multi(Ids.GRADE_INTEL, "Intelligence grade", _options(GRADE_INTEL)),
            html.Button("Clear filters", id=Ids.RESET, className="button secondary"),
        ],
        id=Ids.FILTERS,
        className="sidebar filters-drawer",
    )


def location_panel(editable: bool) -> html.Aside:
    """The panel beside the map: head and body filled per location, the status form between."""
    return html.Aside(
        [
            html.Div(html.P(PLACEHOLDER, className="muted"), id=Ids.PANEL_HEAD),
            status_form(STATUS_FORM, editable),
            html.Div(id=Ids.PANEL_BODY),
        ],
        id=Ids.PANEL,
        className="panel location-panel",
        **LIVE,
    )


def layout() -> html.Div:
    """The page, built per request from the current operation and boundaries."""
    svc = services()
    with svc.db.read() as session:
        days = operation_days(current_operation(session))
        custom = custom_traces(session)
    first = render(svc, list(KINDS), "layer", {}, None)
    figure = first_figure(svc.boundaries, svc.config.tiles, first.updates)
    figure["data"] += [trace.to_plotly_json() for trace in custom]
    return html.Div(
        [
            html.Div(first.notice, id=Ids.NOTICE, className="notice"),
            html.Div(
                [
                    filters_panel(days, svc.boundaries),
                    html.Section(
                        [
                            html.Div(first.counts, id=Ids.COUNTS, className="counts", **LIVE),
                            dcc.Graph(
                                id=Ids.MAP,
                                figure=figure,
                                config={"displaylogo": False, "scrollZoom": True},
                                className="map",
                            ),
                            html.Button("Filters", id=Ids.FILTERS_OPEN, className="filters-open"),
                            list_section(),
                            html.Div(first.table, id=Ids.TABLE, className="district-table"),
                        ],
                        className="centre",
                    ),
                    location_panel(current_principal().role in (ADMIN, COMMANDER)),
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
