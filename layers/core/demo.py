"""A deterministic, realistic synthetic week of action for demonstrations and tests.

About 150 suspected premises at real postcode centroids in town centres across all 14
districts, 600 tip-offs (mostly clustered around some premises, the rest elsewhere; a few give
an advert's phone number) and 5,000 advert geotags with text, phones and photo hashes from a
labelled synthetic week (:mod:`layers.networks.demo`: networks, circuits between towns, some
geotags only accurate to the town; its ground truth is ``demo_week(week_start)``). Everything
is marked ``is_demo`` and every free text says it is synthetic, so nobody mistakes it for
intelligence. The same ``week_start`` gives the same data.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from geodata.crs import to_wgs84
from geodata.districts import DistrictIndex
from geodata.postcodes import PostcodeIndex
from layers.core.clock import LONDON
from layers.core.kinds import CHANNELS, PREMISES_TYPES
from layers.core.locations import insert_locations, place
from layers.core.models import HistoryEntry, Location, Operation
from layers.networks.adverts import read_tipoff_phones
from layers.networks.demo import demo_adverts, demo_week, tipoff_numbers
from layers.networks.rebuild import submit_rebuild

logger = logging.getLogger(__name__)

DEMO_PREMISES_TYPES: tuple[str, ...] = (*PREMISES_TYPES[: PREMISES_TYPES.index("HMO")], "other")
"""The types the demo week draws from: those of the first build, so its figures never move
when the vocabulary grows."""
"""The premises types the synthetic week draws from: fixed, so the demo week (and every figure
tested against it) stays the same when the import vocabulary grows."""

SEED = 20261130
DEMO_USER = "demo"
DEMO_SOURCE = "demo week (synthetic)"

TOWNS: tuple[tuple[str, str, int], ...] = (
    # (town, outward code of its centre, premises weight)
    ("Preston", "PR1", 16),
    ("Blackpool", "FY1", 18),
    ("Lancaster", "LA1", 8),
    ("Morecambe", "LA4", 6),
    ("Blackburn", "BB2", 12),
    ("Darwen", "BB3", 4),
    ("Burnley", "BB11", 10),
    ("Accrington", "BB5", 8),
    ("Nelson", "BB9", 6),
    ("Colne", "BB8", 4),
    ("Rawtenstall", "BB4", 5),
    ("Clitheroe", "BB7", 4),
    ("Chorley", "PR7", 8),
    ("Leyland", "PR25", 7),
    ("Ormskirk", "L39", 5),
    ("Skelmersdale", "WN8", 6),
    ("Lytham St Annes", "FY8", 6),
    ("Fleetwood", "FY7", 5),
    ("Poulton-le-Fylde", "FY6", 3),
)
STREETS = (
    "Church Street",
    "Station Road",
    "Victoria Street",
    "King Street",
    "Market Street",
    "Queen Street",
    "Albert Road",
    "Park Road",
    "Mill Lane",
    "North Road",
    "Union Street",
    "Bridge Street",
    "Chapel Street",
    "High Street",
    "New Road",
)
SITES = ("site-a.example", "site-b.example", "site-c.example", "site-d.example")
NOTE_TEMPLATES = (
    "DEMO NOTE {n}: synthetic; several people seen arriving by minibus early morning.",
    "DEMO NOTE {n}: synthetic; windows covered, frequent short visits late at night.",
    "DEMO NOTE {n}: synthetic; workers appear to live on site, same car drops off daily.",
    "DEMO NOTE {n}: synthetic; licensing visit last year found bedding in the back room.",
)
TIPOFF_TEMPLATES = (
    "DEMO TIP {n}: synthetic; caller reports young women escorted to and from the address.",
    "DEMO TIP {n}: synthetic; neighbour reports many men visiting at all hours.",
    "DEMO TIP {n}: synthetic; workers seem scared and never leave without a minder.",
    "DEMO TIP {n}: synthetic; partner agency reports cash-only work and shared housing.",
)


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`seed_demo` stored."""

    premises: int
    tipoffs: int
    adverts: int
    week_start: dt.date


def monday_of(day: dt.date) -> dt.date:
    """The Monday of the week containing ``day``."""
    return day - dt.timedelta(days=day.weekday())


def _town_postcodes(
    postcodes: PostcodeIndex, districts: DistrictIndex, outward: str, radius_m: float
) -> pd.DataFrame:
    """Postcodes of an outward code within ``radius_m`` of its centre (its town centre).

    Only postcodes inside a force district are kept: the generalised coastline leaves a few
    seafront centroids just outside, and demo premises should all be inside the force area.
    """
    frame = postcodes.with_outward(outward)
    cx, cy = frame["easting"].median(), frame["northing"].median()
    near = np.hypot(frame["easting"] - cx, frame["northing"] - cy) <= radius_m
    frame = frame.loc[near]
    lon, lat = to_wgs84(frame["easting"].to_numpy(), frame["northing"].to_numpy())
    inside = districts.assign(lon, lat) >= 0
    return frame.loc[inside].reset_index(drop=True)


def build_demo(
    postcodes: PostcodeIndex, districts: DistrictIndex, week_start: dt.date, phone_key: str
) -> dict[str, pd.DataFrame]:
    """Build the three demo layers as placed frames (pure: nothing is stored)."""
    rng = np.random.default_rng(SEED)
    start = pd.Timestamp(week_start, tz=LONDON)
    towns: list[tuple[str, str, int, pd.DataFrame]] = []
    for town, outward, weight in TOWNS:
        pcs = _town_postcodes(postcodes, districts, outward, 1500.0)
        pcs = pcs.sort_values("postcode").reset_index(drop=True)
        towns.append((town, outward, weight, pcs))

    premises = _premises(towns, rng)
    tipoffs = _tipoffs(premises, towns, rng, start)

    # Advert geotags: a labelled synthetic week (networks, rotating and obfuscated numbers,
    # stock phrases, agency boilerplate, re-encoded photos, circuits) near the demo premises.
    week = demo_week(week_start)
    adverts = demo_adverts(week, premises, rng, phone_key)
    numbers = tipoff_numbers(week, 30, rng)
    summaries = tipoffs["summary"].to_numpy(dtype=object)
    for k, number in enumerate(numbers):
        summaries[k * 19] += f" Caller gave the number {number} from an advert."
    tipoffs["summary"] = summaries
    tipoffs["phone_hashes"] = read_tipoff_phones(tipoffs["summary"], phone_key).phone_hashes

    out = {}
    for name, frame in (("premises", premises), ("tipoffs", tipoffs), ("adverts", adverts)):
        lon, lat = to_wgs84(frame["easting"].to_numpy(), frame["northing"].to_numpy())
        placed = place(
            frame.assign(lon=lon, lat=lat).drop(columns=["easting", "northing"]), districts
        )
        out[name] = placed.assign(source=DEMO_SOURCE, created_by=DEMO_USER, is_demo=True)
    return out


def _premises(towns: list[tuple[str, str, int, pd.DataFrame]], rng: np.random.Generator
              ) -> pd.DataFrame:
    """Suspected premises: weighted by town, at distinct real postcodes."""
    rows = []
    n = 0
    for town, _outward, weight, pcs in towns:
        count = min(weight, len(pcs))
        picks = rng.choice(len(pcs), size=count, replace=False)
        for i in picks:
            n += 1
            pc = pcs.iloc[i]
            rows.append(
                {
                    "kind": "premises",
                    "ref": f"DEMO-P-{n:04d}",
                    "postcode": pc["postcode"],
                    "address": f"{rng.integers(1, 180)} {rng.choice(STREETS)}, {town}",
                    "easting": float(pc["easting"]),
                    "northing": float(pc["northing"]),
                    "premises_type": DEMO_PREMISES_TYPES[
                        rng.choice(
                            len(DEMO_PREMISES_TYPES), p=_weights(len(DEMO_PREMISES_TYPES), rng)
                        )
                    ],
                    "risk": rng.choice(["high", "medium", "low"], p=[0.25, 0.45, 0.30]),
                    "notes": NOTE_TEMPLATES[n % len(NOTE_TEMPLATES)].format(n=n),
                    "town": town,
                }
            )
    return pd.DataFrame(rows)


def _tipoffs(premises: pd.DataFrame, towns: list[tuple[str, str, int, pd.DataFrame]],
             rng: np.random.Generator, start: pd.Timestamp) -> pd.DataFrame:
    """Tip-offs: 70 % within 200 m of a premises (high risk more likely), 30 % elsewhere."""
    n_tips = 600
    clustered = int(n_tips * 0.7)
    risk_weight = premises["risk"].map({"high": 4.0, "medium": 2.0, "low": 1.0}).to_numpy()
    anchor = rng.choice(len(premises), size=clustered, p=risk_weight / risk_weight.sum())
    offset = rng.normal(0, 80, size=(clustered, 2))
    tip_e = premises["easting"].to_numpy()[anchor] + offset[:, 0]
    tip_n = premises["northing"].to_numpy()[anchor] + offset[:, 1]
    other = n_tips - clustered
    all_pcs = pd.concat([t[3] for t in towns], ignore_index=True)
    pick = rng.choice(len(all_pcs), size=other)
    tip_e = np.concatenate([tip_e, all_pcs["easting"].to_numpy()[pick] + rng.normal(0, 40, other)])
    tip_n = np.concatenate([tip_n, all_pcs["northing"].to_numpy()[pick] + rng.normal(0, 40, other)])
    linked = np.concatenate([anchor.astype(float), np.full(other, np.nan)])
    linked[rng.random(n_tips) < 0.4] = np.nan  # not every nearby tip-off has been linked yet
    return pd.DataFrame(
        {
            "kind": "tipoffs",
            "ref": [f"DEMO-T-{i + 1:04d}" for i in range(n_tips)],
            "easting": tip_e,
            "northing": tip_n,
            "observed_at": _times(rng, start, n_tips, days=7),
            "channel": rng.choice(CHANNELS, size=n_tips, p=[0.3, 0.08, 0.17, 0.15, 0.18, 0.12]),
            "grade_source": rng.choice(["1", "2", "3"], size=n_tips, p=[0.2, 0.5, 0.3]),
            "grade_intel": rng.choice(list("ABCDE"), size=n_tips, p=[0.1, 0.3, 0.35, 0.15, 0.1]),
            "grade_handling": rng.choice(["P", "C"], size=n_tips, p=[0.85, 0.15]),
            "summary": [TIPOFF_TEMPLATES[i % 4].format(n=i + 1) for i in range(n_tips)],
            "linked_index": linked,
        }
    )


def _weights(n: int, rng: np.random.Generator) -> np.ndarray:
    w = rng.random(n) + 0.2
    return w / w.sum()


def _times(rng: np.random.Generator, start: pd.Timestamp, n: int, days: int) -> pd.Series:
    """Times over ``days`` days from ``start``, busier in the evening, in UTC."""
    day = rng.integers(0, days, size=n)
    hour = np.clip(rng.normal(19, 4, size=n), 0, 23.99)
    stamps = start + pd.to_timedelta(day, unit="D") + pd.to_timedelta(hour, unit="h")
    return pd.Series(stamps).dt.tz_convert("UTC").dt.floor("min")


def has_data(session: Session) -> bool:
    """Whether any location is stored (``make run`` seeds the demo only into an empty store)."""
    return bool(session.scalar(select(func.count()).select_from(Location)))


def seed_demo(
    session: Session,
    postcodes: PostcodeIndex,
    districts: DistrictIndex,
    week_start: dt.date,
    phone_key: str,
) -> DemoSummary:
    """Replace any demo data with the demo week starting ``week_start`` (one transaction)."""
    frames = build_demo(postcodes, districts, week_start, phone_key)
    demo_ids = select(Location.id).where(Location.is_demo.is_(True)).scalar_subquery()
    # The synthetic week's history goes with it, deliberately: history is never cascaded away.
    session.execute(delete(HistoryEntry).where(HistoryEntry.location_id.in_(demo_ids)))
    session.execute(delete(Location).where(Location.is_demo.is_(True)))
    session.execute(delete(Operation).where(Operation.is_demo.is_(True)))
    session.add(
        Operation(
            name="Operation Demo (synthetic week of action)",
            start_date=week_start,
            end_date=week_start + dt.timedelta(days=6),
            is_demo=True,
        )
    )
    premises = frames["premises"].drop(columns=["town"])
    insert_locations(session, premises)
    ids = session.scalars(
        select(Location.id)
        .where(Location.kind == "premises", Location.is_demo.is_(True))
        .order_by(Location.id)
    ).all()
    tipoffs = frames["tipoffs"]
    linked = tipoffs.pop("linked_index")
    tipoffs["linked_premises_id"] = pd.array(
        [None if np.isnan(i) else int(ids[int(i)]) for i in linked.to_numpy()], dtype="Int64"
    )
    insert_locations(session, tipoffs)
    insert_locations(session, frames["adverts"])
    submit_rebuild(session, DEMO_USER)  # the networks of the demo adverts, built in the background
    _progress(session, ids, week_start, dt.date.today())
    return DemoSummary(len(premises), len(tipoffs), len(frames["adverts"]), week_start)


def _progress(
    session: Session, premises_ids: Sequence[int], week_start: dt.date, today: dt.date
) -> None:
    """Give the week some history: a third of premises planned, some visited and closed.

    Visits are spread over the days of the week already begun (never in the future), and
    actioned visits carry results (people safeguarded, referrals, arrests) for the briefing.
    """
    rng = np.random.default_rng(SEED + 1)
    chosen = rng.choice(premises_ids, size=len(premises_ids) // 3, replace=False)
    entries = []
    updates: dict[int, tuple[str, str | None, str | None, int]] = {}
    base = dt.datetime.combine(week_start, dt.time(8, 0), tzinfo=dt.UTC)
    days_begun = min(7, max(1, (today - week_start).days + 1))
    for j, pid in enumerate(sorted(int(i) for i in chosen)):
        steps = ["planned"]
        roll = j % 6
        if roll >= 2:
            steps += ["in_progress", "visited"]
            steps.append("actioned" if roll >= 4 else "no_further_action")
        outcome = {"actioned": "actioned", "no_further_action": "no_access"}.get(steps[-1])
        results = (
            json.dumps(
                {
                    "safeguarded": int(rng.integers(0, 4)),
                    "nrm_referrals": int(rng.integers(0, 3)),
                    "arrests": int(rng.integers(0, 2)),
                    "intel_submitted": 1,
                }
            )
            if outcome == "actioned"
            else None
        )
        at = base + dt.timedelta(days=int(j % days_begun), hours=int(j % 9))
        prev = "unplanned"
        for v, step in enumerate(steps, start=1):
            entries.append(
                {
                    "location_id": pid,
                    "at": at + dt.timedelta(hours=v),
                    "username": DEMO_USER,
                    "action": "status",
                    "from_status": prev,
                    "to_status": step,
                    "from_version": v,
                    "to_version": v + 1,
                    "note": None,
                    "detail": None,
                }
            )
            prev = step
        updates[pid] = (steps[-1], outcome, results, len(steps) + 1)
    if entries:
        session.execute(insert(HistoryEntry), entries)
    for pid, (status, outcome, results, version) in updates.items():
        session.execute(
            update(Location)
            .where(Location.id == pid)
            .values(status=status, outcome=outcome, outcome_detail=results, version=version)
        )
