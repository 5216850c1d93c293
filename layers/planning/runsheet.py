"""Run sheets: what a team needs in hand for a day, as a printable page, PDF and CSV.

One :class:`RunSheet` is built from the store and rendered three ways, so the page, the PDF and
the CSV always say the same thing. Every rendering carries the protective marking at the top and
bottom (every page of the PDF), because a run sheet leaves the building.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from layers.audit import processing_log
from layers.core.status import STATUS_LABELS
from layers.documents.html import marked_page
from layers.documents.pdf import MarkedPdf, latin1
from layers.exports.cells import safe_header, safe_text
from layers.planning.candidates import candidate_frame
from layers.planning.day_view import TeamDay, hhmm, team_days
from layers.planning.solver import TravelTimes
from layers.planning.teams import get_team
from layers.planning.visit_rules import VisitTerms
from layers.planning.week import check_in_operation

logger = logging.getLogger(__name__)

CSV_HEADER: tuple[str, ...] = (
    "stop",
    "arrive",
    "leave",
    "window",
    "location_id",
    "reference",
    "address",
    "postcode",
    "grid_reference",
    "district",
    "what_is_known",
    "safety_notes",
    "status",
)


@dataclass(frozen=True)
class RunSheetRow:
    """One stop of the day."""

    stop: int
    arrive: str
    leave: str
    window: str
    location_id: int
    ref: str
    address: str
    postcode: str
    grid_ref: str
    district: str
    known: str
    safety: str
    status: str

    def values(self) -> list[str]:
        """The row in :data:`CSV_HEADER` order."""
        return [
            str(self.stop),
            self.arrive,
            self.leave,
            self.window,
            str(self.location_id),
            self.ref,
            self.address,
            self.postcode,
            self.grid_ref,
            self.district,
            self.known,
            self.safety,
            self.status,
        ]


@dataclass
class RunSheet:
    """A team's day: who, where they start, the stops in order with their times."""

    marking: str
    call_sign: str
    division: str
    members: int
    partners: list[str]
    shift: str
    start_label: str
    day: dt.date
    timing: str
    rows: list[RunSheetRow] = field(default_factory=list)
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def title(self) -> str:
        """The heading of every rendering."""
        return f"Run sheet: {self.call_sign}, {self.day:%A %d %B %Y}"

    def summary(self) -> str:
        """Team, shift, base and the day's timing on one line."""
        partners = ", ".join(self.partners) if self.partners else "none"
        return (
            f"{self.division} division · {self.members} officers · partners: {partners} · "
            f"shift {self.shift} · base: {self.start_label or 'start point'} · "
            f"{len(self.rows)} stops · {self.timing}"
        )


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return str(value)


def gridrefs(easting: np.ndarray, northing: np.ndarray) -> list[str]:
    """10-figure OS grid references (``SD 53843 29512``) for BNG coordinates."""
    from geodata.gridref import format_gridref

    return [str(g) for g in format_gridref(np.asarray(easting), np.asarray(northing))]


def _known(row: Any) -> str:
    parts = [
        f"{_text(row.premises_type) or 'premises'}",
        f"risk {_text(row.risk) or 'not rated'}",
        f"priority {row.priority:.0f} ({row.priority_why})",
        f"{int(row.tipoffs_near)} tip-offs linked or within 250 m",
        f"{int(row.adverts_near)} advert geotags within 250 m",
    ]
    if _text(getattr(row, "network_note", "")):
        parts.append(row.network_note)  # the linked network's facts, never its text
    notes = _text(row.notes).strip()
    if notes:
        parts.append(f"notes: {notes}")
    return "; ".join(parts)


def _safety(row: Any) -> str:
    parts = []
    if _text(row.risk) == "high":
        parts.append("HIGH RISK premises: brief before entry")
    note = _text(row.safety_note).strip()
    if note:
        parts.append(note)
    return "; ".join(parts)


def timing_line(timed: TeamDay) -> str:
    """When the team is back at base and how much of the shift is left, or that it is not
    timed yet."""
    if timed.back is None:
        return "not timed yet"
    rest = f" · break {timed.team.break_minutes} min" if timed.team.break_minutes else ""
    return (f"back at base about {hhmm(timed.back)} · {timed.minutes_left} min of the "
            f"shift left{rest}")


def window_text(terms: VisitTerms) -> str:
    """A visit's window as the sheet prints it."""
    return "any time" if terms.any_time else f"{terms.window_from}-{terms.window_until}"


def build_runsheet(
    session: Session,
    team_id: int,
    day: dt.date,
    marking: str,
    travel: TravelTimes,
    district_names: Mapping[str, str] | None = None,
) -> RunSheet:
    """The run sheet of ``team_id`` on ``day``, stops in their planned order with their times.

    Raises :class:`layers.core.errors.NotFound` for an unknown team, and
    :class:`layers.planning.week.OutsideOperation` for a day outside the operation.
    """
    team = get_team(session, team_id)
    check_in_operation(session, day, "run sheet")
    timed = team_days(session, day, travel, team_id)[0]
    terms = {r.location_id: r.terms for r in timed.rows}
    frame = candidate_frame(session)
    stops = frame[(frame["team_id"] == team_id) & (frame["day"] == day)].sort_values(
        ["position", "id"]
    )
    points = stops[["easting", "northing"]].to_numpy(dtype="float64")
    refs = gridrefs(points[:, 0], points[:, 1]) if len(stops) else []
    sheet = RunSheet(
        marking=marking,
        call_sign=team.call_sign,
        division=team.division,
        members=team.members,
        partners=list(json.loads(team.partners or "[]")),
        shift=f"{team.shift_start}-{team.shift_end}",
        start_label=team.start_label,
        day=day,
        timing=timing_line(timed),
    )
    names = district_names or {}
    for i, (row, ref) in enumerate(zip(stops.itertuples(index=False), refs, strict=True)):
        sheet.rows.append(
            RunSheetRow(
                stop=i + 1,
                arrive=hhmm(row.eta),
                leave=hhmm(row.etd),
                window=window_text(terms[int(row.id)]),
                location_id=int(row.id),
                ref=_text(row.ref),
                address=_text(row.address),
                postcode=_text(row.postcode),
                grid_ref=ref,
                district=names.get(_text(row.district_code), _text(row.district_code)),
                known=_known(row),
                safety=_safety(row),
                status=STATUS_LABELS.get(row.status, row.status),
            )
        )
    return sheet


def runsheet_filename(sheet: RunSheet, fmt: str) -> str:
    """The download's file name: call sign reduced to letters, digits, ``-`` and ``_``.

    Whatever a call sign holds (older teams were not checked), the name cannot carry quotes,
    separators or line breaks into a header or a file system.
    """
    slug = re.sub(r"[^A-Za-z0-9-]+", "_", sheet.call_sign).strip("_") or "team"
    return f"runsheet-{slug}-{sheet.day.isoformat()}.{fmt}"


def record_disclosure(
    session: Session, sheet: RunSheet, username: str, fmt: str, via: str = ""
) -> None:
    """Log the run sheet as a disclosure (it leaves the building), in the caller's transaction."""
    processing_log.record(
        session,
        username,
        processing_log.DISCLOSURE,
        f"run sheet {sheet.call_sign} {sheet.day.isoformat()} as {fmt}"
        + (f" ({via})" if via else ""),
        records=[r.location_id for r in sheet.rows],
    )


# --- renderings ----------------------------------------------------------------------------------

_CSS = """
body{font-family:Arial,Helvetica,sans-serif;margin:16px;color:#111}
h1{font-size:20px;margin:12px 0 4px} p.summary{margin:0 0 12px}
table{border-collapse:collapse;width:100%;font-size:12px}
th,td{border:1px solid #555;padding:4px;vertical-align:top;text-align:left}
th{background:#ddd} td.safety{font-weight:bold}
@media print{thead{display:table-header-group} tr{page-break-inside:avoid}}
"""


def runsheet_html(sheet: RunSheet) -> str:
    """A self-contained printable page (no external assets), marking top and bottom."""
    esc = html.escape
    head = "".join(f"<th>{esc(h.replace('_', ' ').title())}</th>" for h in CSV_HEADER)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{"safety" if name == "safety_notes" else name}">{esc(v)}</td>'
            for name, v in zip(CSV_HEADER, r.values(), strict=True)
        )
        + "</tr>"
        for r in sheet.rows
    )
    empty = "" if sheet.rows else '<p class="muted">No stops planned.</p>'
    content = (
        f"<h1>{esc(sheet.title)}</h1><p class='summary'>{esc(sheet.summary())}</p>"
        "<p class='no-print'>Print with the browser (Ctrl+P): the marking repeats on each page.</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{empty}"
        f"<p>Generated {sheet.generated_at:%d %b %Y %H:%M} UTC</p>"
    )
    return marked_page(sheet.marking, sheet.title, content, css=_CSS)


def runsheet_csv(sheet: RunSheet) -> str:
    """CSV with the marking as the first and last line (spreadsheets show it at the top)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([sheet.marking])
    writer.writerow([safe_text(sheet.title)])
    writer.writerow(safe_header(CSV_HEADER))
    for r in sheet.rows:
        writer.writerow([safe_text(v) for v in r.values()])
    writer.writerow([sheet.marking])
    return buffer.getvalue()


_PDF_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Stop", 11),
    ("Arrive", 12),
    ("Leave", 12),
    ("Window", 20),
    ("Reference", 20),
    ("Address", 42),
    ("Postcode", 18),
    ("Grid ref", 28),
    ("What is known", 56),
    ("Safety notes", 36),
    ("Status", 22),
)


def runsheet_pdf(sheet: RunSheet) -> bytes:
    """The run sheet as a PDF (A4 landscape, marking on every page)."""
    pdf = MarkedPdf(sheet.marking, sheet.title)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, latin1(sheet.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 5, latin1(sheet.summary()), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    widths = [w for _, w in _PDF_COLUMNS]
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.5) as table:
        header = table.row()
        pdf.set_font("Helvetica", "B", 9)
        for name, _ in _PDF_COLUMNS:
            header.cell(name)
        pdf.set_font("Helvetica", "", 8)
        for r in sheet.rows:
            row = table.row()
            for value in (
                str(r.stop),
                r.arrive,
                r.leave,
                r.window,
                r.ref,
                r.address,
                r.postcode,
                r.grid_ref,
                r.known,
                r.safety,
                r.status,
            ):
                row.cell(latin1(value))
    if not sheet.rows:
        pdf.cell(0, 8, "No stops planned.")
    return bytes(pdf.output())
