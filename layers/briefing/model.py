"""What a briefing is: the options a front end asks for and the redacted figures it gets back.

Kept apart from the code that computes the figures so that the screen, the pack and the CLI can
name these types without importing the queries behind them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from layers.core.clock import LONDON
from layers.core.status import STATUS_LABELS

HOTSPOT_CELL_M = 1_000.0
"""Hotspots are OS 1 km grid squares."""
BRIEFING_HOUR = 8
"""A briefing for a past or future day is taken as given at 08:00 that morning."""

OUTSTANDING_FIELDS: dict[str, tuple[str, str]] = {
    "district": ("district", "District"),
    "type": ("premises_type", "Type"),
    "street": ("street", "Street"),
    "sector": ("postcode_sector", "Sector"),
    "risk": ("risk", "Risk"),
    "status": ("status", "Status"),
    "priority": ("priority", "Priority"),
    "tipoffs": ("linked_tipoffs", "Tip-offs"),
}
"""What the "Outstanding premises" panel may show: setting name -> (frame column, label)."""
DEFAULT_OUTSTANDING: tuple[str, ...] = ("district", "type")
"""What the room sees of an outstanding premises unless the deployment decides otherwise: the
area and the kind of place, not the door (see docs/BRIEFING.md)."""


def outstanding_fields(names: tuple[str, ...]) -> list[tuple[str, str]]:
    """The (frame column, label) of each configured name, in order; unknown names are refused
    with the list to choose from (``OPSMAP_BRIEFING_OUTSTANDING``)."""
    unknown = [n for n in names if n not in OUTSTANDING_FIELDS]
    if unknown or not names:
        raise ValueError(
            "OPSMAP_BRIEFING_OUTSTANDING: "
            + (f"unknown {', '.join(unknown)}" if unknown else "name at least one field")
            + f"; choose from {', '.join(OUTSTANDING_FIELDS)}"
        )
    return [OUTSTANDING_FIELDS[n] for n in dict.fromkeys(names)]


@dataclass(frozen=True)
class BriefingOptions:
    """What to brief on: the day, the start of "new" intelligence and how much to show."""

    day: dt.date
    since: dt.datetime | None = None
    address_level: str = "street"
    outstanding_shows: tuple[str, ...] = DEFAULT_OUTSTANDING
    hotspot_cell_m: float = HOTSPOT_CELL_M
    hotspots: int = 10
    outstanding: int = 20
    now: dt.datetime | None = None

    def __post_init__(self) -> None:
        outstanding_fields(self.outstanding_shows)


@dataclass
class Briefing:
    """The redacted figures of one briefing (every frame holds allow-listed columns only)."""

    day: dt.date
    at: dt.datetime
    since: dt.datetime
    data_time: dt.datetime
    revision: int
    operation: str
    week: list[dt.date]
    is_demo: bool
    plan: pd.DataFrame
    yesterday: dict[str, dict[str, int]]
    by_district: pd.DataFrame
    by_day: pd.DataFrame
    new_intel: pd.DataFrame
    hotspots: pd.DataFrame
    timeline: pd.DataFrame
    outstanding: pd.DataFrame
    week_results: dict[str, int] = field(default_factory=dict)
    networks_active: int = 0
    network_moves: pd.DataFrame = field(default_factory=pd.DataFrame)

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every table of the briefing, by name (what the pack's CSV holds)."""
        return {
            "plan": self.plan,
            "by_district": self.by_district,
            "by_day": self.by_day,
            "hotspots": self.hotspots,
            "timeline": self.timeline,
            "outstanding": self.outstanding,
            "new_intel": self.new_intel,
            "network_moves": self.network_moves,
        }


def briefing_moment(day: dt.date, now: dt.datetime | None = None) -> dt.datetime:
    """When the briefing for ``day`` is given: now if ``day`` is today, else 08:00 that day."""
    now = now or dt.datetime.now(dt.UTC)
    if now.astimezone(LONDON).date() == day:
        return now.astimezone(dt.UTC)
    return dt.datetime.combine(day, dt.time(BRIEFING_HOUR), tzinfo=LONDON).astimezone(dt.UTC)


def cell_text(value: object) -> str:
    """A value as a pack's table shows it (HTML and PDF alike): dates as ``Thu 26 Nov``,
    statuses by their label, missing values empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date):
        return value.strftime("%a %d %b")
    return STATUS_LABELS.get(str(value), str(value))
