"""The bodies of the briefing panels, built from a redacted :class:`layers.briefing.model.Briefing`.

Only what the briefing holds can be shown here, and it holds only redacted data: this module
never reads the store. Large numbers and short tables, because the room reads them from 4 m.
"""

from __future__ import annotations

import logging
from typing import Any

import geopandas as gpd
import pandas as pd
from dash import dcc, html

from dashboard.components.network_maps import district_arrows_figure
from dashboard.pages.briefing import figures
from layers.briefing import charts
from layers.briefing.model import Briefing
from layers.briefing.outstanding import shown_columns
from layers.briefing.plan import no_plan_message
from layers.briefing.results import CLOSED_OUTCOMES, NOT_RECORDED
from layers.core.status import STATUS_LABELS
from layers.networks.briefing import move_arrows

logger = logging.getLogger(__name__)

GRAPH_CONFIG: dcc.Graph.Config = {"displayModeBar": False, "staticPlot": False,
                                  "responsive": True}
MAX_ROWS = 12


def _graph(figure: Any, class_name: str = "briefing-graph") -> dcc.Graph:
    return dcc.Graph(figure=figure, config=GRAPH_CONFIG, className=class_name)


def _tile(label: str, value: int | str, tone: str = "") -> html.Div:
    return html.Div([html.Div(f"{value:,}" if isinstance(value, int) else value,
                              className="tile-value"),
                     html.Div(label, className="tile-label")], className=f"tile {tone}".strip())


def _table(frame: pd.DataFrame, columns: list[tuple[str, str]], limit: int = MAX_ROWS) -> html.Div:
    shown = frame.head(limit)
    head = html.Tr([html.Th(label) for _, label in columns])
    rows = [
        html.Tr([html.Td(_cell(row[key])) for key, _ in columns])
        for _, row in shown.iterrows()
    ]
    more = len(frame) - len(shown)
    foot = [html.Div(f"+ {more} more", className="table-more")] if more > 0 else []
    return html.Div([html.Table([html.Thead(head), html.Tbody(rows)], className="briefing-table"),
                     *foot])


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    return STATUS_LABELS.get(text, text)


def _empty(message: str) -> html.Div:
    return html.Div(message, className="briefing-empty")


def plan_body(b: Briefing, boundaries: gpd.GeoDataFrame) -> list[Any]:
    """Map of today's visits by team, and each team's load."""
    if b.plan.empty:
        side: Any = _empty(no_plan_message(b.day))
    else:
        teams = (
            b.plan.groupby("team", sort=True)
            .agg(visits=("order", "size"),
                 high=("risk", lambda r: int((r.astype(str) == "high").sum())),
                 districts=("district", lambda d: ", ".join(sorted(set(map(str, d))))))
            .reset_index()
        )
        side = _table(teams, [("team", "Team"), ("visits", "Visits"), ("high", "High risk"),
                              ("districts", "Districts")], limit=14)
    total = len(b.plan)
    return [
        html.Div(_graph(figures.plan_map(boundaries, b.plan), "briefing-map"), className="left"),
        html.Div([html.Div([_tile("visits planned today", total),
                            _tile("teams", int(b.plan["team"].nunique()) if total else 0)],
                           className="tiles"), side], className="right"),
    ]


def yesterday_body(b: Briefing) -> list[Any]:
    """Yesterday's visits, outcomes and safeguarding figures as big numbers and a chart."""
    summary, outcomes, results = (b.yesterday["summary"], b.yesterday["outcomes"],
                                  b.yesterday["results"])
    tiles = [_tile("visits", summary["visits"]), _tile("visits closed", summary["closed"])]
    tiles += [_tile(label, outcomes.get(k, 0)) for k, label in CLOSED_OUTCOMES.items()
              if k != NOT_RECORDED or outcomes.get(k)]
    result_tiles = [_tile(label, value, "result") for label, value in charts.results_rows(results)]
    return [
        html.Div([html.Div(tiles, className="tiles tiles-3"),
                  html.H2("Safeguarding and enforcement"),
                  html.Div(result_tiles, className="tiles tiles-3")], className="left"),
        html.Div(_graph(charts.yesterday_chart(b.yesterday)), className="right"),
    ]


def districts_body(b: Briefing, boundaries: gpd.GeoDataFrame) -> list[Any]:
    """Choropleth of done vs planned and the same as bars."""
    return [
        html.Div(_graph(figures.district_map(boundaries, b.by_district), "briefing-map"),
                 className="left"),
        html.Div(_graph(charts.district_progress_chart(b.by_district)), className="right"),
    ]


def week_body(b: Briefing) -> list[Any]:
    """Progress over the week and outcomes by district."""
    return [
        html.Div(_graph(charts.progress_chart(b.by_day)), className="left"),
        html.Div(_graph(charts.outcomes_chart(b.by_district)), className="right"),
    ]


def intel_body(b: Briefing, boundaries: gpd.GeoDataFrame) -> list[Any]:
    """New tip-offs and adverts since the previous briefing, hotspots and a timeline."""
    tips = int((b.new_intel["kind"] == "tipoffs").sum()) if len(b.new_intel) else 0
    ads = int((b.new_intel["kind"] == "adverts").sum()) if len(b.new_intel) else 0
    hot = (_table(b.hotspots, [("cell", "1 km square"), ("district", "District"),
                               ("tipoffs", "Tip-offs"), ("adverts", "Adverts")], limit=4)
           if len(b.hotspots) else _empty("Nothing new since the last briefing."))
    return [
        html.Div(_graph(figures.intel_map(boundaries, b.new_intel, b.hotspots), "briefing-map"),
                 className="left"),
        html.Div([html.Div([_tile("new tip-offs", tips), _tile("new adverts", ads)],
                           className="tiles"),
                  html.Div(_graph(charts.intel_timeline(b.timeline), "briefing-graph short")),
                  hot], className="right"),
    ]


def outstanding_body(b: Briefing, boundaries: gpd.GeoDataFrame) -> list[Any]:
    """High-priority premises not yet visited: map and list (the fields the room may see)."""
    table = (_table(b.outstanding, shown_columns(b.outstanding), limit=8)
             if len(b.outstanding) else _empty("No high-priority premises outstanding."))
    return [
        html.Div(_graph(figures.outstanding_map(boundaries, b.outstanding), "briefing-map"),
                 className="left"),
        html.Div(table, className="right"),
    ]


def networks_body(b: Briefing, boundaries: gpd.GeoDataFrame) -> list[Any]:
    """Networks active, moves since the last briefing and arrows between districts (no phone,
    no text, no hash: the briefing holds district names and days only)."""
    arrows = move_arrows(b.network_moves)
    table = (_table(b.network_moves, [("network", "Network"), ("from", "From"), ("to", "To"),
                                      ("day", "Day")], limit=10)
             if len(b.network_moves) else _empty("No network moved since the last briefing."))
    tiles = [_tile("networks active", b.networks_active),
             _tile("moves since the last briefing", len(b.network_moves))]
    return [
        html.Div(_graph(district_arrows_figure(boundaries, None, arrows), "briefing-map"),
                 className="left"),
        html.Div([html.Div(tiles, className="tiles"), table], className="right"),
    ]


def panel_bodies(b: Briefing, boundaries: gpd.GeoDataFrame) -> dict[str, list[Any]]:
    """Every panel's body, by panel key (see :data:`dashboard.pages.briefing.ids.PANELS`)."""
    return {
        "plan": plan_body(b, boundaries),
        "yesterday": yesterday_body(b),
        "districts": districts_body(b, boundaries),
        "week": week_body(b),
        "intel": intel_body(b, boundaries),
        "outstanding": outstanding_body(b, boundaries),
        "networks": networks_body(b, boundaries),
    }
