"""The printable PDF of the briefing pack (fpdf2): one page per section of the briefing.

A4 landscape in the marked document frame (:class:`layers.documents.pdf.MarkedPdf`): the
protective marking is in the header and footer of every page. Drawing is in
:mod:`layers.briefing.pdf_draw`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.crs import BNG
from layers.briefing import charts
from layers.briefing.model import Briefing
from layers.briefing.outstanding import shown_columns
from layers.briefing.pdf_draw import RGB, bars, figures, heading, rgb, table, vector_map
from layers.briefing.plan import no_plan_message
from layers.briefing.results import CLOSED_OUTCOMES, NOT_RECORDED
from layers.core.clock import LONDON
from layers.documents.pdf import MarkedPdf, latin1

logger = logging.getLogger(__name__)

Layer = tuple[pd.DataFrame, RGB, float]
Columns = Sequence[tuple[str, str, float]]


def _map_and_table(pdf: MarkedPdf, bounds: gpd.GeoDataFrame, size: tuple[float, float],
                   layers: Sequence[Layer], frame: pd.DataFrame, columns: Columns,
                   fills: dict[str, RGB] | None = None, empty: str = "None") -> None:
    """A map on the left and a table beside it (the table's rows may run onto new pages)."""
    top = pdf.get_y()
    vector_map(pdf, bounds, (pdf.l_margin, top, *size), layers, fills)
    left = pdf.l_margin
    pdf.set_left_margin(left + size[0] + 5)
    pdf.set_xy(left + size[0] + 5, top)
    table(pdf, frame, columns, empty)
    pdf.set_left_margin(left)


def _summary(pdf: MarkedPdf, b: Briefing, bounds: gpd.GeoDataFrame) -> None:
    day = b.day.strftime("%A %d %B %Y")
    since = b.since.astimezone(LONDON).strftime("%a %d %b %H:%M")
    at = b.at.astimezone(LONDON).strftime("%a %d %b %H:%M")
    heading(pdf, f"Briefing: {b.operation}")
    pdf.multi_cell(0, 5, latin1(
        f"{day}. Data as of {b.data_time.astimezone(LONDON):%d %b %Y %H:%M:%S} "
        f"(revision {b.revision}). New intelligence from {since} to {at}."
        + ("  DEMO DATA: synthetic, not intelligence." if b.is_demo else "")),
        new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    heading(pdf, "Yesterday")
    y = b.yesterday
    figures(pdf, [("visits", y["summary"]["visits"]), ("visits closed", y["summary"]["closed"])]
            + [(CLOSED_OUTCOMES[k], v) for k, v in y["outcomes"].items()
               if k != NOT_RECORDED or v])
    figures(pdf, charts.results_rows(y["results"]))
    heading(pdf, "Week to date: results")
    figures(pdf, charts.results_rows(b.week_results))


def _plan(pdf: MarkedPdf, b: Briefing, bounds: gpd.GeoDataFrame) -> None:
    heading(pdf, "Today's plan by team")
    _map_and_table(pdf, bounds, (110, 120), [(b.plan, rgb("#E69F00"), 1.4)], b.plan,
                   [("team", "Team", 50), ("order", "#", 10), ("district", "District", 50),
                    ("risk", "Risk", 24)], empty=no_plan_message(b.day))


def _districts(pdf: MarkedPdf, b: Briefing, bounds: gpd.GeoDataFrame) -> None:
    heading(pdf, "Week to date by district (share of planned premises done)")
    fills = {str(code): rgb(charts.cividis(pct / 100)) for code, pct in
             zip(b.by_district["district_code"], b.by_district["done_pct"], strict=True)}
    _map_and_table(pdf, bounds, (100, 110), [], b.by_district,
                   [("district", "District", 36), ("premises", "Premises", 18),
                    ("planned", "Planned", 18), ("done", "Done", 14), ("done_pct", "% done", 16),
                    ("actioned", "Actioned", 18), ("safeguarded", "Safeg.", 16),
                    ("arrests", "Arrests", 16), ("high_outstanding", "High open", 20)], fills)


def _week(pdf: MarkedPdf, b: Briefing, bounds: gpd.GeoDataFrame) -> None:
    heading(pdf, "Week to date by day")
    labels = [d.strftime("%a %d") for d in b.by_day["day"]]
    top = pdf.get_y()
    bars(pdf, labels, [("Planned", b.by_day["planned"].tolist(), rgb("#56B4E9")),
                       ("Visited", b.by_day["visits"].tolist(), rgb("#009E73")),
                       ("Tip-offs", b.by_day["tipoffs"].tolist(), rgb("#0072B2"))],
         (pdf.l_margin, top, 270, 80), "Planned, visited and tip-offs per day")
    pdf.set_xy(pdf.l_margin, top + 84)
    table(pdf, b.by_day, [("day", "Day", 30), ("planned", "Planned", 25),
                          ("visits", "Visited", 25), ("actioned", "Actioned", 25),
                          ("no_further_action", "NFA", 25), ("tipoffs", "Tip-offs", 25),
                          ("adverts", "Adverts", 25)])


def _intel(pdf: MarkedPdf, b: Briefing, bounds: gpd.GeoDataFrame) -> None:
    heading(pdf, f"New tip-offs and adverts since {b.since.astimezone(LONDON):%a %d %b %H:%M}")
    peak = max(int(b.hotspots["count"].max()), 1) if len(b.hotspots) else 1
    hot = b.hotspots.assign(_r=1.5 + 3 * np.sqrt(b.hotspots["count"].astype(float) / peak))
    layers = [(b.new_intel.loc[b.new_intel["kind"] == "adverts"], rgb("#CC79A7"), 0.5),
              (b.new_intel.loc[b.new_intel["kind"] == "tipoffs"], rgb("#0072B2"), 0.7),
              (hot, rgb("#F0E442"), 2.0)]
    _map_and_table(pdf, bounds, (110, 120), layers, b.hotspots,
                   [("cell", "1 km square", 30), ("district", "District", 40),
                    ("tipoffs", "Tip-offs", 22), ("adverts", "Adverts", 22),
                    ("count", "Total", 20)])


OUTSTANDING_WIDTHS: dict[str, float] = {
    "street": 58, "postcode_sector": 18, "district": 40, "premises_type": 40, "risk": 16,
    "status": 24, "priority": 18, "linked_tipoffs": 18,
}
"""Column widths (mm) of the outstanding table, for whichever fields the room may see."""


def _outstanding(pdf: MarkedPdf, b: Briefing, bounds: gpd.GeoDataFrame) -> None:
    heading(pdf, "Outstanding high-priority premises")
    columns = [(key, label, OUTSTANDING_WIDTHS[key]) for key, label in shown_columns(b.outstanding)]
    _map_and_table(pdf, bounds, (100, 110), [(b.outstanding, rgb("#D55E00"), 1.4)],
                   b.outstanding, columns, empty="No high-priority premises outstanding.")


PAGES: tuple[Callable[[MarkedPdf, Briefing, gpd.GeoDataFrame], None], ...] = (
    _summary, _plan, _districts, _week, _intel, _outstanding,
)
"""One page (or more, when a table runs on) per section, in the order of the HTML pack."""


def pack_pdf(b: Briefing, boundaries: gpd.GeoDataFrame, marking: str) -> bytes:
    """The briefing as a PDF (A4 landscape, marking top and bottom of every page)."""
    pdf = MarkedPdf(marking, f"{b.operation}: briefing for {b.day:%A %d %B %Y}")
    pdf.alias_nb_pages()
    bounds = boundaries.to_crs(BNG)
    for draw in PAGES:
        pdf.add_page()
        draw(pdf, b, bounds)
    return bytes(pdf.output())
