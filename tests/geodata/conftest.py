"""Fixtures for the geodata tests: the shared reference boundaries, tiny hand-made districts
and the real postcode index (built once per session; it takes several seconds)."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from geodata.boundaries import read_boundaries
from geodata.districts import DistrictIndex
from geodata.postcodes import PostcodeIndex

SHARED_BOUNDARIES = (
    Path(__file__).resolve().parents[2]
    / ".."
    / "shared"
    / "geodata"
    / "lancashire_districts.geojson"
)


@pytest.fixture(scope="session")
def boundaries_file() -> Path:
    """The reference district boundaries (``OPSMAP_BOUNDARIES`` or ../shared/geodata)."""
    path = Path(os.environ.get("OPSMAP_BOUNDARIES", str(SHARED_BOUNDARIES))).resolve()
    if not path.is_file():
        pytest.fail(f"reference boundaries not found at {path}; set OPSMAP_BOUNDARIES")
    return path


@pytest.fixture(scope="session")
def boundaries(boundaries_file: Path) -> gpd.GeoDataFrame:
    """The 14 validated districts."""
    return read_boundaries(boundaries_file)


@pytest.fixture(scope="session")
def district_index(boundaries: gpd.GeoDataFrame) -> DistrictIndex:
    """Point-in-district index of the real districts."""
    return DistrictIndex.from_boundaries(boundaries)


@pytest.fixture
def squares() -> gpd.GeoDataFrame:
    """Two hand-made 'districts' sharing the edge x = 1, and an overlapping third one.

    A: [0,1]x[0,1], B: [1,2]x[0,1], C: [0.5,1.5]x[0.5,1.5] (overlaps both: first wins).
    """
    return gpd.GeoDataFrame(
        {"code": ["A", "B", "C"], "name": ["Alpha", "Beta", "Gamma"], "division": ["W", "E", "S"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(0.5, 0.5, 1.5, 1.5)],
        crs="EPSG:4326",
    )


@pytest.fixture(scope="session")
def postcode_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the real index is cached: ``OPSMAP_CACHE_DIR`` if set, else a session tmp dir."""
    configured = os.environ.get("OPSMAP_CACHE_DIR")
    return Path(configured) if configured else tmp_path_factory.mktemp("geocache")


@pytest.fixture(scope="session")
def postcode_index(postcode_cache_dir: Path) -> PostcodeIndex:
    """The real Code-Point Open index (built on first use, then loaded from the cache)."""
    return PostcodeIndex.cached(postcode_cache_dir)
