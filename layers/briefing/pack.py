"""The briefing pack: one self-contained HTML file, a CSV of the figures and a printable PDF.

Partner agencies open the pack on a secure laptop with no network, so the HTML carries
everything inline: Leaflet's JS and CSS (from the pinned ``xstatic-leaflet`` package), the maps
(folium, with its CDN links removed), and plotly.js for the charts. Inlined libraries mention
third-party URLs (basemap styles, licence comments); those are neutralised so nothing in the
file can reach another host. Only W3C XML namespace identifiers (``http://www.w3.org/2000/svg``
and friends) stay: they are names the DOM needs, never fetched.

Maps are Leaflet, not plotly: a plotly (MapLibre) map saved as HTML is blank from ``file://``.
Planned and outstanding premises are markers; the many tip-offs and adverts are aggregated into
1 km cells, which keeps the file small and fast to build.

The protective marking is at the top and bottom of every section, and repeats on every printed
page; the PDF has it in the header and footer of every page. Every export is a disclosure and
is recorded in the processing log by :func:`record_disclosure`.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import html
import io
import json
import logging
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.offline
import shapely

from layers.briefing import charts
from layers.briefing.data import Briefing, BriefingOptions, build_briefing
from layers.core.clock import LONDON
from layers.core.db import Database
from layers.core.status import OUTCOMES, STATUS_LABELS
from layers.exports.cells import safe_cell, safe_header

logger = logging.getLogger(__name__)

W3C_NAMESPACES: tuple[str, ...] = (
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/2000/xmlns/",
    "http://www.w3.org/XML/1998/namespace",
)
"""XML namespace names: identifiers the DOM needs, never fetched (allowed in the pack)."""

_URL_RE = re.compile(r"https?://(?!www\.w3\.org/(?:2000/svg|1999/xlink|1999/xhtml|2000/xmlns/|"
                     r"XML/1998/namespace))", re.IGNORECASE)
_CSS_URL_RE = re.compile(r"url\((['\"]?)images/([\w.-]+\.png)\1\)")
TEAM_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#D55E00", "#0072B2", "#000000",
                "#999999")
KIND_COLOURS = {"tipoffs": "#0072B2", "adverts": "#CC79A7"}
MAP_CENTRE = (53.92, -2.62)


def neutralise_urls(text: str) -> str:
    """Make every non-namespace ``http(s)://`` in inlined code inert (``about:blank#host...``)."""
    return _URL_RE.sub("about:blank#", text)


@lru_cache(maxsize=1)
def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JS and CSS from the pinned ``xstatic-leaflet`` package, ready to inline.

    The CSS's images (layer control, default marker) become data URIs, so no file is needed.
    """
    import xstatic.pkg.leaflet as xleaflet

    base = Path(xleaflet.BASE_DIR)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def _inline(match: re.Match[str]) -> str:
        data = (base / "images" / match.group(2)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode('ascii')})"

    css = _CSS_URL_RE.sub(_inline, css)
    js = js.replace("//# sourceMappingURL=leaflet.js.map", "")
    return neutralise_urls(js), neutralise_urls(css)


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """plotly.js (the version plotly.py ships) with its third-party URLs neutralised."""
    return neutralise_urls(plotly.offline.get_plotlyjs())


@dataclass
class PackFiles:
    """The three files of a briefing pack."""

    day: dt.date
    html: str
    csv: str
    pdf: bytes | None

    @property
    def stem(self) -> str:
        """File name stem: ``briefing-2026-11-26``."""
        return f"briefing-{self.day.isoformat()}"

    def zip_bytes(self) -> bytes:
        """All files in one zip (what the page's button downloads)."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{self.stem}.html", self.html)
            archive.writestr(f"{self.stem}.csv", self.csv)
            if self.pdf is not None:
                archive.writestr(f"{self.stem}.pdf", self.pdf)
        return buffer.getvalue()

    def write(self, out: Path) -> list[Path]:
        """Write the files: ``out`` is the HTML path, or a folder to write them into."""
        if out.suffix.lower() in (".html", ".htm"):
            html_path = out
        else:
            out.mkdir(parents=True, exist_ok=True)
            html_path = out / f"{self.stem}.html"
        html_path.parent.mkdir(parents=True, exist_ok=True)
        paths = [html_path, html_path.with_suffix(".csv")]
        html_path.write_text(self.html, encoding="utf-8")
        paths[1].write_text(self.csv, encoding="utf-8")
        if self.pdf is not None:
            pdf_path = html_path.with_suffix(".pdf")
            pdf_path.write_bytes(self.pdf)
            paths.append(pdf_path)
        return paths


# --- maps -------------------------------------------------------------------------------------


def _district_geojson(
    boundaries: gpd.GeoDataFrame, values: dict[str, float | None] | None = None
) -> dict:
    geoms = shapely.simplify(boundaries.geometry.to_numpy(), 0.001, preserve_topology=True)
    features = []
    for row, geom in zip(boundaries.itertuples(), geoms, strict=True):
        props: dict[str, object] = {"name": row.name, "division": row.division}
        if values is not None:
            value = values.get(row.code)
            props["value"] = value
            props["label"] = "nothing planned" if value is None else f"{value:.0f}% done"
        features.append({"type": "Feature", "properties": props,
                         "geometry": shapely.geometry.mapping(geom)})
    return {"type": "FeatureCollection", "features": features}


def _leaflet_map(
    boundaries: gpd.GeoDataFrame, values: dict[str, float | None] | None = None
) -> folium.Map:
    """A folium map with no tiles, no CDN links, the district outlines (shaded by ``values``)."""
    fmap = folium.Map(location=MAP_CENTRE, zoom_start=9, tiles=None, attribution_control=False,
                      control_scale=True, prefer_canvas=False, max_zoom=16)
    fmap.default_js = []
    fmap.default_css = []
    minx, miny, maxx, maxy = boundaries.total_bounds
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])

    def style(feature: dict) -> dict:
        value = feature["properties"].get("value")
        if value is None:
            return {"color": "#333333", "weight": 1.5, "fillColor": "#f2f2ee", "fillOpacity": 0.6}
        return {"color": "#333333", "weight": 1.5, "fillColor": charts.cividis(value / 100.0),
                "fillOpacity": 0.8}

    fields = ["name", "label"] if values is not None else ["name"]
    aliases = ["District", "Week to date"] if values is not None else ["District"]
    folium.GeoJson(_district_geojson(boundaries, values), name="Districts", style_function=style,
                   tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases)).add_to(fmap)
    return fmap


def district_values(b: Briefing) -> dict[str, float | None]:
    """Share of planned premises done per district (``None`` where nothing is planned)."""
    return {
        str(code): (float(pct) if planned else None)
        for code, pct, planned in zip(b.by_district["district_code"], b.by_district["done_pct"],
                                      b.by_district["planned"], strict=True)
    }


def _map_fragment(fmap: folium.Map, height_px: int = 560) -> str:
    """The map's ``<div>`` and its ``<script>``, to place inside the pack's own page."""
    page = fmap.get_root().render()
    body = page.split("<body>", 1)[1].split("</body>", 1)[0].strip()
    script = page.rsplit("</body>", 1)[1]
    script = script.split("<script>", 1)[1].rsplit("</script>", 1)[0]
    return (f'<div class="pack-map" style="height:{height_px}px">{body}</div>\n'
            f"<script>{script}</script>")


def plan_map(b: Briefing, boundaries: gpd.GeoDataFrame) -> folium.Map:
    """Today's visits as numbered markers, one colour per team."""
    fmap = _leaflet_map(boundaries)
    for i, (team, rows) in enumerate(b.plan.groupby("team", sort=True)):
        colour = TEAM_COLOURS[i % len(TEAM_COLOURS)]
        group = folium.FeatureGroup(name=str(team))
        for row in rows.itertuples():
            folium.CircleMarker(
                [row.lat, row.lon], radius=8, color="#000000", weight=1, fill=True,
                fill_color=colour, fill_opacity=0.95,
                tooltip=html.escape(f"{team} #{row.order}: {row.street} ({row.district})"),
            ).add_to(group)
        group.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    return fmap


def intel_map(b: Briefing, boundaries: gpd.GeoDataFrame, cell_m: float) -> folium.Map:
    """New tip-offs and adverts aggregated into cells (circle area ~ count), hotspots ringed."""
    fmap = _leaflet_map(boundaries)
    points = b.new_intel
    if len(points):
        ix = np.floor(points["easting"].to_numpy() / cell_m).astype(np.int64)
        iy = np.floor(points["northing"].to_numpy() / cell_m).astype(np.int64)
        cells = points.assign(cx=ix, cy=iy).groupby(["cx", "cy"]).agg(
            lon=("lon", "mean"), lat=("lat", "mean"), count=("kind", "size"),
            tipoffs=("kind", lambda k: int((k == "tipoffs").sum())),
        ).reset_index()
        top = max(int(cells["count"].max()), 1)
        for row in cells.itertuples():
            kind = "tipoffs" if row.tipoffs * 2 >= row.count else "adverts"
            colour = KIND_COLOURS[kind]
            folium.CircleMarker(
                [row.lat, row.lon], radius=float(4 + 16 * np.sqrt(row.count / top)),
                color=colour, weight=1, fill=True, fill_color=colour, fill_opacity=0.55,
                tooltip=f"{row.count} new ({row.tipoffs} tip-offs)",
            ).add_to(fmap)
    for row in b.hotspots.itertuples():
        folium.CircleMarker(
            [row.lat, row.lon], radius=24, color="#D55E00", weight=3, fill=False,
            tooltip=html.escape(f"Hotspot {row.cell}: {row.count} ({row.district})"),
        ).add_to(fmap)
    return fmap


def outstanding_map(b: Briefing, boundaries: gpd.GeoDataFrame) -> folium.Map:
    """High-priority premises still to visit."""
    fmap = _leaflet_map(boundaries)
    for row in b.outstanding.itertuples():
        folium.CircleMarker(
            [row.lat, row.lon], radius=8, color="#000000", weight=1, fill=True,
            fill_color="#D55E00" if str(row.status) == "unplanned" else "#56B4E9",
            fill_opacity=0.95,
            tooltip=html.escape(f"{row.street} ({row.district}), priority {row.priority}"),
        ).add_to(fmap)
    return fmap


# --- HTML -------------------------------------------------------------------------------------


def _table(frame: pd.DataFrame, columns: list[tuple[str, str]]) -> str:
    head = "".join(f"<th>{html.escape(label)}</th>" for _, label in columns)
    body = []
    for _, row in frame.iterrows():
        cells = "".join(f"<td>{html.escape(_text(row[key]))}</td>" for key, _ in columns)
        body.append(f"<tr>{cells}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(columns)}">None</td></tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date):
        return value.strftime("%a %d %b")
    text = str(value)
    return STATUS_LABELS.get(text, text)


def _chart(spec: dict, height: int = 420) -> str:
    fig = go.Figure(spec)
    fig.update_layout(height=height)
    return fig.to_html(full_html=False, include_plotlyjs=False,
                       config={"displayModeBar": False, "responsive": True})


def _tiles(rows: list[tuple[str, int]]) -> str:
    return "".join(f'<div class="tile"><b>{value:,}</b><span>{html.escape(label)}</span></div>'
                   for label, value in rows)


PACK_CSS = """
body{font-family:Arial,Helvetica,sans-serif;margin:0;color:#111;background:#fff}
.marking{background:#7a0019;color:#fff;text-align:center;font-weight:700;letter-spacing:.08em;
padding:4px 0}
.print-marking{display:none}
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
.pack-map{width:100%;border:1px solid #999}.pack-map .folium-map{height:100%}
@media print{.print-marking{display:block;position:fixed;left:0;right:0;z-index:9}
.print-top{top:0}.print-bottom{bottom:0}section.page{border:0}section.page>.marking{display:none}
body{margin:28px 0}}
"""


def pack_html(
    b: Briefing, boundaries: gpd.GeoDataFrame, marking: str, cell_m: float = 1_000.0
) -> str:
    """The self-contained briefing pack page (see the module docstring)."""
    leaflet_js, leaflet_css = leaflet_assets()
    mark = html.escape(marking)
    day = b.day.strftime("%A %d %B %Y")
    since = b.since.astimezone(LONDON).strftime("%a %d %b %H:%M")
    at = b.at.astimezone(LONDON).strftime("%a %d %b %H:%M")
    data_time = b.data_time.astimezone(LONDON).strftime("%d %b %Y %H:%M:%S %Z")
    demo = '<p class="demo">DEMO DATA: synthetic, not intelligence</p>' if b.is_demo else ""

    def section(title: str, content: str) -> str:
        return (f'<section class="page"><div class="marking">{mark}</div>'
                f"<h1>{html.escape(title)}</h1>{content}"
                f'<div class="marking">{mark}</div></section>')

    y = b.yesterday
    sections = [
        section(
            f"Briefing: {b.operation}",
            f'<p class="meta">{html.escape(day)}. Data as of {html.escape(data_time)} '
            f"(revision {b.revision}). New intelligence counted from {html.escape(since)} "
            f"to {html.escape(at)}.</p>{demo}"
            "<h2>Yesterday</h2>"
            f'<div class="tiles">{_tiles([("visits", y["summary"]["visits"]), ("closed", y["summary"]["closed"])] + [(OUTCOMES[k], v) for k, v in y["outcomes"].items()])}</div>'  # noqa: E501
            f'<div class="tiles">{_tiles(charts.results_rows(y["results"]))}</div>'
            "<h2>Week to date: results</h2>"
            f'<div class="tiles">{_tiles(charts.results_rows(b.week_results))}</div>'
            f'<div class="grid"><div>{_chart(charts.yesterday_chart(y, "print"), 320)}</div>'
            f'<div>{_chart(charts.progress_chart(b.by_day, "print"), 320)}</div></div>',
        ),
        section(
            "Today's plan by team",
            f"<p class='meta'>{len(b.plan)} visits by "
            f"{b.plan['team'].nunique() if len(b.plan) else 0} "
            "team(s). Addresses to street level only.</p>"
            + _map_fragment(plan_map(b, boundaries))
            + _table(b.plan, [("team", "Team"), ("order", "#"), ("street", "Street"),
                              ("postcode_sector", "Sector"), ("district", "District"),
                              ("premises_type", "Type"), ("risk", "Risk"), ("status", "Status")]),
        ),
        section(
            "Week to date by district",
            "<p class='meta'>Shaded by the share of planned premises done; pale where "
            "nothing is planned.</p>"
            + _map_fragment(_leaflet_map(boundaries, district_values(b)), 520)
            + '<div class="grid">'
            + f'<div>{_chart(charts.district_progress_chart(b.by_district, "print"))}</div>'
            + f'<div>{_chart(charts.outcomes_chart(b.by_district, "print"))}</div></div>'
            + _table(b.by_district, [("district", "District"), ("division", "Division"),
                                     ("premises", "Premises"), ("planned", "Planned"),
                                     ("done", "Done"), ("done_pct", "% done"),
                                     ("high_outstanding", "High risk open"),
                                     ("actioned", "Actioned"), ("safeguarded", "Safeguarded"),
                                     ("nrm_referrals", "NRM"), ("arrests", "Arrests")]),
        ),
        section(
            "Week to date by day",
            _chart(charts.progress_chart(b.by_day, "print"))
            + _table(b.by_day, [("day", "Day"), ("planned", "Planned"), ("visits", "Visited"),
                                ("actioned", "Actioned"), ("no_further_action", "NFA"),
                                ("tipoffs", "Tip-offs"), ("adverts", "Adverts")]),
        ),
        section(
            "New tip-offs and adverts since the previous briefing",
            f"<p class='meta'>From {html.escape(since)} to {html.escape(at)}: "
            f"{int((b.new_intel['kind'] == 'tipoffs').sum()) if len(b.new_intel) else 0} tip-offs, "
            f"{int((b.new_intel['kind'] == 'adverts').sum()) if len(b.new_intel) else 0} adverts "
            f"(shown per {int(cell_m)} m square; hotspots ringed).</p>"
            + _map_fragment(intel_map(b, boundaries, cell_m))
            + _chart(charts.intel_timeline(b.timeline, "print"), 320)
            + _table(b.hotspots, [("cell", "1 km square"), ("district", "District"),
                                  ("tipoffs", "Tip-offs"), ("adverts", "Adverts"),
                                  ("count", "Total")]),
        ),
        section(
            "Outstanding high-priority premises",
            _map_fragment(outstanding_map(b, boundaries))
            + _table(b.outstanding, [("street", "Street"), ("postcode_sector", "Sector"),
                                     ("district", "District"), ("premises_type", "Type"),
                                     ("risk", "Risk"), ("status", "Status"),
                                     ("priority", "Priority"), ("linked_tipoffs", "Tip-offs")]),
        ),
    ]
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{mark}: briefing {b.day.isoformat()}</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<style>{leaflet_css}</style><style>{PACK_CSS}</style>"
        f"<script>{leaflet_js}</script>"
        f"<script>{plotly_js()}</script>"
        "<script>L_NO_TOUCH = false; L_DISABLE_3D = false;</script>"
        "</head><body>"
        f'<div class="marking print-marking print-top">{mark}</div>'
        + "".join(sections)
        + f'<div class="marking print-marking print-bottom">{mark}</div>'
        "</body></html>"
    )


# --- CSV --------------------------------------------------------------------------------------


def pack_csv(b: Briefing, marking: str) -> str:
    """The briefing's figures as one CSV (``section,key,...``), marking first and last."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["marking", marking])
    writer.writerow(["briefing", b.day.isoformat(), "data_time", b.data_time.isoformat(),
                     "since", b.since.isoformat(), "revision", b.revision])
    for group, values in b.yesterday.items():
        for key, value in values.items():
            writer.writerow([f"yesterday_{group}", key, value])
    for key, value in b.week_results.items():
        writer.writerow(["week_results", key, value])
    for name in ("by_district", "by_day", "hotspots", "plan", "outstanding", "timeline"):
        frame = getattr(b, name)
        writer.writerow([name, *safe_header(frame.columns)])
        for row in frame.itertuples(index=False):
            writer.writerow([name, *[_csv_cell(v) for v in row]])
    writer.writerow(["marking", marking])
    return out.getvalue()


def _csv_cell(value: object) -> object:
    """Times as ISO text; numbers stay numbers; text through the one safe-cell rule."""
    if value is None:
        return ""
    return safe_cell(value.isoformat() if hasattr(value, "isoformat") else value)


# --- building, recording ------------------------------------------------------------------------


def build_pack(
    db: Database,
    options: BriefingOptions,
    boundaries: gpd.GeoDataFrame,
    marking: str,
    with_pdf: bool = True,
) -> tuple[Briefing, PackFiles]:
    """Build the briefing for ``options`` and its pack files."""
    districts = pd.DataFrame(boundaries[["code", "name", "division"]])
    b = build_briefing(db, options, districts)
    page = pack_html(b, boundaries, marking, options.hotspot_cell_m)
    pdf = None
    if with_pdf:
        from layers.briefing.pdf import pack_pdf

        pdf = pack_pdf(b, boundaries, marking)
    return b, PackFiles(b.day, page, pack_csv(b, marking), pdf)


def record_disclosure(db: Database, username: str, b: Briefing, formats: list[str],
                      channel: str) -> None:
    """Log the export as a disclosure (who, which day, which files, how) in the processing log."""
    from layers.audit import processing_log

    detail = json.dumps({
        "what": "briefing pack", "day": b.day.isoformat(), "since": b.since.isoformat(),
        "formats": formats, "via": channel, "revision": b.revision,
        "locations": int(len(b.plan) + len(b.outstanding)),
    })
    ids = sorted({int(i) for i in pd.concat([b.plan.get("id", pd.Series(dtype=int)),
                                             b.outstanding.get("id", pd.Series(dtype=int))])})
    with db.write(bump=False) as session:
        processing_log.record(session, username, "disclosure", detail, records=ids)
    logger.info("briefing pack for %s disclosed to %s via %s", b.day, username, channel)


def export_pack(
    db: Database,
    options: BriefingOptions,
    boundaries: gpd.GeoDataFrame,
    marking: str,
    username: str,
    channel: str,
) -> PackFiles:
    """Build the pack and record its disclosure (what the UI, the route and the CLI call)."""
    b, files = build_pack(db, options, boundaries, marking)
    formats = ["html", "csv"] + (["pdf"] if files.pdf is not None else [])
    record_disclosure(db, username, b, formats, channel)
    return files
