"""Point-in-district assignment: hand-made squares for the rules, real districts for facts."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest

from geodata.districts import OUTSIDE_NAME, DistrictIndex
from geodata.force import OUTSIDE


@pytest.fixture
def square_index(squares: gpd.GeoDataFrame) -> DistrictIndex:
    return DistrictIndex.from_boundaries(squares)


def test_points_get_their_square_or_outside(square_index: DistrictIndex) -> None:
    lon = np.array([0.2, 1.8, 5.0, -0.1, 1.2])
    lat = np.array([0.2, 0.2, 5.0, 0.5, 1.4])
    idx = square_index.assign(lon, lat)
    assert idx.dtype == np.int16
    assert square_index.codes(idx).tolist() == ["A", "B", OUTSIDE, OUTSIDE, "C"]
    assert square_index.names(idx).tolist() == ["Alpha", "Beta", OUTSIDE_NAME, OUTSIDE_NAME,
                                                "Gamma"]  # fmt: skip
    assert square_index.divisions(idx).tolist() == ["W", "E", OUTSIDE, OUTSIDE, "S"]


def test_overlapping_districts_first_wins(square_index: DistrictIndex) -> None:
    # (0.75, 0.75) is in A and C; (1.25, 0.75) in B and C: each counted once, first wins.
    idx = square_index.assign([0.75, 1.25], [0.75, 0.75])
    assert square_index.codes(idx).tolist() == ["A", "B"]


def test_nan_coordinates_are_outside(square_index: DistrictIndex) -> None:
    idx = square_index.assign([np.nan, 0.5, np.inf], [0.5, np.nan, 0.5])
    assert idx.tolist() == [-1, -1, -1]


def test_assign_keeps_input_shape_and_accepts_empty(square_index: DistrictIndex) -> None:
    grid = square_index.assign(np.full((2, 3), 0.5), np.full((2, 3), 0.5))
    assert grid.shape == (2, 3)
    assert (grid == 0).all()
    assert square_index.assign([], []).shape == (0,)


def test_assign_codes_outside_for_both(square_index: DistrictIndex) -> None:
    codes, divisions = square_index.assign_codes([0.5, 9.0], [0.5, 9.0])
    assert codes.tolist() == ["A", OUTSIDE]
    assert divisions.tolist() == ["W", OUTSIDE]


def test_bng_squares_are_reprojected(squares: gpd.GeoDataFrame) -> None:
    index = DistrictIndex.from_boundaries(squares.to_crs("EPSG:27700"))
    assert index.codes(index.assign([0.5], [0.5])).tolist() == ["A"]


def test_boundaries_without_crs_are_refused(squares: gpd.GeoDataFrame) -> None:
    bare = gpd.GeoDataFrame(squares.drop(columns="geometry"), geometry=list(squares.geometry))
    with pytest.raises(ValueError, match="no CRS"):
        DistrictIndex.from_boundaries(bare)


@pytest.mark.parametrize(
    ("lon", "lat", "name", "division"),
    [
        (-2.7010, 53.7590, "Preston", "South"),
        (-3.0540, 53.8160, "Blackpool", "West"),
        (-2.8010, 54.0470, "Lancaster", "West"),
        (-2.2420, 53.7890, "Burnley", "East"),
        (-2.4850, 53.7480, "Blackburn with Darwen", "East"),
        (-2.6320, 53.6530, "Chorley", "South"),
        (-2.3940, 53.8710, "Ribble Valley", "East"),
        (-3.0100, 53.9250, "Wyre", "West"),
    ],
    ids=[
        "preston",
        "blackpool",
        "lancaster",
        "burnley",
        "blackburn",
        "chorley",
        "clitheroe",
        "fleetwood",
    ],
)
def test_town_centres_are_in_their_district(
    district_index: DistrictIndex, lon: float, lat: float, name: str, division: str
) -> None:
    idx = district_index.assign([lon], [lat])
    assert district_index.names(idx).tolist() == [name]
    assert district_index.divisions(idx).tolist() == [division]


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(-3.40, 53.90), (-2.2446, 53.4808), (-2.9916, 53.4084), (-1.5491, 53.8008)],
    ids=["irish-sea", "manchester", "liverpool", "leeds"],
)
def test_places_beyond_the_force_are_outside(
    district_index: DistrictIndex, lon: float, lat: float
) -> None:
    assert district_index.codes(district_index.assign([lon], [lat])).tolist() == [OUTSIDE]


def test_many_random_points_match_geopandas(
    district_index: DistrictIndex, boundaries: gpd.GeoDataFrame
) -> None:
    rng = np.random.default_rng(7)
    lon = rng.uniform(-3.2, -2.0, 20_000)
    lat = rng.uniform(53.45, 54.25, 20_000)
    idx = district_index.assign(lon, lat)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=boundaries.crs)
    joined = gpd.sjoin(pts, boundaries, predicate="within", how="left")
    joined = joined[~joined.index.duplicated()]
    expected = joined["code"].fillna(OUTSIDE).to_numpy()
    assert (district_index.codes(idx) == expected).all()
    assert 0.2 < (idx >= 0).mean() < 0.5  # the force fills roughly a third of its box


def test_points_exactly_on_an_edge_are_not_inside(square_index: DistrictIndex) -> None:
    # (1.0, 0.25) lies on the A|B edge and in no interior: strict contains says outside.
    assert square_index.codes(square_index.assign([1.0], [0.25])).tolist() == [OUTSIDE]


def test_grid_lookup_agrees_with_exact_tests(district_index: DistrictIndex) -> None:
    coarse = DistrictIndex.from_boundaries(
        gpd.GeoDataFrame(
            {"code": district_index.district_codes},
            geometry=list(district_index.polygons),
            crs="EPSG:4326",
        ),
        grid_cells=1,
    )
    rng = np.random.default_rng(11)
    lon = rng.uniform(-3.2, -2.0, 50_000)
    lat = rng.uniform(53.45, 54.25, 50_000)
    assert (coarse.assign(lon, lat) == district_index.assign(lon, lat)).all()
