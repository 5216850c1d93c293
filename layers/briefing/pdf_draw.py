"""Drawing on the briefing PDF: headings, tables, number tiles, bar charts and vector maps.

Maps are vector outlines in British National Grid metres (true shapes, no tiles) and charts are
plain bars drawn with rectangles, so the PDF needs nothing but fpdf2 and its core fonts.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from fpdf.enums import TableHeadingsDisplay, WrapMode
from fpdf.fonts import FontFace

from geodata.crs import BNG, WGS84
from layers.briefing.model import cell_text
from layers.documents.pdf import MarkedPdf, latin1

RGB = tuple[int, int, int]
Series = tuple[str, list[int], RGB]


def heading(pdf: MarkedPdf, text: str) -> None:
    """A section heading, then body text size."""
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 9, latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)


def table(pdf: MarkedPdf, frame: pd.DataFrame, columns: Sequence[tuple[str, str, float]],
          empty: str = "None") -> None:
    """A table from the left margin; ``columns`` are (key, label, width mm). A long value wraps
    onto more lines of its cell (it is never cut), and the head repeats on every new page.
    Columns wider together than the space left are narrowed in proportion."""
    widths = [width for _, _, width in columns]
    room = pdf.w - pdf.l_margin - pdf.r_margin
    if sum(widths) > room:
        widths = [width * room / sum(widths) for width in widths]
    pdf.set_font("Helvetica", "", 9)
    with pdf.table(col_widths=widths, width=sum(widths), align="LEFT", text_align="LEFT",
                   line_height=4.5, padding=(0.8, 1.0), wrapmode=WrapMode.WORD,
                   headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
                   repeat_headings=TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE) as grid:
        head = grid.row()
        for _, label, _ in columns:
            head.cell(latin1(label))
        if frame.empty:
            grid.row().cell(latin1(empty), colspan=len(columns))
        for _, values in frame.iterrows():
            row = grid.row()
            for key, _, _ in columns:
                row.cell(latin1(cell_text(values[key])))
    pdf.set_x(pdf.l_margin)


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
