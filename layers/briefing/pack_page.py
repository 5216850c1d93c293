"""The briefing pack's HTML page: one self-contained file in the marked document frame.

Every value lands in one of two contexts, each escaped for it: HTML text (tables, headings:
``html.escape``) or the JSON data block the pack's script draws from
(:func:`layers.documents.html.data_block`). No code is written per pack: the page runs only
Leaflet, plotly.js and ``pack.js``, and its Content-Security-Policy allows exactly those three
by their hashes, so even a value that slipped past escaping could not run.

The protective marking is at the top and bottom of every section, and of every printed page.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import geopandas as gpd
import pandas as pd

from layers.briefing import charts
from layers.briefing.assets import leaflet_assets, pack_script, plotly_js
from layers.briefing.model import Briefing, cell_text
from layers.briefing.outstanding import shown_columns
from layers.briefing.pack_maps import pack_maps
from layers.briefing.plan import no_plan_message
from layers.briefing.results import CLOSED_OUTCOMES, NOT_RECORDED
from layers.core.clock import LONDON
from layers.documents.html import data_block, marked_page

PACK_CSS = """
body{font-family:Arial,Helvetica,sans-serif;margin:0;color:#111;background:#fff}
.marking{letter-spacing:.08em}
section.page{padding:0 24px 8px;border-bottom:2px solid #ccc;page-break-after:always}
section.page>.marking{margin:0 -24px}
h1{font-size:26px;margin:12px 0 4px}h2{font-size:20px;margin:14px 0 6px}
.meta{color:#444;margin:0 0 8px}.demo{background:#fff4ce;border:1px solid #e0c45c;padding:4px 8px;
display:inline-block;font-weight:700}
.tiles{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.tile{border:1px solid #999;border-radius:6px;padding:6px 12px;min-width:130px}
.tile b{display:block;font-size:28px}.tile span{font-size:13px;color:#333}
table{border-collapse:collapse;margin:8px 0;font-size:13px;width:100%}
th,td{border:1px solid #bbb;padding:3px 6px;text-align:left}th{background:#eee}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px;align-items:start}
.pack-map{width:100%;border:1px solid #999}
@media screen{body>.marking-top,body>.marking-bottom{display:none}}
@media print{section.page{border:0}section.page>.marking{display:none}}
"""


class _Page:
    """Collects the charts a page's sections place, for the data block."""

    def __init__(self) -> None:
        self.charts: dict[str, dict[str, Any]] = {}

    def chart(self, spec: dict[str, Any], height: int = 420) -> str:
        key = f"c{len(self.charts) + 1}"
        self.charts[key] = {"data": spec["data"], "layout": {**spec["layout"], "height": height}}
        return f'<div class="pack-chart" data-chart="{key}" style="height:{height}px"></div>'


def table(frame: pd.DataFrame, columns: list[tuple[str, str]], empty: str = "None") -> str:
    """An HTML table of ``frame``'s ``columns`` (key, label); every cell is escaped."""
    head = "".join(f"<th>{html.escape(label)}</th>" for _, label in columns)
    body = []
    for _, row in frame.iterrows():
        cells = "".join(f"<td>{html.escape(cell_text(row[key]))}</td>" for key, _ in columns)
        body.append(f"<tr>{cells}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(columns)}">{html.escape(empty)}</td></tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _tiles(rows: list[tuple[str, int]]) -> str:
    return "".join(f'<div class="tile"><b>{value:,}</b><span>{html.escape(label)}</span></div>'
                   for label, value in rows)


def _map(key: str, height_px: int = 560) -> str:
    return f'<div class="pack-map" data-map="{key}" style="height:{height_px}px"></div>'


def _when(moment: dt.datetime, fmt: str = "%a %d %b %H:%M") -> str:
    return moment.astimezone(LONDON).strftime(fmt)


def _section(marking: str, title: str, content: str) -> str:
    mark = html.escape(marking)
    return (f'<section class="page"><div class="marking">{mark}</div>'
            f"<h1>{html.escape(title)}</h1>{content}"
            f'<div class="marking">{mark}</div></section>')


def _summary(b: Briefing, page: _Page) -> str:
    y = b.yesterday
    demo = '<p class="demo">DEMO DATA: synthetic, not intelligence</p>' if b.is_demo else ""
    closed = [("visits", y["summary"]["visits"]), ("visits closed", y["summary"]["closed"])]
    outcomes = [(CLOSED_OUTCOMES[k], v) for k, v in y["outcomes"].items()
                if k != NOT_RECORDED or v]
    return (
        f'<p class="meta">{html.escape(b.day.strftime("%A %d %B %Y"))}. Data as of '
        f"{html.escape(_when(b.data_time, '%d %b %Y %H:%M:%S %Z'))} (revision {b.revision}). "
        f"New intelligence counted from {html.escape(_when(b.since))} to "
        f"{html.escape(_when(b.at))}.</p>{demo}"
        f'<h2>Yesterday</h2><div class="tiles">{_tiles(closed + outcomes)}</div>'
        f'<div class="tiles">{_tiles(charts.results_rows(y["results"]))}</div>'
        "<h2>Week to date: results</h2>"
        f'<div class="tiles">{_tiles(charts.results_rows(b.week_results))}</div>'
        f'<div class="grid"><div>{page.chart(charts.yesterday_chart(y, "print"), 320)}</div>'
        f'<div>{page.chart(charts.progress_chart(b.by_day, "print"), 320)}</div></div>'
    )


def _plan(b: Briefing) -> str:
    if b.plan.empty:
        return f"<p class='meta'>{html.escape(no_plan_message(b.day))}</p>"
    teams = b.plan["team"].nunique()
    return (
        f"<p class='meta'>{len(b.plan)} visits by {teams} team(s). Positions to the "
        "nearest kilometre square.</p>" + _map("plan")
        + table(b.plan, [("team", "Team"), ("order", "#"), ("district", "District"),
                         ("risk", "Risk")])
    )


def _districts(b: Briefing, page: _Page) -> str:
    return (
        "<p class='meta'>Shaded by the share of planned premises done; pale where "
        "nothing is planned.</p>" + _map("districts", 520) + '<div class="grid">'
        + f'<div>{page.chart(charts.district_progress_chart(b.by_district, "print"))}</div>'
        + f'<div>{page.chart(charts.outcomes_chart(b.by_district, "print"))}</div></div>'
        + table(b.by_district, [("district", "District"), ("division", "Division"),
                                ("premises", "Premises"), ("planned", "Planned"),
                                ("done", "Done"), ("done_pct", "% done"),
                                ("high_outstanding", "High risk open"),
                                ("actioned", "Actioned"), ("safeguarded", "Safeguarded"),
                                ("nrm_referrals", "NRM"), ("arrests", "Arrests")])
    )


def _week(b: Briefing, page: _Page) -> str:
    return page.chart(charts.progress_chart(b.by_day, "print")) + table(
        b.by_day, [("day", "Day"), ("planned", "Planned"), ("visits", "Visited"),
                   ("actioned", "Actioned"), ("no_further_action", "NFA"),
                   ("tipoffs", "Tip-offs"), ("adverts", "Adverts")])


def _intel(b: Briefing, page: _Page, cell_m: float) -> str:
    kinds = b.new_intel["kind"] if len(b.new_intel) else pd.Series(dtype=str)
    return (
        f"<p class='meta'>From {html.escape(_when(b.since))} to {html.escape(_when(b.at))}: "
        f"{int((kinds == 'tipoffs').sum())} tip-offs, {int((kinds == 'adverts').sum())} adverts "
        f"(shown per {int(cell_m)} m square; hotspots ringed).</p>"
        + _map("intel") + page.chart(charts.intel_timeline(b.timeline, "print"), 320)
        + table(b.hotspots, [("cell", "1 km square"), ("district", "District"),
                             ("tipoffs", "Tip-offs"), ("adverts", "Adverts"), ("count", "Total")])
    )


def _outstanding(b: Briefing) -> str:
    return _map("outstanding") + table(b.outstanding, shown_columns(b.outstanding),
                                       empty="No high-priority premises outstanding.")


def pack_html(
    b: Briefing, boundaries: gpd.GeoDataFrame, marking: str, cell_m: float = 1_000.0
) -> str:
    """The self-contained briefing pack page (see the module docstring)."""
    leaflet_js, leaflet_css = leaflet_assets()
    scripts = [leaflet_js, plotly_js(), pack_script()]
    page = _Page()
    sections = [
        (f"Briefing: {b.operation}", _summary(b, page)),
        ("Today's plan by team", _plan(b)),
        ("Week to date by district", _districts(b, page)),
        ("Week to date by day", _week(b, page)),
        ("New tip-offs and adverts since the previous briefing", _intel(b, page, cell_m)),
        ("Outstanding high-priority premises", _outstanding(b)),
    ]
    body = "".join(_section(marking, title, content) for title, content in sections)
    data = data_block("pack-data", {"maps": pack_maps(b, boundaries, cell_m),
                                    "charts": page.charts})
    return marked_page(
        marking, f"briefing {b.day.isoformat()}",
        body + data + scripts[2].tag(),
        css=leaflet_css + PACK_CSS,
        head_extra=scripts[0].tag() + scripts[1].tag(),
        script_hashes=[s.hash for s in scripts],
    )
