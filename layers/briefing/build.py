"""The morning briefing for one day: plan, results, progress, new intelligence, gaps.

The briefing is shown on a shared screen to officers and partner agencies and carried away as a
file, so everything is **redacted at the source**: the queries read only the columns the
briefing may show (:mod:`layers.briefing.sources`), addresses are cut to street level by
:mod:`layers.briefing.redaction`, and every frame passes
:func:`layers.briefing.redaction.assert_redacted` before it leaves this module. No note, tip-off
summary, phone hash or digit, or officer name is ever read into a :class:`Briefing`.

Days are Europe/London calendar days; stored times are UTC.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import astuple, dataclass

import pandas as pd

from layers.briefing import intel, plan, progress, results, sources
from layers.briefing.model import Briefing, BriefingOptions, briefing_moment
from layers.briefing.outstanding import outstanding
from layers.briefing.redaction import assert_redacted
from layers.briefing.window import Window, resolve_window
from layers.cache import BRIEFINGS
from layers.core.clock import utc_bounds
from layers.core.db import Database
from layers.core.operations import current_operation
from layers.core.queries import current_frame
from layers.networks.briefing import briefing_networks
from layers.planning.candidates import current_priorities

logger = logging.getLogger(__name__)


@dataclass
class _Sources:
    """Everything read from the store for one briefing, before any figure is computed."""

    revision: int
    frame: pd.DataFrame
    premises: pd.DataFrame
    priorities: pd.DataFrame
    history: pd.DataFrame
    assignments: pd.DataFrame
    window: Window
    operation: str


def _read(db: Database, options: BriefingOptions, names: dict[str, str]) -> _Sources:
    """Read the store for ``options``, refusing a window outside the operation first."""
    revision, frame = current_frame(db)
    with db.read() as session:
        operation = current_operation(session)
        window = resolve_window(operation, options)
        premises_extra = sources.premises_extras(session)
        hist = sources.history(session, utc_bounds(window.week[0])[0],
                               utc_bounds(window.week[-1])[1])
        planned = sources.assignments(session, window.week[0], window.week[-1])
    premises = frame.loc[frame["kind"] == "premises"].merge(premises_extra, on="id", how="left")
    premises["district"] = premises["district_code"].astype(str).map(names).fillna(
        premises["district_code"].astype(str)
    )
    return _Sources(revision, frame, premises, current_priorities(db), hist, planned, window,
                    operation.name if operation else "Week of action")


def _district_names(districts: pd.DataFrame | None) -> dict[str, str]:
    if districts is None or districts.empty:
        return {}
    return dict(zip(districts["code"], districts["name"], strict=False))


def build_briefing(
    db: Database, options: BriefingOptions, districts: pd.DataFrame | None = None
) -> Briefing:
    """The redacted briefing for ``options.day``.

    ``districts`` (``code``, ``name``, ``division`` in display order) names and orders the
    districts; without it the codes are shown.
    """
    names = _district_names(districts)
    src = _read(db, options, names)
    at, since, week = src.window.at, src.window.since, src.window.week
    new_intel, hotspots, timeline = intel.new_intel(src.frame, names, since, at, options)
    briefing = Briefing(
        day=options.day,
        at=at,
        since=since,
        data_time=dt.datetime.now(dt.UTC),
        revision=src.revision,
        operation=src.operation,
        week=week,
        is_demo=bool(src.frame["is_demo"].any()) if len(src.frame) else False,
        plan=plan.todays_plan(src.premises, src.assignments, options.day),
        yesterday=results.yesterday(src.history, src.premises,
                                    options.day - dt.timedelta(days=1)),
        by_district=progress.by_district(src.premises, districts),
        by_day=progress.by_day(src.history, src.frame, src.assignments, week, options.day),
        new_intel=new_intel,
        hotspots=hotspots,
        timeline=timeline,
        outstanding=outstanding(src.premises, src.priorities, options),
        week_results=results.week_results(src.premises),
    )
    briefing.networks_active, briefing.network_moves = briefing_networks(db, since)
    for table in briefing.frames().values():
        assert_redacted(table)
    return briefing


def cached_briefing(
    db: Database, options: BriefingOptions, districts: pd.DataFrame | None = None
) -> Briefing:
    """:func:`build_briefing`, reused while its source is unchanged.

    The key is the data revision (which every write moves, in every worker's view), the options
    and the briefing moment to the minute (the window follows from them and the operation, which
    is data), so several screens refreshing together cost one build and a cached briefing is
    never older than the data or the minute.
    """
    at = briefing_moment(options.day, options.now)
    key = (
        db.url, db.revision(), astuple(options), at.strftime("%Y-%m-%dT%H:%M"),
        tuple(districts["code"]) if districts is not None and not districts.empty else (),
    )
    briefing = BRIEFINGS.get_or_build(key, lambda: build_briefing(db, options, districts))
    if not isinstance(briefing, Briefing):  # the cache holds what this module put there
        raise TypeError(f"cached value is {type(briefing).__name__}, not Briefing")
    return briefing
