"""Driving times between places, behind one interface so the source can change.

The solver only ever asks a :class:`TravelTimes` for a square matrix of whole seconds between
a list of (longitude, latitude) points. The default, :class:`GridTravelTimes`, needs no
network: straight-line British National Grid metres, times a circuity factor (roads are longer
than the crow flies), divided by a speed that depends on whether each end is in an urban or a
rural district. It is a planning estimate, close enough to sequence a shift and to warn of a
window that cannot be met; it knows nothing of one-way streets or the M6 at rush hour.

Replacing it with a road network
--------------------------------
A force that runs its own routing server (OpsMap never calls a third party) can swap in a
table endpoint by writing one class with the same ``matrix`` method, chosen when the
deployment configures a URL (e.g. ``OPSMAP_TRAVEL_URL``):

- OSRM: ``GET {url}/table/v1/driving/{lon},{lat};{lon},{lat};...?annotations=duration``
  answers ``{"durations": [[seconds, ...], ...]}`` in the order of the points;
- Valhalla: ``POST {url}/sources_to_targets`` with
  ``{"sources": [{"lon": .., "lat": ..}, ...], "targets": <same>, "costing": "auto"}``
  answers ``{"sources_to_targets": [[{"time": seconds, ...}, ...], ...]}``.

Such a class must round up to whole seconds, answer ``null`` cells (no road found) by falling
back to this estimate, bound its request size (both servers cap the table, typically at a few
hundred points), and time out rather than hang a plan. Nothing else in the solver changes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from geodata.crs import to_bng
from geodata.districts import DistrictIndex
from layers.planning.solver.model import Point

logger = logging.getLogger(__name__)

CIRCUITY = 1.3
"""Road distance over straight-line distance: a typical figure for UK roads."""
URBAN_KMH = 30.0
"""Average door-to-door speed in towns (junctions, lights, parking included)."""
RURAL_KMH = 50.0
"""Average door-to-door speed on rural A and B roads."""
RURAL_DISTRICTS = frozenset({"E07000124"})
"""Districts driven at the rural speed by default: Ribble Valley, the force's least built-up
district. Configurable per deployment (:class:`SpeedModel`)."""


class TravelTimes(Protocol):
    """Anything that can answer driving times between points."""

    def matrix(self, points: Sequence[Point]) -> np.ndarray:
        """Whole seconds from each point (rows) to each point (columns), zero on the diagonal."""
        ...


@dataclass(frozen=True)
class SpeedModel:
    """The numbers behind the default estimate, each configurable per deployment."""

    circuity: float = CIRCUITY
    urban_kmh: float = URBAN_KMH
    rural_kmh: float = RURAL_KMH
    rural_districts: frozenset[str] = RURAL_DISTRICTS

    def __post_init__(self) -> None:
        if self.circuity < 1.0:
            raise ValueError("the circuity factor cannot be below 1 (roads are never shorter)")
        if self.urban_kmh <= 0 or self.rural_kmh <= 0:
            raise ValueError("travel speeds must be above zero")


@dataclass(frozen=True, eq=False)
class GridTravelTimes:
    """The default source: BNG metres x circuity / speed, speed by each end's district.

    A leg's time is half its road length at the start point's speed plus half at the end
    point's speed, so town-to-town legs run at the urban speed, country legs at the rural one,
    and a mixed leg in between; the matrix is symmetric. Without a district index every point
    counts as urban (the slower, safer estimate).
    """

    speeds: SpeedModel = field(default_factory=SpeedModel)
    districts: DistrictIndex | None = None

    def matrix(self, points: Sequence[Point]) -> np.ndarray:
        """Driving seconds between ``points`` (rounded up, so a plan never runs early).

        Raises
        ------
        ValueError
            When a point has no usable coordinates (it cannot be placed on the map).
        """
        coords = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        easting, northing = to_bng(coords[:, 0], coords[:, 1])
        bad = np.flatnonzero(~(np.isfinite(easting) & np.isfinite(northing)))
        if bad.size:
            raise ValueError(
                f"{bad.size} place(s) to plan have no usable map position "
                f"(first: {tuple(coords[bad[0]])}); fix their location first"
            )
        road_m = np.hypot(
            easting[:, None] - easting[None, :], northing[:, None] - northing[None, :]
        ) * self.speeds.circuity
        pace = 1.0 / self.point_speeds(coords)  # seconds per metre at each point
        seconds = road_m * (pace[:, None] + pace[None, :]) / 2.0
        # Rounded to the millisecond first, so a projection error of a micrometre does not add
        # a whole second to a leg that is exactly 156 s by hand.
        return np.ceil(np.round(seconds, 3)).astype(np.int64)

    def point_speeds(self, coords: np.ndarray) -> np.ndarray:
        """Speed at each point in metres per second: rural in a rural district, else urban."""
        urban = self.speeds.urban_kmh / 3.6
        if self.districts is None:
            return np.full(len(coords), urban)
        codes = self.districts.codes(self.districts.assign(coords[:, 0], coords[:, 1]))
        rural = np.isin(codes, list(self.speeds.rural_districts))
        return np.where(rural, self.speeds.rural_kmh / 3.6, urban)
