"""Planning test helpers: premises at real Lancashire places and teams at real stations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from layers.core.locations import insert_locations
from layers.core.models import Location
from layers.planning.teams import TeamSpec, create_team
from layers.services import Services

# Town centres (lon, lat) with their district and division: enough to plan a realistic day.
PLACES: dict[str, tuple[float, float, str, str]] = {
    "preston": (-2.7035, 53.7590, "E07000123", "South"),
    "chorley": (-2.6310, 53.6530, "E07000118", "South"),
    "leyland": (-2.6880, 53.6950, "E07000126", "South"),
    "blackpool": (-3.0500, 53.8170, "E06000009", "West"),
    "burnley": (-2.2450, 53.7890, "E07000117", "East"),
}
MONDAY = dt.date(2026, 11, 30)


def add_premises(
    services: Services,
    town: str,
    count: int,
    risk: str = "high",
    spread_m: float = 3000.0,
    seed: int = 0,
) -> list[int]:
    """Insert ``count`` premises scattered around ``town``; returns their ids."""
    from geodata.crs import to_bng, to_wgs84

    lon, lat, district, division = PLACES[town]
    e0, n0 = to_bng(np.array([lon]), np.array([lat]))
    rng = np.random.default_rng(seed)
    east = e0[0] + rng.uniform(-spread_m, spread_m, count)
    north = n0[0] + rng.uniform(-spread_m, spread_m, count)
    lons, lats = to_wgs84(east, north)
    frame = pd.DataFrame(
        {
            "kind": "premises",
            "lon": lons,
            "lat": lats,
            "easting": east,
            "northing": north,
            "district_code": district,
            "division": division,
            "ref": [f"{town[:3].upper()}-{seed}-{i}" for i in range(count)],
            "address": [f"{i + 1} Test Street, {town.title()}" for i in range(count)],
            "postcode": "PR1 2RH",
            "premises_type": "nail bar",
            "risk": risk,
            "notes": "Seen: workers collected by minibus at 06:00",
            "source": "test",
            "created_by": "tester",
        }
    )
    with services.db.write() as session:
        insert_locations(session, frame)
    with services.db.read() as session:
        rows = session.query(Location.id).order_by(Location.id.desc()).limit(count).all()
    return sorted(r.id for r in rows)


def add_team(services: Services, call_sign: str, town: str = "preston", capacity: int = 6) -> int:
    """Insert a team starting in ``town``; returns its id."""
    lon, lat, _district, division = PLACES[town]
    spec = TeamSpec(
        call_sign=call_sign,
        division=division,
        start_lon=lon,
        start_lat=lat,
        start_label=f"{town.title()} police station",
        partners=("council licensing", "immigration enforcement"),
        daily_capacity=capacity,
    )
    with services.db.write() as session:
        return create_team(session, spec, "commander-a").id


@pytest.fixture
def premises(services: Services) -> Callable[..., list[int]]:
    """``premises(town, count, **kw)`` inserts premises in ``services``' database."""
    return lambda town, count, **kw: add_premises(services, town, count, **kw)


@pytest.fixture
def team(services: Services) -> Callable[..., int]:
    """``team(call_sign, town, capacity)`` inserts a team."""
    return lambda call_sign, town="preston", capacity=6: add_team(
        services, call_sign, town, capacity
    )
