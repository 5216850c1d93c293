"""The morning briefing's figures for one day: plan, results, progress, new intelligence, gaps.

The briefing is shown on a shared screen to officers and partner agencies and carried away as a
file, so everything here is **redacted at the source**: the queries read only the columns the
briefing may show, addresses are cut to street level by :mod:`layers.briefing.redaction`, and
every frame passes :func:`layers.briefing.redaction.redact_frame` before it leaves this module.
No note, tip-off summary, phone hash or digit, or officer name is ever read into a
:class:`Briefing`.

Days are Europe/London calendar days; stored times are UTC.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from layers.briefing.redaction import assert_redacted, redact_frame
from layers.cache import BRIEFINGS
from layers.core.clock import LONDON, local_days, utc_bounds
from layers.core.db import Database
from layers.core.models import HistoryEntry
from layers.core.operations import current_operation, operation_days
from layers.core.queries import current_frame
from layers.core.status import DONE_STATUSES, IN_PROGRESS, OUTCOMES, PLANNED, RESULT_FIELDS

logger = logging.getLogger(__name__)

BRIEFING_HOUR = 8
"""A briefing for a past or future day is taken as given at 08:00 that morning."""
UNASSIGNED_TEAM = "No team assigned"
HOTSPOT_CELL_M = 1_000.0
CLOSED_STATUSES: frozenset[str] = frozenset({"actioned", "no_further_action"})


@dataclass(frozen=True)
class BriefingOptions:
    """What to brief on: the day, the start of "new" intelligence and how much to show."""

    day: dt.date
    since: dt.datetime | None = None
    address_level: str = "street"
    hotspot_cell_m: float = HOTSPOT_CELL_M
    hotspots: int = 10
    outstanding: int = 20
    now: dt.datetime | None = None


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
        }


def briefing_moment(day: dt.date, now: dt.datetime | None = None) -> dt.datetime:
    """When the briefing for ``day`` is given: now if ``day`` is today, else 08:00 that day."""
    now = now or dt.datetime.now(dt.UTC)
    if now.astimezone(LONDON).date() == day:
        return now.astimezone(dt.UTC)
    return dt.datetime.combine(day, dt.time(BRIEFING_HOUR), tzinfo=LONDON).astimezone(dt.UTC)


def _local_days(times: pd.Series) -> pd.Series:
    return local_days(pd.to_datetime(times, utc=True, format="mixed"))


def _results(detail: str | None) -> dict[str, int]:
    """Only the integer result figures of a stored JSON detail (no other content is kept)."""
    if not detail:
        return {}
    try:
        data = json.loads(detail)
    except (TypeError, ValueError):
        return {}
    if isinstance(data, dict) and isinstance(data.get("results"), dict):
        data = data["results"]
    if not isinstance(data, dict):
        return {}
    out: dict[str, int] = {}
    for key in RESULT_FIELDS:
        try:
            value = int(data.get(key) or 0)
        except (TypeError, ValueError):
            value = 0
        if value > 0:
            out[key] = value
    return out


def _outcome(detail: str | None) -> str | None:
    if not detail:
        return None
    try:
        data = json.loads(detail)
    except (TypeError, ValueError):
        return None
    value = data.get("outcome") if isinstance(data, dict) else None
    return value if value in OUTCOMES else None


def _extras(session: Session) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the map frame lacks: premises' address, postcode and outcome (address redacted
    right after, outcome detail reduced to integer results) and tip-offs' linked premises."""
    rows = session.connection().exec_driver_sql(
        "SELECT id, kind, address, postcode, outcome, outcome_detail, linked_premises_id "
        "FROM locations WHERE kind IN ('premises', 'tipoffs') ORDER BY id"
    ).fetchall()
    frame = pd.DataFrame.from_records(
        rows, columns=["id", "kind", "address", "postcode", "outcome", "outcome_detail",
                       "linked_premises_id"]
    )
    is_premises = frame["kind"] == "premises"
    premises = frame.loc[is_premises, ["id", "address", "postcode", "outcome"]].copy()
    premises["results"] = [_results(d) for d in frame.loc[is_premises, "outcome_detail"]]
    links = frame.loc[~is_premises, ["id", "linked_premises_id"]].reset_index(drop=True)
    return premises.reset_index(drop=True), links


def _history(session: Session, start: dt.datetime, end: dt.datetime) -> pd.DataFrame:
    """Status changes in ``[start, end)``: location, time, new status, outcome and results.

    Only the outcome and the integer result figures are taken from an entry's detail; its note
    and the officer's name are never read.
    """
    rows = session.execute(
        select(HistoryEntry.location_id, HistoryEntry.at, HistoryEntry.to_status,
               HistoryEntry.detail)
        .where(HistoryEntry.at >= start, HistoryEntry.at < end)
        .order_by(HistoryEntry.id)
    ).all()
    frame = pd.DataFrame.from_records(rows, columns=["location_id", "at", "to_status", "detail"])
    frame["outcome"] = [_outcome(d) for d in frame["detail"]]
    frame["results"] = [_results(d) for d in frame["detail"]]
    frame["day"] = _local_days(frame["at"]) if len(frame) else pd.Series(dtype=object)
    return frame.drop(columns=["detail"])


def _assignments(session: Session, week: list[dt.date]) -> pd.DataFrame:
    """The planning assignments of the week with their team's call sign (empty without them)."""
    columns = ["location_id", "day", "order", "team", "division"]
    if not inspect(session.get_bind()).has_table("planning_assignments"):
        return pd.DataFrame(columns=columns)
    from layers.planning.models import Assignment, Team

    rows = session.execute(
        select(Assignment.location_id, Assignment.day, Assignment.position, Team.call_sign,
               Team.division)
        .join(Team, Team.id == Assignment.team_id)
        .where(Assignment.day >= week[0], Assignment.day <= week[-1])
    ).all()
    return pd.DataFrame.from_records(rows, columns=columns)


def _district_names(districts: pd.DataFrame | None) -> dict[str, str]:
    if districts is None or districts.empty:
        return {}
    return dict(zip(districts["code"], districts["name"], strict=False))


def cached_briefing(
    db: Database, options: BriefingOptions, districts: pd.DataFrame | None = None
) -> Briefing:
    """:func:`build_briefing`, reused while its source is unchanged.

    The key is the data revision (which every write moves, in every worker's view), the options
    and the briefing window to the minute, so several screens refreshing together cost one
    build and a cached briefing is never older than the data or the minute.
    """
    at = briefing_moment(options.day, options.now)
    since = options.since or at - dt.timedelta(hours=24)
    key = (
        db.url, db.revision(), options.day, options.address_level, options.hotspot_cell_m,
        options.hotspots, options.outstanding, since.strftime("%Y-%m-%dT%H:%M%z"),
        at.strftime("%Y-%m-%dT%H:%M"),
        tuple(districts["code"]) if districts is not None and not districts.empty else (),
    )
    briefing = BRIEFINGS.get_or_build(key, lambda: build_briefing(db, options, districts))
    assert isinstance(briefing, Briefing)
    return briefing


def build_briefing(
    db: Database, options: BriefingOptions, districts: pd.DataFrame | None = None
) -> Briefing:
    """The redacted briefing for ``options.day``.

    ``districts`` (``code``, ``name``, ``division`` in display order) names and orders the
    districts; without it the codes are shown.
    """
    revision, frame = current_frame(db)
    names = _district_names(districts)
    at = briefing_moment(options.day, options.now)
    since = options.since or at - dt.timedelta(hours=24)
    if since.tzinfo is None:
        since = since.replace(tzinfo=LONDON)
    since = since.astimezone(dt.UTC)
    with db.read() as session:
        operation = current_operation(session)
        week = operation_days(operation, options.day)
        operation_name = operation.name if operation else "Week of action"
        premises_extra, links = _extras(session)
        week_start, _ = utc_bounds(week[0])
        _, week_end = utc_bounds(max(week[-1], options.day))
        hist = _history(session, week_start, week_end)
        assignments = _assignments(session, week)
    premises = frame.loc[frame["kind"] == "premises"].merge(premises_extra, on="id", how="left")
    premises["district"] = premises["district_code"].astype(str).map(names).fillna(
        premises["district_code"].astype(str)
    )

    plan = _plan(premises, assignments, options)
    yesterday = _yesterday(hist, premises, options.day - dt.timedelta(days=1))
    by_district = _by_district(premises, districts)
    by_day = _by_day(hist, frame, assignments, week)
    new_intel, hotspots, timeline = _new_intel(frame, names, since, at, options)
    outstanding = _outstanding(premises, frame, links, options)
    week_results: dict[str, int] = {}
    for res in premises["results"]:
        for key, value in (res or {}).items():
            week_results[key] = week_results.get(key, 0) + int(value)

    briefing = Briefing(
        day=options.day,
        at=at,
        since=since,
        data_time=dt.datetime.now(dt.UTC),
        revision=revision,
        operation=operation_name,
        week=week,
        is_demo=bool(frame["is_demo"].any()) if len(frame) else False,
        plan=plan,
        yesterday=yesterday,
        by_district=by_district,
        by_day=by_day,
        new_intel=new_intel,
        hotspots=hotspots,
        timeline=timeline,
        outstanding=outstanding,
        week_results={k: week_results.get(k, 0) for k in RESULT_FIELDS},
    )
    for table in briefing.frames().values():
        assert_redacted(table)
    return briefing


def _plan(
    premises: pd.DataFrame, assignments: pd.DataFrame, options: BriefingOptions
) -> pd.DataFrame:
    """Today's visits by team and order; without planning data, what is planned or under way."""
    today = assignments.loc[assignments["day"] == options.day] if len(assignments) else assignments
    if len(today):
        plan = premises.merge(today[["location_id", "order", "team"]], left_on="id",
                              right_on="location_id")
        plan = plan.drop(columns=["location_id"])
    else:
        plan = premises.loc[premises["status"].isin([PLANNED, IN_PROGRESS])].copy()
        plan["team"] = UNASSIGNED_TEAM
        plan["order"] = np.arange(1, len(plan) + 1)
    plan["day"] = options.day
    plan = plan.sort_values(["team", "order"]).reset_index(drop=True)
    plan["order"] = plan.groupby("team").cumcount() + 1
    cols = ["team", "order", "id", "ref", "lon", "lat", "street", "postcode_sector", "district",
            "district_code", "division", "premises_type", "risk", "status"]
    out = redact_frame(plan, options.address_level)
    return out[[c for c in cols if c in out.columns]]


def _sum_results(items: pd.Series) -> dict[str, int]:
    totals = {k: 0 for k in RESULT_FIELDS}
    for res in items:
        for key, value in (res or {}).items():
            totals[key] = totals.get(key, 0) + int(value)
    return totals


def _yesterday(
    hist: pd.DataFrame, premises: pd.DataFrame, day: dt.date
) -> dict[str, dict[str, int]]:
    """Visits, outcomes and results recorded on ``day``."""
    rows = hist.loc[hist["day"] == day] if len(hist) else hist
    visited = rows.loc[rows["to_status"] == "visited", "location_id"].nunique() if len(rows) else 0
    closed = rows.loc[rows["to_status"].isin(CLOSED_STATUSES)] if len(rows) else rows
    current_outcome = (
        premises.set_index("id")["outcome"] if len(premises) else pd.Series(dtype=object)
    )
    outcomes = {k: 0 for k in OUTCOMES}
    pairs = zip(closed.get("location_id", []), closed.get("outcome", []), strict=False)
    for loc_id, outcome in pairs:
        outcome = outcome or current_outcome.get(loc_id)
        if outcome in outcomes:
            outcomes[outcome] += 1
    results = _sum_results(closed["results"]) if len(closed) else {k: 0 for k in RESULT_FIELDS}
    if len(closed) and not any(results.values()):
        # Older entries keep results only on the location itself.
        ids = set(closed.loc[closed["to_status"] == "actioned", "location_id"])
        results = _sum_results(premises.loc[premises["id"].isin(ids), "results"])
    planned = rows.loc[rows["to_status"] == PLANNED, "location_id"].nunique() if len(rows) else 0
    return {
        "summary": {
            "visits": int(visited),
            "closed": len(closed),
            "planned": int(planned),
        },
        "outcomes": outcomes,
        "results": results,
    }


def _by_district(premises: pd.DataFrame, districts: pd.DataFrame | None) -> pd.DataFrame:
    """Per district: premises, planned (anything past unplanned), done, outcomes and results."""
    prem = premises.assign(
        planned=premises["status"].astype(str) != "unplanned",
        done=premises["status"].astype(str).isin(DONE_STATUSES),
        high=premises["risk"].astype(str) == "high",
    )
    prem["district_code"] = prem["district_code"].astype(str)
    prem["high_outstanding"] = prem["high"] & ~prem["done"]
    for outcome in OUTCOMES:
        prem[outcome] = prem["outcome"] == outcome
    results = pd.DataFrame.from_records(
        [r or {} for r in prem["results"]], columns=list(RESULT_FIELDS), index=prem.index
    ).fillna(0)
    prem = prem.join(results)
    sums = ["planned", "done", "high_outstanding", *OUTCOMES, *RESULT_FIELDS]
    table = prem.groupby("district_code")[sums].sum()
    table.insert(0, "premises", prem.groupby("district_code").size())
    if districts is not None and not districts.empty:
        order = pd.DataFrame(
            {"district_code": districts["code"], "district": districts["name"],
             "division": districts["division"]}
        ).set_index("district_code")
        table = order.join(table, how="left")
    else:
        table["district"] = table.index
        table["division"] = ""
    table = table.fillna(0)
    numeric = [c for c in table.columns if c not in ("district", "division")]
    table[numeric] = table[numeric].astype(int)
    table["done_pct"] = np.where(
        table["planned"] > 0, np.round(100 * table["done"] / table["planned"].clip(lower=1)), 0
    ).astype(int)
    return table.reset_index(names="district_code")


def _by_day(
    hist: pd.DataFrame, frame: pd.DataFrame, assignments: pd.DataFrame, week: list[dt.date]
) -> pd.DataFrame:
    """Per day of the week: planned, visits, outcomes, tip-offs and adverts, and running totals."""
    out = pd.DataFrame({"day": week})
    if len(assignments):
        planned = assignments.groupby("day").size()
    elif len(hist):
        planned = hist.loc[hist["to_status"] == PLANNED].groupby("day")["location_id"].nunique()
    else:
        planned = pd.Series(dtype=int)
    out["planned"] = out["day"].map(planned).fillna(0).astype(int)
    if len(hist):
        visits = hist.loc[hist["to_status"] == "visited"].groupby("day")["location_id"].nunique()
        actioned = hist.loc[hist["to_status"] == "actioned"].groupby("day").size()
        nfa = hist.loc[hist["to_status"] == "no_further_action"].groupby("day").size()
    else:
        visits = actioned = nfa = pd.Series(dtype=int)
    out["visits"] = out["day"].map(visits).fillna(0).astype(int)
    out["actioned"] = out["day"].map(actioned).fillna(0).astype(int)
    out["no_further_action"] = out["day"].map(nfa).fillna(0).astype(int)
    kinds = frame["kind"].to_numpy()
    local = frame["observed_at"].dt.tz_convert(LONDON).dt.normalize()
    for kind in ("tipoffs", "adverts"):
        per_day = local[kinds == kind].value_counts()
        out[kind] = [int(per_day.get(pd.Timestamp(d, tz=LONDON), 0)) for d in week]
    out["planned_cumulative"] = out["planned"].cumsum()
    out["visits_cumulative"] = out["visits"].cumsum()
    return out


def _grid_label(easting: float, northing: float) -> str:
    """The OS grid reference of a 1 km cell (``SD 53 29``), from its centre."""
    e100, n100 = int(easting // 100_000), int(northing // 100_000)
    if not (0 <= e100 < 7 and 0 <= n100 < 13):
        return f"{int(easting)} {int(northing)}"
    letters = "ABCDEFGHJKLMNOPQRSTUVWXYZ"
    l1 = (19 - n100) - (19 - n100) % 5 + (e100 + 10) // 5
    l2 = (19 - n100) * 5 % 25 + e100 % 5
    east = int(easting % 100_000) // 1000
    north = int(northing % 100_000) // 1000
    return f"{letters[l1]}{letters[l2]} {east:02d} {north:02d}"


def _new_intel(
    frame: pd.DataFrame, names: dict[str, str], since: dt.datetime, at: dt.datetime,
    options: BriefingOptions,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Tip-offs and adverts observed in ``[since, at]``: the points, hotspot cells, timeline."""
    observed = frame["observed_at"]
    mask = (
        frame["kind"].isin(["tipoffs", "adverts"])
        & (observed >= pd.Timestamp(since))
        & (observed <= pd.Timestamp(at))
    ).to_numpy()
    points = frame.loc[mask, ["id", "kind", "lon", "lat", "easting", "northing", "district_code",
                              "observed_at", "channel", "site", "accuracy_m"]].copy()
    points["kind"] = points["kind"].astype(str)
    points["district"] = points["district_code"].astype(str).map(names).fillna(
        points["district_code"].astype(str)
    )
    cell = options.hotspot_cell_m
    columns = [
        "cell", "easting", "northing", "lon", "lat", "district", "tipoffs", "adverts", "count"
    ]
    if len(points):
        # Hotspots: 1 km cells (BNG metres) ranked by count, vectorised with numpy.
        e = points["easting"].to_numpy()
        n = points["northing"].to_numpy()
        keys = np.floor(e / cell).astype(np.int64) * 1_000_000 + np.floor(n / cell).astype(np.int64)
        uniq, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        top = np.argsort(-counts, kind="stable")[: options.hotspots]
        is_tip = (points["kind"].to_numpy() == "tipoffs").astype(np.int64)
        tips = np.bincount(inverse, weights=is_tip, minlength=len(uniq))
        lon = np.bincount(inverse, weights=points["lon"].to_numpy(), minlength=len(uniq))
        lat = np.bincount(inverse, weights=points["lat"].to_numpy(), minlength=len(uniq))
        districts = points["district"].to_numpy()
        rows = []
        for i in top:
            cx = (uniq[i] // 1_000_000 + 0.5) * cell
            cy = (uniq[i] % 1_000_000 + 0.5) * cell
            names_in = pd.Series(districts[inverse == i]).value_counts()
            rows.append({
                "cell": _grid_label(cx, cy), "easting": float(cx), "northing": float(cy),
                "lon": float(lon[i] / counts[i]), "lat": float(lat[i] / counts[i]),
                "district": str(names_in.index[0]), "tipoffs": int(tips[i]),
                "adverts": int(counts[i] - tips[i]), "count": int(counts[i]),
            })
        hotspots = pd.DataFrame(rows, columns=columns)
    else:
        hotspots = pd.DataFrame(columns=columns)
    hours = pd.date_range(pd.Timestamp(since).floor("h"), pd.Timestamp(at).ceil("h"), freq="h")
    binned = points.assign(hour=points["observed_at"].dt.floor("h"))
    counts = binned.groupby(["hour", "kind"]).size().unstack(fill_value=0)
    timeline = pd.DataFrame({"hour": hours})
    for kind in ("tipoffs", "adverts"):
        series = counts[kind] if kind in counts.columns else pd.Series(dtype=int)
        timeline[kind] = timeline["hour"].map(series).fillna(0).astype(int)
    points = redact_frame(points)
    return points.reset_index(drop=True), hotspots, timeline


def _outstanding(
    premises: pd.DataFrame, frame: pd.DataFrame, links: pd.DataFrame, options: BriefingOptions
) -> pd.DataFrame:
    """High-priority premises not yet visited, highest priority first."""
    from layers.planning.priority import HIGH_PRIORITY, score_candidates

    open_ = premises.loc[~premises["status"].astype(str).isin(DONE_STATUSES)].copy()
    tipoffs = frame.loc[frame["kind"] == "tipoffs", ["id", "easting", "northing", "grade_intel"]]
    tipoffs = tipoffs.merge(links, on="id", how="left")
    tipoffs["linked_premises_id"] = tipoffs["linked_premises_id"].astype("float64")
    adverts = frame.loc[frame["kind"] == "adverts", ["easting", "northing"]]
    if len(open_):
        parts = score_candidates(open_.reset_index(drop=True), tipoffs, adverts)
        open_["priority"] = np.round(parts.score, 1)
        open_["linked_tipoffs"] = parts.tipoffs
    else:
        open_["priority"] = pd.Series(dtype=float)
        open_["linked_tipoffs"] = pd.Series(dtype=int)
    high = open_.loc[(open_["priority"] >= HIGH_PRIORITY) | (open_["risk"].astype(str) == "high")]
    high = high.sort_values(["priority", "id"], ascending=[False, True]).head(options.outstanding)
    cols = ["id", "ref", "lon", "lat", "street", "postcode_sector", "district", "district_code",
            "premises_type", "risk", "status", "priority", "linked_tipoffs"]
    out = redact_frame(high, options.address_level)
    return out[[c for c in cols if c in out.columns]].reset_index(drop=True)
