"""The period's figures by district, counted from the stored history of visits and outcomes.

Visits and results are read through the briefing's history reader, which takes from each
history entry only its location, time, new status, outcome and integer result figures: no
note, officer name, address or other free text is ever read here. A location's district comes
from the map frame, and its division and name from the force's fixed district table (never
from a record's own text). Older entries (and the demo week) keep results only on the location
itself; for those, the location's stored result figures are used, again as integers only.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.boundaries import DISTRICT_BY_CODE, DISTRICTS, OUTSIDE
from layers.briefing.data import _history as history_between
from layers.briefing.data import _results as result_figures
from layers.core.clock import utc_bounds
from layers.core.db import Database
from layers.core.models import Location
from layers.core.queries import current_frame
from layers.core.status import ACTIONED, VISITED

logger = logging.getLogger(__name__)

FIGURES: dict[str, str] = {
    "visits": "visits made",
    "premises": "premises visited",
    "safeguarded": "potential victims safeguarded",
    "nrm_referrals": "National Referral Mechanism referrals",
    "arrests": "arrests",
    "warrants": "warrants executed",
    "closure_orders": "closure orders",
}
"""The figures an update proposes, in the order they are shown, with their public labels."""
RESULT_FIGURES: tuple[str, ...] = ("safeguarded", "nrm_referrals", "arrests", "warrants",
                                   "closure_orders")
MAX_PERIOD_DAYS = 31
_CHUNK = 5_000


@dataclass(frozen=True)
class Period:
    """Whole London days from ``start`` to ``end`` inclusive (a day, or the week so far)."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if isinstance(self.start, dt.datetime) or isinstance(self.end, dt.datetime):
            raise TypeError("a period is made of days, not times")
        if self.end < self.start:
            raise ValueError("the period ends before it starts: --to must be on or after --from")
        if (self.end - self.start).days + 1 > MAX_PERIOD_DAYS:
            raise ValueError(f"a public update covers at most {MAX_PERIOD_DAYS} days")

    @classmethod
    def parse(cls, start: str | None, end: str | None) -> Period:
        """A period from two ISO dates as a form or request sends them (``YYYY-MM-DD...``)."""
        if not start or not end:
            raise ValueError("choose the first and the last day of the period")
        try:
            first, last = (dt.date.fromisoformat(str(d)[:10]) for d in (start, end))
        except ValueError as exc:
            raise ValueError("days must be dates as YYYY-MM-DD") from exc
        return cls(first, last)

    def up_to(self, today: dt.date) -> Period:
        """The period cut at ``today``: days that have not happened yet cannot be reported."""
        if self.start > today:
            raise ValueError(f"the period starts after today ({today.isoformat()})")
        return Period(self.start, min(self.end, today))


def district_codes() -> list[str]:
    """The force's districts in their fixed order, then the bucket for everything outside."""
    return [d.code for d in DISTRICTS] + [OUTSIDE]


def tally(events: pd.DataFrame, places: pd.Series) -> pd.DataFrame:
    """Counts per district (rows: :func:`district_codes`; columns: :data:`FIGURES`).

    ``events`` has ``location_id``, ``to_status`` and ``results`` (a dict of integer result
    figures); ``places`` maps location id to district code. A visit is one change to
    "visited"; premises visited count each location once per district; results add up over
    the changes to "actioned". Codes that are not force districts count as outside.
    """
    rows = district_codes()
    table = pd.DataFrame(0, index=pd.Index(rows, name="district_code"), columns=list(FIGURES))
    if events.empty:
        return table
    code = events["location_id"].map(places).astype(object)
    code = code.where(code.isin(DISTRICT_BY_CODE.keys()), OUTSIDE)
    frame = events.assign(district_code=code.to_numpy())
    visits = frame.loc[frame["to_status"] == VISITED]
    table["visits"] = visits.groupby("district_code").size().reindex(rows, fill_value=0)
    table["premises"] = (
        visits.groupby("district_code")["location_id"].nunique().reindex(rows, fill_value=0)
    )
    closed = frame.loc[frame["to_status"] == ACTIONED]
    results = pd.DataFrame.from_records(
        [dict(r or {}) for r in closed["results"]], columns=list(RESULT_FIGURES),
        index=closed.index,
    ).fillna(0)
    sums = results.assign(district_code=closed["district_code"]).groupby("district_code").sum()
    for key in RESULT_FIGURES:
        table[key] = sums[key].reindex(rows, fill_value=0) if key in sums else 0
    return table.astype(int)


def _stored_results(session: Session, ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """The integer result figures stored on actioned locations (for entries without any)."""
    wanted = sorted({int(i) for i in ids})
    found: dict[int, dict[str, int]] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = session.execute(
            select(Location.id, Location.outcome_detail).where(
                Location.id.in_(wanted[start : start + _CHUNK]), Location.outcome == ACTIONED
            )
        ).all()
        found.update({int(i): result_figures(detail) for i, detail in rows})
    return found


def period_events(session: Session, period: Period) -> pd.DataFrame:
    """Visits and closures with results in ``period``: ``location_id, to_status, results``."""
    start, _ = utc_bounds(period.start)
    _, end = utc_bounds(period.end)
    hist = history_between(session, start, end)
    columns = ["location_id", "to_status", "results"]
    if hist.empty:
        return pd.DataFrame(columns=columns)
    events = hist.loc[hist["to_status"].isin([VISITED, ACTIONED])].copy()
    # An entry written with its outcome carries its own results (possibly none); older ones
    # carry nothing, and then the location's stored results stand for that closure.
    older = (events["to_status"] == ACTIONED) & events["outcome"].isna()
    if older.any():
        stored = _stored_results(session, events.loc[older, "location_id"])
        events.loc[older, "results"] = pd.Series(
            [stored.get(int(i), {}) for i in events.loc[older, "location_id"]],
            index=events.index[older], dtype=object,
        )
    return events[columns].reset_index(drop=True)


def count_period(db: Database, period: Period) -> tuple[pd.DataFrame, list[int]]:
    """The period's counts by district (see :func:`tally`) and the locations they come from."""
    _revision, frame = current_frame(db)
    places = pd.Series(frame["district_code"].astype(str).to_numpy(), index=frame["id"].to_numpy())
    with db.read() as session:
        events = period_events(session, period)
    ids = sorted({int(i) for i in events["location_id"]}) if len(events) else []
    return tally(events, places), ids
