"""One network's page: decisions, path map, timeline, evidence, links, graph and adverts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import dash_ag_grid as dag
import dash_cytoscape as cyto
import pandas as pd
from dash import dcc, html

from dashboard.access import ADMIN, ANALYST, current_principal
from dashboard.components.fields import labelled
from dashboard.context import services
from dashboard.pages.networks.figures import GRAPH_STYLE, path_figure, timeline_figure
from dashboard.pages.networks.ids import Ids
from layers.core.clock import LONDON, local_days
from layers.core.errors import NotFound
from layers.networks.graph import network_graph
from layers.networks.models import PREMISES_LINK, TIPOFF_LINK
from layers.networks.paths import path_stops
from layers.networks.reads import linked, network_adverts, network_rows
from layers.networks.views import get_network, label, network_detail

MAP_CONFIG = {"displaylogo": False, "scrollZoom": True}
PLAIN_CONFIG = {"displaylogo": False}
ADVERT_COLUMNS = [
    {"field": "ref", "headerName": "Advert", "checkboxSelection": True, "width": 170},
    {"field": "site", "headerName": "Site", "width": 140},
    {"field": "posted", "headerName": "Posted", "width": 150},
    {"field": "district", "headerName": "District", "width": 120},
    {"field": "title", "headerName": "Title (numbers masked)", "flex": 2},
]


def _decisions(network_id: int, others: list[dict[str, Any]]) -> html.Div:
    """Confirm, dismiss, split the selected adverts off, or merge with another network."""
    return html.Div(
        [
            labelled(
                "Why (kept with the decision)",
                dcc.Input(id=Ids.NOTE, maxLength=2000, className="note"),
                Ids.NOTE,
                "filter decision-note",
            ),
            html.Button("Confirm", id=Ids.CONFIRM, className="button"),
            html.Button("Dismiss", id=Ids.DISMISS, className="button"),
            html.Button("Split selected adverts off", id=Ids.SPLIT, className="button"),
            labelled(
                "Merge with",
                dcc.Dropdown(
                    id=Ids.MERGE_WITH,
                    options=others,
                    placeholder="network…",
                    style={"width": "12em"},
                ),
                Ids.MERGE_WITH,
            ),
            html.Button("Merge", id=Ids.MERGE, className="button"),
            html.Span(id=Ids.DECIDED, className="muted", **{"aria-live": "polite"}),
        ],
        className="decisions",
    )


def _evidence(detail: dict[str, Any]) -> html.Div:
    items = [html.Li(f"{e['label']} ({e['adverts']} adverts)") for e in detail["evidence"]]
    template = detail.get("template")
    return html.Div(
        [
            html.H3("Evidence"),
            html.Ul(items or [html.Li("no shared phone or photo")]),
            html.H4("Template (shared wording, {…} varies)"),
            html.P(template or "no shared wording", className="template"),
        ]
    )


def _links(title: str, frame: pd.DataFrame) -> html.Div:
    rows = [html.Li(f"{r.ref}: {r.reason}") for r in frame.itertuples()]
    return html.Div([html.H3(f"{title} ({len(frame)})"), html.Ul(rows or [html.Li("none")])])


def _advert_rows(adverts: pd.DataFrame) -> list[dict[str, Any]]:
    posted = pd.to_datetime(adverts["observed_at"], utc=True).dt.tz_convert(LONDON)
    return [
        {
            "id": int(r.id),
            "ref": r.ref,
            "site": r.site,
            "posted": p,
            "district": r.district_code,
            "title": r.title,
        }
        for r, p in zip(
            adverts.itertuples(), posted.dt.strftime("%a %d %b %H:%M").fillna(""), strict=True
        )
    ]


@dataclass(frozen=True)
class _Loaded:
    """What the page of one network shows, read in one transaction."""

    number: int
    size: int
    review: str
    detail: dict[str, Any]
    adverts: pd.DataFrame
    premises: pd.DataFrame
    tipoffs: pd.DataFrame
    others: list[dict[str, Any]]


def _load(number: int) -> _Loaded:
    with services().db.read() as session:
        network = get_network(session, number)
        others = network_rows(session)
        return _Loaded(
            number,
            network.size,
            network.review,
            network_detail(session, number),
            network_adverts(session, number),
            linked(session, number, PREMISES_LINK),
            linked(session, number, TIPOFF_LINK),
            [
                {"label": n, "value": int(i)}
                for n, i in zip(others["network"], others["id"], strict=True)
                if i != number
            ],
        )


def _map_and_timeline(loaded: _Loaded) -> html.Section:
    svc = services()
    days = local_days(pd.to_datetime(loaded.adverts["observed_at"], utc=True))
    stops = path_stops(loaded.adverts, days)
    figure = path_figure(svc.boundaries, svc.config.tiles, loaded.adverts, stops, loaded.premises)
    per_day = pd.DataFrame(loaded.detail["timeline"]).rename(columns={"district": "district_code"})
    return html.Section(
        [
            dcc.Graph(id=Ids.MAP, figure=figure, className="map", config=MAP_CONFIG),
            html.H3("Adverts per day by district"),
            dcc.Graph(id=Ids.TIMELINE, figure=timeline_figure(per_day), config=PLAIN_CONFIG),
        ],
        className="centre",
    )


def _graph(loaded: _Loaded) -> list[Any]:
    graph = network_graph(loaded.adverts, loaded.premises, loaded.tipoffs)
    note = f" (the {graph.left_out} oldest adverts left out)" if graph.left_out else ""
    return [
        html.H3("Graph of this network: adverts, phones, photos, premises, tip-offs" + note),
        cyto.Cytoscape(
            id=Ids.GRAPH,
            elements=graph.elements,
            layout={"name": "cose", "animate": False},
            stylesheet=GRAPH_STYLE,
            style={"width": "100%", "height": "520px"},
        ),
    ]


def network_view(network_id: str = "") -> html.Div:
    """The page of network ``network_id`` (from the address ``/networks/<id>``)."""
    try:
        loaded = _load(int(network_id))
    except (ValueError, NotFound):
        return html.Div([html.H2("No such network"), dcc.Link("All networks", href="/networks")])
    can_decide = current_principal().role in (ADMIN, ANALYST)
    title = f"Network {label(loaded.number)}: {loaded.size} adverts "
    side = [_evidence(loaded.detail), _links("Linked premises", loaded.premises)]
    side.append(_links("Linked tip-offs", loaded.tipoffs))
    return html.Div(
        [
            dcc.Store(id=Ids.NETWORK, data=loaded.number),
            dcc.Link("← all networks", href="/networks"),
            html.H2([title, html.Span(loaded.review, id=Ids.REVIEW, className="badge")]),
            _decisions(loaded.number, loaded.others) if can_decide else html.Div(),
            html.Div(
                [_map_and_timeline(loaded), html.Aside(side, className="side")],
                className="board-body",
            ),
            *_graph(loaded),
            html.H3("Adverts"),
            dag.AgGrid(
                id=Ids.ADVERTS,
                rowData=_advert_rows(loaded.adverts),
                columnDefs=ADVERT_COLUMNS,
                defaultColDef={"sortable": True, "filter": True, "resizable": True},
                dashGridOptions={"rowSelection": "multiple"},
                className="ag-theme-alpine",
                style={"height": "320px"},
            ),
        ],
        className="page network-page",
    )
