"""The briefing pack: one self-contained HTML page, a CSV of the figures and a printable PDF.

The page is built by :mod:`layers.briefing.pack_page` and the PDF by :mod:`layers.briefing.pdf`;
this module holds the CSV, the files together, and the record of each export: every export is a
disclosure and is written to the processing log by :func:`record_disclosure`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from layers.audit import processing_log
from layers.briefing.build import build_briefing
from layers.briefing.model import Briefing, BriefingOptions
from layers.briefing.pack_page import pack_html
from layers.briefing.pdf import pack_pdf
from layers.core.db import Database
from layers.exports.cells import safe_cell, safe_header

logger = logging.getLogger(__name__)


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
    if value is None or value is pd.NA:
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
        pdf = pack_pdf(b, boundaries, marking)
    return b, PackFiles(b.day, page, pack_csv(b, marking), pdf)


def record_disclosure(db: Database, username: str, b: Briefing, formats: list[str],
                      channel: str) -> None:
    """Log the export as a disclosure (who, which day, which files, how) in the processing log."""
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
