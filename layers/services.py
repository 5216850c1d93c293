"""What the web app, the CLI and the tests share: configuration, database and geography.

One :class:`Services` is built per application from its :class:`config.Config`; callbacks and
routes receive it through :func:`dashboard.context.services` rather than importing globals.
Boundaries and the postcode index are read-only and cached per process, keyed by their source.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd

from config import Config
from geodata.boundaries import load_boundaries_cached
from geodata.districts import DistrictIndex
from geodata.postcodes import PostcodeIndex
from layers.core.db import Database
from layers.field.clock import Clock, system_clock
from layers.planning.solver.travel import (
    RURAL_DISTRICTS,
    GridTravelTimes,
    SpeedModel,
    TravelTimes,
)

logger = logging.getLogger(__name__)


@dataclass
class Services:
    """The deployment's configuration and the handles built from it."""

    config: Config
    db: Database = field(init=False)
    clock: Clock = field(default=system_clock)
    """What time it is for the field timers; tests put a :class:`layers.field.clock.ManualClock`."""

    def __post_init__(self) -> None:
        self.db = Database(self.config.database_url)

    @cached_property
    def boundaries(self) -> gpd.GeoDataFrame:
        """The 14 validated district boundaries (WGS84).

        Offline by default: boundaries come from ``OPSMAP_BOUNDARIES`` or the cache, and are
        downloaded only when an administrator sets ``OPSMAP_BOUNDARIES_URL`` (for example to
        :data:`geodata.boundary_download.DEFAULT_ONS_URL`).
        """
        return load_boundaries_cached(
            self.config.boundaries_path,
            self.config.cache_dir,
            self.config.boundaries_url,
        )

    @cached_property
    def districts(self) -> DistrictIndex:
        """The vectorised point-in-district index built from :attr:`boundaries`."""
        return DistrictIndex.from_boundaries(self.boundaries)

    @cached_property
    def postcodes(self) -> PostcodeIndex:
        """The offline postcode index (built once into the cache folder)."""
        return PostcodeIndex.cached(self.config.cache_dir)

    @cached_property
    def travel(self) -> TravelTimes:
        """Driving times for the planner: BNG distance x circuity / speed (urban or rural by
        district), each number from the configuration (``OPSMAP_TRAVEL_*``)."""
        speeds = SpeedModel(
            self.config.travel_circuity,
            self.config.travel_urban_kmh,
            self.config.travel_rural_kmh,
            frozenset(self.config.travel_rural_districts or RURAL_DISTRICTS),
        )
        return GridTravelTimes(speeds, self.districts)
