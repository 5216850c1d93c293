"""CRS conversions: known positions, array/scalar input, missing values, CRS-less refusal."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from geodata.crs import BNG, WGS84, to_bng, to_bng_gdf, to_wgs84, to_wgs84_gdf

# PR1 2RH (Preston) per Code-Point Open, and its WGS84 position.
PRESTON_EN = (354015.0, 429628.0)
PRESTON_LONLAT = (-2.699005, 53.760965)


def test_to_bng_puts_preston_at_its_grid_position() -> None:
    e, n = to_bng(np.array([PRESTON_LONLAT[0]]), np.array([PRESTON_LONLAT[1]]))
    assert e.dtype == np.float64
    assert e[0] == pytest.approx(PRESTON_EN[0], abs=1.0)
    assert n[0] == pytest.approx(PRESTON_EN[1], abs=1.0)


def test_to_wgs84_round_trips_within_a_millimetre() -> None:
    rng = np.random.default_rng(1)
    e = rng.uniform(330_000, 400_000, 1000)
    n = rng.uniform(400_000, 480_000, 1000)
    e2, n2 = to_bng(*to_wgs84(e, n))
    assert np.max(np.abs(e2 - e)) < 1e-3
    assert np.max(np.abs(n2 - n)) < 1e-3


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(PRESTON_LONLAT[0], PRESTON_LONLAT[1]), ([PRESTON_LONLAT[0]], [PRESTON_LONLAT[1]])],
    ids=["scalars", "lists"],
)
def test_to_bng_accepts_scalars_and_lists(lon: object, lat: object) -> None:
    e, n = to_bng(lon, lat)
    assert float(np.ravel(e)[0]) == pytest.approx(PRESTON_EN[0], abs=1.0)
    assert float(np.ravel(n)[0]) == pytest.approx(PRESTON_EN[1], abs=1.0)


def test_missing_coordinates_stay_nan_not_inf() -> None:
    e, n = to_bng([np.nan, PRESTON_LONLAT[0]], [53.7, np.nan])
    assert np.isnan(e).all()
    assert np.isnan(n).all()
    lon, lat = to_wgs84([np.nan], [429628.0])
    assert np.isnan(lon).all()
    assert np.isnan(lat).all()


def test_gdf_without_crs_is_refused_with_advice() -> None:
    gdf = gpd.GeoDataFrame(geometry=[Point(0, 0)])
    with pytest.raises(ValueError, match=r"no CRS.*set_crs"):
        to_bng_gdf(gdf)
    with pytest.raises(ValueError, match="no CRS"):
        to_wgs84_gdf(gdf)


def test_gdf_helpers_reproject_both_ways() -> None:
    gdf = gpd.GeoDataFrame(geometry=[Point(*PRESTON_LONLAT)], crs=WGS84)
    bng = to_bng_gdf(gdf)
    assert bng.crs.to_string() == BNG
    assert bng.geometry.x.iloc[0] == pytest.approx(PRESTON_EN[0], abs=1.0)
    back = to_wgs84_gdf(bng)
    assert back.crs.to_string() == WGS84
    assert back.geometry.y.iloc[0] == pytest.approx(PRESTON_LONLAT[1], abs=1e-6)
