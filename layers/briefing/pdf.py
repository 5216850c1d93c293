"""The printable PDF of the briefing pack (fpdf2): tables, bar charts and vector maps.

A4 landscape, the protective marking in the header and footer of every page. Maps are drawn as
vector outlines in British National Grid metres (true shapes, no tiles); charts are plain bars
drawn with rectangles, so the PDF needs nothing but fpdf2 and its core fonts.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.crs import BNG, WGS84
from layers.briefing import charts
from layers.briefing.data import Briefing
from layers.core.clock import LONDON
from layers.core.status import OUTCOMES, STATUS_LABELS
from layers.documents.pdf import MarkedPdf, latin1

logger = logging.getLogger(__name__)

def _heading(pdf: MarkedPdf, text: str) -> None:
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 9, latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)


def _table(pdf: MarkedPdf, frame: pd.DataFrame, columns: Sequence[tuple[str, str, float]]) -> None:
    """A simple table; ``columns`` are (key, label, width mm). Repeats its head on new pages."""
    def head() -> None:
        pdf.set_font("Helvetica", "B", 9)
        pdf.set_fill_color(230, 230, 230)
        for _, label, width in columns:
            pdf.cell(width, 6, latin1(label), border=1, fill=True)
        pdf.ln()
        pdf.set_font("Helvetica", "", 9)

    head()
    if frame.empty:
        pdf.cell(sum(c[2] for c in columns), 6, "None", border=1, new_x="LMARGIN", new_y="NEXT")
        return
    for _, row in frame.iterrows():
        if pdf.will_page_break(6):
            pdf.add_page()
            head()
        for key, _, width in columns:
            text = latin1(_text(row[key]))
            while text and pdf.get_string_width(text) > width - 2:
                text = text[:-1]
            pdf.cell(width, 6, text, border=1)
        pdf.ln()


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date):
        return value.strftime("%a %d %b")
    return STATUS_LABELS.get(str(value), str(value))


def _figures(pdf: MarkedPdf, rows: list[tuple[str, int]], per_line: int = 6) -> None:
    """Big numbers in boxes."""
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / per_line
    for i, (label, value) in enumerate(rows):
        if i and i % per_line == 0:
            pdf.ln(18)
        x, y = pdf.l_margin + (i % per_line) * width, pdf.get_y()
        pdf.rect(x + 1, y, width - 2, 16)
        pdf.set_xy(x + 1, y + 1)
        pdf.set_font("Helvetica", "B", 16)
        pdf.cell(width - 2, 8, f"{value:,}", align="C")
        pdf.set_xy(x + 1, y + 9)
        pdf.set_font("Helvetica", "", 8)
        pdf.cell(width - 2, 6, latin1(label), align="C")
        pdf.set_xy(pdf.l_margin, y)
    pdf.ln(20)


def _bars(pdf: MarkedPdf, labels: list[str],
          series: list[tuple[str, list[int], tuple[int, int, int]]],
          x: float, y: float, w: float, h: float, title: str) -> None:
    """Grouped vertical bars with a legend."""
    pdf.set_font("Helvetica", "B", 10)
    pdf.set_xy(x, y)
    pdf.cell(w, 6, latin1(title))
    top = max([max(v) if v else 0 for _, v, _ in series] + [1])
    plot_y, plot_h = y + 8, h - 22
    group_w = w / max(len(labels), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    pdf.set_draw_color(120, 120, 120)
    pdf.line(x, plot_y + plot_h, x + w, plot_y + plot_h)
    pdf.set_font("Helvetica", "", 7)
    for i, label in enumerate(labels):
        gx = x + i * group_w + group_w * 0.1
        for j, (_, values, rgb) in enumerate(series):
            bh = plot_h * values[i] / top
            pdf.set_fill_color(*rgb)
            pdf.rect(gx + j * bar_w, plot_y + plot_h - bh, bar_w * 0.95, bh, style="F")
            if values[i]:
                pdf.set_xy(gx + j * bar_w, plot_y + plot_h - bh - 4)
                pdf.cell(bar_w, 4, str(values[i]), align="C")
        pdf.set_xy(x + i * group_w, plot_y + plot_h + 1)
        pdf.cell(group_w, 4, latin1(label)[:14], align="C")
    lx = x
    for name, _, rgb in series:
        pdf.set_fill_color(*rgb)
        pdf.rect(lx, y + h - 8, 4, 4, style="F")
        pdf.set_xy(lx + 5, y + h - 8.5)
        pdf.cell(40, 5, latin1(name))
        lx += 45
    pdf.set_draw_color(0, 0, 0)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _map(pdf: MarkedPdf, boundaries_bng: gpd.GeoDataFrame, x: float, y: float, w: float, h: float,
         layers: Sequence[tuple[pd.DataFrame, tuple[int, int, int], float]],
         fills: dict[str, tuple[int, int, int]] | None = None) -> None:
    """District outlines (optionally filled) and point layers, scaled into the box."""
    minx, miny, maxx, maxy = boundaries_bng.total_bounds
    scale = min(w / (maxx - minx), h / (maxy - miny))

    def to_page(e: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return x + (e - minx) * scale, y + h - (n - miny) * scale

    pdf.set_line_width(0.2)
    for row in boundaries_bng.itertuples():
        for part in shapely.get_parts(row.geometry):
            coords = shapely.get_coordinates(shapely.simplify(part.exterior, 50))
            px, py = to_page(coords[:, 0], coords[:, 1])
            fill = (fills or {}).get(row.code)
            if fill:
                pdf.set_fill_color(*fill)
            pdf.polygon(list(zip(px.tolist(), py.tolist(), strict=True)),
                        style="DF" if fill else "D")
    for frame, rgb, radius in layers:
        if frame.empty:
            continue
        px, py = to_page(frame["easting"].to_numpy(), frame["northing"].to_numpy())
        pdf.set_fill_color(*rgb)
        sizes = frame["_r"].to_numpy() if "_r" in frame.columns else np.full(len(frame), radius)
        for cx, cy, r in zip(px, py, sizes, strict=True):
            pdf.circle(x=float(cx), y=float(cy), radius=float(r), style="FD")


def _bng(frame: pd.DataFrame) -> pd.DataFrame:
    """Add easting/northing to a lon/lat frame when it lacks them."""
    if frame.empty or {"easting", "northing"} <= set(frame.columns):
        return frame
    points = gpd.GeoSeries(gpd.points_from_xy(frame["lon"], frame["lat"]), crs=WGS84)
    projected = points.to_crs(BNG)
    return frame.assign(easting=projected.x.to_numpy(), northing=projected.y.to_numpy())


def pack_pdf(b: Briefing, boundaries: gpd.GeoDataFrame, marking: str) -> bytes:
    """The briefing as a PDF (A4 landscape, marking top and bottom of every page)."""
    day = b.day.strftime("%A %d %B %Y")
    pdf = MarkedPdf(marking, f"{b.operation}: briefing for {day}")
    pdf.alias_nb_pages()
    bounds = boundaries.to_crs(BNG)
    since = b.since.astimezone(LONDON).strftime("%a %d %b %H:%M")
    at = b.at.astimezone(LONDON).strftime("%a %d %b %H:%M")

    pdf.add_page()
    _heading(pdf, f"Briefing: {b.operation}")
    pdf.multi_cell(0, 5, latin1(
        f"{day}. Data as of {b.data_time.astimezone(LONDON):%d %b %Y %H:%M:%S} "
        f"(revision {b.revision}). New intelligence from {since} to {at}."
        + ("  DEMO DATA: synthetic, not intelligence." if b.is_demo else "")),
        new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _heading(pdf, "Yesterday")
    y = b.yesterday
    _figures(pdf, [("visits", y["summary"]["visits"]), ("closed", y["summary"]["closed"])]
             + [(OUTCOMES[k], v) for k, v in y["outcomes"].items() if k != "postponed"])
    _figures(pdf, charts.results_rows(y["results"]))
    _heading(pdf, "Week to date: results")
    _figures(pdf, charts.results_rows(b.week_results))

    pdf.add_page()
    _heading(pdf, "Today's plan by team")
    top = pdf.get_y()
    _map(pdf, bounds, pdf.l_margin, top, 110, 120,
         [(_bng(b.plan), _rgb("#E69F00"), 1.4)])
    pdf.set_xy(pdf.l_margin + 115, top)
    pdf.set_left_margin(pdf.l_margin + 115)
    _table(pdf, b.plan, [("team", "Team", 24), ("order", "#", 8), ("street", "Street", 60),
                         ("district", "District", 30), ("risk", "Risk", 14),
                         ("status", "Status", 24)])
    pdf.set_left_margin(10)

    pdf.add_page()
    _heading(pdf, "Week to date by district (share of planned premises done)")
    top = pdf.get_y()
    fills = {code: _rgb(charts.cividis(pct / 100)) for code, pct in
             zip(b.by_district["district_code"], b.by_district["done_pct"], strict=True)}
    _map(pdf, bounds, pdf.l_margin, top, 100, 110, [], fills)
    pdf.set_xy(pdf.l_margin + 105, top)
    pdf.set_left_margin(pdf.l_margin + 105)
    _table(pdf, b.by_district, [("district", "District", 36), ("premises", "Premises", 18),
                                ("planned", "Planned", 18), ("done", "Done", 14),
                                ("done_pct", "% done", 16), ("actioned", "Actioned", 18),
                                ("safeguarded", "Safeg.", 16), ("arrests", "Arrests", 16),
                                ("high_outstanding", "High open", 20)])
    pdf.set_left_margin(10)

    pdf.add_page()
    _heading(pdf, "Week to date by day")
    labels = [d.strftime("%a %d") for d in b.by_day["day"]]
    top = pdf.get_y()
    _bars(pdf, labels, [("Planned", b.by_day["planned"].tolist(), _rgb("#56B4E9")),
                        ("Visited", b.by_day["visits"].tolist(), _rgb("#009E73")),
                        ("Tip-offs", b.by_day["tipoffs"].tolist(), _rgb("#0072B2"))],
          pdf.l_margin, top, 270, 80, "Planned, visited and tip-offs per day")
    pdf.set_xy(pdf.l_margin, top + 84)
    _table(pdf, b.by_day, [("day", "Day", 30), ("planned", "Planned", 25),
                           ("visits", "Visited", 25), ("actioned", "Actioned", 25),
                           ("no_further_action", "NFA", 25), ("tipoffs", "Tip-offs", 25),
                           ("adverts", "Adverts", 25)])

    pdf.add_page()
    _heading(pdf, f"New tip-offs and adverts since {since}")
    top = pdf.get_y()
    peak = max(int(b.hotspots["count"].max()), 1) if len(b.hotspots) else 1
    hot = b.hotspots.assign(_r=1.5 + 3 * np.sqrt(b.hotspots["count"].astype(float) / peak))
    _map(pdf, bounds, pdf.l_margin, top, 110, 120,
         [(b.new_intel.loc[b.new_intel["kind"] == "adverts"], _rgb("#CC79A7"), 0.5),
          (b.new_intel.loc[b.new_intel["kind"] == "tipoffs"], _rgb("#0072B2"), 0.7),
          (hot, _rgb("#F0E442"), 2)])
    pdf.set_xy(pdf.l_margin + 115, top)
    pdf.set_left_margin(pdf.l_margin + 115)
    _table(pdf, b.hotspots, [("cell", "1 km square", 30), ("district", "District", 40),
                             ("tipoffs", "Tip-offs", 22), ("adverts", "Adverts", 22),
                             ("count", "Total", 20)])
    pdf.set_left_margin(10)

    pdf.add_page()
    _heading(pdf, "Outstanding high-priority premises")
    top = pdf.get_y()
    _map(pdf, bounds, pdf.l_margin, top, 100, 110, [(_bng(b.outstanding), _rgb("#D55E00"), 1.4)])
    pdf.set_xy(pdf.l_margin + 105, top)
    pdf.set_left_margin(pdf.l_margin + 105)
    _table(pdf, b.outstanding, [("street", "Street", 58), ("district", "District", 32),
                                ("premises_type", "Type", 28), ("status", "Status", 22),
                                ("priority", "Priority", 18), ("linked_tipoffs", "Tips", 14)])
    pdf.set_left_margin(10)
    return bytes(pdf.output())
