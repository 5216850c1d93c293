"""Drawing on the briefing PDF: headings, tables, number tiles, bar charts and vector maps.

Maps are vector outlines in British National Grid metres (true shapes, no tiles) and charts are
plain bars drawn with rectangles, so the PDF needs nothing but fpdf2 and its core fonts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.crs import BNG, WGS84
from layers.core.status import STATUS_LABELS
from layers.documents.pdf import MarkedPdf, latin1

RGB = tuple[int, int, int]
Series = tuple[str, list[int], RGB]


def heading(pdf: MarkedPdf, text: str) -> None:
    """A section heading, then body text size."""
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 9, latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)


def cell_text(value: object) -> str:
    """A value as the table shows it: dates as ``Thu 26 Nov``, statuses by their label."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date):
        return value.strftime("%a %d %b")
    return STATUS_LABELS.get(str(value), str(value))


def table(pdf: MarkedPdf, frame: pd.DataFrame, columns: Sequence[tuple[str, str, float]]) -> None:
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
            text = latin1(cell_text(row[key]))
            while text and pdf.get_string_width(text) > width - 2:
                text = text[:-1]
            pdf.cell(width, 6, text, border=1)
        pdf.ln()


def figures(pdf: MarkedPdf, rows: list[tuple[str, int]], per_line: int = 6) -> None:
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


def _legend(pdf: MarkedPdf, series: list[Series], x: float, y: float) -> None:
    for name, _, rgb in series:
        pdf.set_fill_color(*rgb)
        pdf.rect(x, y, 4, 4, style="F")
        pdf.set_xy(x + 5, y - 0.5)
        pdf.cell(40, 5, latin1(name))
        x += 45


def bars(pdf: MarkedPdf, labels: list[str], series: list[Series],
         box: tuple[float, float, float, float], title: str) -> None:
    """Grouped vertical bars with a legend, in ``box`` (x, y, width, height in mm)."""
    x, y, w, h = box
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
    _legend(pdf, series, x, y + h - 8)
    pdf.set_draw_color(0, 0, 0)


def rgb(hex_colour: str) -> RGB:
    """``#RRGGBB`` as an (r, g, b) tuple."""
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def vector_map(pdf: MarkedPdf, boundaries_bng: gpd.GeoDataFrame,
               box: tuple[float, float, float, float],
               layers: Sequence[tuple[pd.DataFrame, RGB, float]],
               fills: dict[str, RGB] | None = None) -> None:
    """District outlines (optionally filled) and point layers, scaled into ``box``."""
    x, y, w, h = box
    minx, miny, maxx, maxy = boundaries_bng.total_bounds
    scale = min(w / (maxx - minx), h / (maxy - miny))

    def to_page(e: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return x + (e - minx) * scale, y + h - (n - miny) * scale

    pdf.set_line_width(0.2)
    for row in boundaries_bng.itertuples():
        for part in shapely.get_parts(row.geometry):
            coords = shapely.get_coordinates(shapely.simplify(part.exterior, 50))
            px, py = to_page(coords[:, 0], coords[:, 1])
            fill = (fills or {}).get(str(row.code))
            if fill:
                pdf.set_fill_color(*fill)
            pdf.polygon(list(zip(px.tolist(), py.tolist(), strict=True)),
                        style="DF" if fill else "D")
    for frame, colour, radius in layers:
        if frame.empty:
            continue
        points = with_bng(frame)
        px, py = to_page(points["easting"].to_numpy(), points["northing"].to_numpy())
        pdf.set_fill_color(*colour)
        sizes = frame["_r"].to_numpy() if "_r" in frame.columns else np.full(len(frame), radius)
        for cx, cy, r in zip(px, py, sizes, strict=True):
            pdf.circle(x=float(cx), y=float(cy), radius=float(r), style="FD")


def with_bng(frame: pd.DataFrame) -> pd.DataFrame:
    """Add easting/northing to a lon/lat frame when it lacks them."""
    if frame.empty or {"easting", "northing"} <= set(frame.columns):
        return frame
    points = gpd.GeoSeries(gpd.points_from_xy(frame["lon"], frame["lat"]), crs=WGS84)
    projected = points.to_crs(BNG)
    return frame.assign(easting=projected.x.to_numpy(), northing=projected.y.to_numpy())
