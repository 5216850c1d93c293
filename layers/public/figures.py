"""The period's figures by district, counted from the stored history of visits and outcomes.

Visits and results are read through the briefing's history reader, which takes from each
history entry only its location, time, new status, outcome and integer result figures: no
note, officer name, address or other free text is ever read here. Of the locations concerned
only the district code and the stored result figures (as integers) are read; a district's
division and name come from the force's fixed district table, never from a record's own text.
Older entries (and the demo week) keep results only on the location itself; for those, the
location's stored result figures stand for the closure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.force import DISTRICT_BY_CODE, DISTRICTS, OUTSIDE
from layers.briefing.sources import history as history_between
from layers.briefing.sources import results_of as result_figures
from layers.core.clock import utc_bounds
from layers.core.db import Database
from layers.core.models import Location
from layers.core.status import ACTIONED, VISITED

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


def _places(session: Session, ids: Iterable[int]) -> pd.DataFrame:
    """District code and stored integer results of the given locations (nothing else is read).

    Indexed by location id; ``results`` holds the figures stored on an actioned location (what
    stands for a closure whose history entry carries none).
    """
    wanted = sorted({int(i) for i in ids})
    rows: list[tuple[int, str, dict[str, int]]] = []
    for start in range(0, len(wanted), _CHUNK):
        found = session.execute(
            select(Location.id, Location.district_code, Location.outcome,
                   Location.outcome_detail)
            .where(Location.id.in_(wanted[start : start + _CHUNK]))
        ).all()
        rows += [(int(i), str(code), result_figures(detail) if outcome == ACTIONED else {})
                 for i, code, outcome, detail in found]
    return pd.DataFrame.from_records(
        rows, columns=["id", "district_code", "results"], index="id"
    )


def count_period(db: Database, period: Period) -> tuple[pd.DataFrame, list[int]]:
    """The period's counts by district (see :func:`tally`) and the locations they come from.

    Visits and closures come from the history (``location_id, to_status, outcome, results``);
    an entry written with its outcome carries its own results (possibly none), older ones carry
    nothing and the location's stored results stand for that closure.
    """
    start, _ = utc_bounds(period.start)
    _, end = utc_bounds(period.end)
    with db.read() as session:
        hist = history_between(session, start, end)
        events = hist.loc[hist["to_status"].isin([VISITED, ACTIONED])] if len(hist) else hist
        ids = sorted({int(i) for i in events["location_id"]}) if len(events) else []
        places = _places(session, ids)
    if not ids:
        return tally(pd.DataFrame(columns=["location_id", "to_status", "results"]),
                     pd.Series(dtype=object)), []
    older = ((events["to_status"] == ACTIONED) & events["outcome"].isna()).to_numpy()
    stored = places["results"].reindex(events["location_id"]).to_numpy()
    results = [(s if isinstance(s, dict) else {}) if old else r
               for r, s, old in zip(events["results"], stored, older, strict=True)]
    counted = pd.DataFrame({"location_id": events["location_id"].to_numpy(),
                            "to_status": events["to_status"].to_numpy(), "results": results})
    return tally(counted, places["district_code"]), ids
