"""A landscape A4 PDF with the protective marking in a band at the top and bottom of every page.

fpdf2's core fonts are Latin-1, so all text passes :func:`latin1` first: common typography is
mapped and anything else becomes ``?`` rather than failing the whole document.
"""

from __future__ import annotations

from fpdf import FPDF

MARKING_RGB = (122, 0, 25)
_TYPOGRAPHY = {"·": "-", "–": "-", "—": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "..."}


def latin1(value: object) -> str:
    """``value`` as text the core PDF fonts can print."""
    text = str(value)
    for a, b in _TYPOGRAPHY.items():
        text = text.replace(a, b)
    return text.encode("latin-1", "replace").decode("latin-1")


class MarkedPdf(FPDF):
    """FPDF with the marking band and the document title in every page's header and footer."""

    def __init__(self, marking: str, title: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.marking = latin1(marking)
        self.doc_title = latin1(title)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(self.doc_title)
        self.set_creator("OpsMap")

    def _band(self, y: float) -> None:
        self.set_xy(0, y)
        self.set_fill_color(*MARKING_RGB)
        self.set_text_color(255, 255, 255)
        self.set_font("Helvetica", "B", 10)
        self.cell(self.w, 7, self.marking, align="C", fill=True)
        self.set_text_color(0, 0, 0)

    def header(self) -> None:
        """Marking band, then the title small on the left."""
        self._band(0)
        self.set_xy(self.l_margin, 9)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 4, self.doc_title, align="L")
        self.set_xy(self.l_margin, 15)

    def footer(self) -> None:
        """Page number, then the marking band."""
        self.set_xy(self.l_margin, self.h - 13)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 4, f"Page {self.page_no()}/{{nb}}", align="R")
        self._band(self.h - 7)
