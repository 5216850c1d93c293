"""A suggested allocation of unplanned locations to teams and days, for a commander to review.

Rules, in order of importance:

1. a location goes to a team of its own division (teams know their ground and their
   partners); when the division has no team, it is left unallocated with that reason;
2. no team-day gets more visits than the team's daily capacity (what is already planned counts);
3. higher-priority locations are placed first, so when capacity runs out it is the least
   urgent that wait, and the most urgent go on the earliest days;
4. each location goes to the team of its division whose start point is nearest (BNG metres),
   falling back to the next nearest with room;
5. within a team, the week's locations are split into days by a sweep around the team's start
   point (neighbouring locations share a day, so each day's route is short).

It is pure numpy over arrays; the store applies an accepted suggestion through
:func:`layers.planning.bulk.accept_suggestion` with the usual version checks.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import numpy as np

from layers.planning.routing import plan_route

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TeamSlot:
    """What the allocation needs to know about a team."""

    team_id: int
    division: str
    daily_capacity: int
    easting: float
    northing: float


@dataclass(frozen=True)
class Candidate:
    """Arrays describing the locations to place (aligned)."""

    ids: np.ndarray
    easting: np.ndarray
    northing: np.ndarray
    division: np.ndarray
    priority: np.ndarray
    version: np.ndarray


@dataclass(frozen=True)
class Placement:
    """One suggested assignment."""

    location_id: int
    version: int
    team_id: int
    day: dt.date
    position: int
    priority: float
    distance_m: float  # from the team's start point


@dataclass
class Suggestion:
    """The placements plus what could not be placed and why (location id -> reason)."""

    placements: list[Placement] = field(default_factory=list)
    unallocated: dict[int, str] = field(default_factory=dict)

    def as_records(self) -> list[dict[str, object]]:
        """JSON-friendly rows (for a ``dcc.Store`` or the API)."""
        return [
            {
                "location_id": p.location_id,
                "version": p.version,
                "team_id": p.team_id,
                "day": p.day.isoformat(),
                "position": p.position,
                "priority": round(p.priority, 1),
                "distance_m": round(p.distance_m),
            }
            for p in self.placements
        ]


def suggest_allocation(
    candidates: Candidate,
    teams: list[TeamSlot],
    days: list[dt.date],
    existing: dict[tuple[int, dt.date], int] | None = None,
    route: bool = True,
) -> Suggestion:
    """Place ``candidates`` on ``teams`` x ``days`` within capacity (see the module rules).

    ``existing`` counts what each (team, day) already has planned. With ``route`` each
    team-day's positions follow :func:`layers.planning.routing.plan_route`.
    """
    existing = existing or {}
    result = Suggestion()
    if not teams or not days or len(candidates.ids) == 0:
        for loc in candidates.ids:
            result.unallocated[int(loc)] = "no teams or days to plan on"
        return result

    cap = np.array(
        [[max(t.daily_capacity - existing.get((t.team_id, d), 0), 0) for d in days] for t in teams],
        dtype=np.int64,
    )
    te = np.array([t.easting for t in teams])
    tn = np.array([t.northing for t in teams])
    dist = np.hypot(
        candidates.easting[:, None] - te[None, :], candidates.northing[:, None] - tn[None, :]
    )
    chosen_team = _choose_teams(candidates, teams, cap.sum(axis=1), dist, result)
    for t, team in enumerate(teams):
        rows = np.flatnonzero(chosen_team == t)
        if len(rows) == 0:
            continue
        _split_days(candidates, team, rows, cap[t], days, dist[:, t], result, route)
    logger.info(
        "suggested %d placements, %d unallocated", len(result.placements), len(result.unallocated)
    )
    return result


def _choose_teams(
    candidates: Candidate,
    teams: list[TeamSlot],
    team_room: np.ndarray,
    dist: np.ndarray,
    result: Suggestion,
) -> np.ndarray:
    """Each candidate's team index (-1: not placed, with the reason in ``result``).

    Most urgent first; the nearest team of the candidate's division with room this week.
    """
    team_div = np.array([t.division for t in teams], dtype=object)
    order = np.lexsort((candidates.ids, -candidates.priority))
    same_div = candidates.division.astype(object)[:, None] == team_div[None, :]
    masked = np.where(same_div, dist, np.inf)
    pref = np.argsort(masked, axis=1, kind="stable")
    room = team_room.copy()
    chosen_team = np.full(len(candidates.ids), -1, dtype=np.int64)
    for row in order:
        if not same_div[row].any():
            result.unallocated[int(candidates.ids[row])] = (
                f"no team in the {candidates.division[row]} division"
            )
            continue
        for t in pref[row]:
            if not np.isfinite(masked[row, t]):
                break
            if room[t] > 0:
                room[t] -= 1
                chosen_team[row] = t
                break
        if chosen_team[row] < 0:
            result.unallocated[int(candidates.ids[row])] = "the division's teams are full this week"
    return chosen_team


def _split_days(
    candidates: Candidate,
    team: TeamSlot,
    rows: np.ndarray,
    room: np.ndarray,
    days: list[dt.date],
    dist: np.ndarray,
    result: Suggestion,
    route: bool,
) -> None:
    """Sweep the team's locations around its start point and fill days in order.

    The sweep starts at the widest angular gap so one day's locations are neighbours. Days are
    then ranked by the highest priority they hold, so the most urgent day goes first.
    """
    angle = np.arctan2(
        candidates.northing[rows] - team.northing, candidates.easting[rows] - team.easting
    )
    by_angle = np.argsort(angle, kind="stable")
    sorted_angle = angle[by_angle]
    gaps = np.diff(np.concatenate([sorted_angle, sorted_angle[:1] + 2 * np.pi]))
    start = (int(np.argmax(gaps)) + 1) % len(rows)
    swept = rows[np.roll(by_angle, -start)]

    chunks: list[np.ndarray] = []
    pos = 0
    sizes = [int(r) for r in room]
    day_index: list[int] = []
    for d, size in enumerate(sizes):
        if pos >= len(swept):
            break
        if size <= 0:
            continue
        chunks.append(swept[pos : pos + size])
        day_index.append(d)
        pos += size
    # Most urgent chunk on the earliest day with enough room: re-pair chunks and days.
    chunk_rank = sorted(
        range(len(chunks)), key=lambda c: -float(candidates.priority[chunks[c]].max())
    )
    pairing = _pair_days(chunk_rank, [len(c) for c in chunks], day_index, sizes)
    for c, d in pairing.items():
        chunk = chunks[c]
        if route and len(chunk) > 1:
            points = np.stack([candidates.easting[chunk], candidates.northing[chunk]], axis=1)
            chunk = chunk[plan_route((team.easting, team.northing), points).order]
        for position, r in enumerate(chunk):
            result.placements.append(
                Placement(
                    location_id=int(candidates.ids[r]),
                    version=int(candidates.version[r]),
                    team_id=team.team_id,
                    day=days[d],
                    position=position,
                    priority=float(candidates.priority[r]),
                    distance_m=float(dist[r]),
                )
            )


def _pair_days(
    rank: list[int], lengths: list[int], day_index: list[int], sizes: list[int]
) -> dict[int, int]:
    """Give chunks (most urgent first) the earliest day with room; keep sweep order if stuck."""
    pairing: dict[int, int] = {}
    free = sorted(day_index)
    for c in rank:
        d = next((d for d in free if sizes[d] >= lengths[c]), None)
        if d is None:
            return dict(zip(range(len(day_index)), day_index, strict=True))
        pairing[c] = d
        free.remove(d)
    return pairing
