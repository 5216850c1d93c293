"""Redaction rules of the briefing: addresses to street level, an allow-list of columns."""

from __future__ import annotations

import pandas as pd
import pytest

from layers.briefing.redaction import (
    FORBIDDEN_COLUMNS,
    assert_redacted,
    postcode_sector,
    redact_frame,
    street_level,
)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("12 Church Street, Preston", "Church Street, Preston"),
        ("Flat 3, 45 King Street, Blackpool FY1 1AA", "King Street, Blackpool"),
        ("Rose Cottage, Mill Lane, Chorley", "Mill Lane, Chorley"),
        ("Unit 5 Riverside Park, Station Road, Burnley", "Station Road, Burnley"),
        ("12-14 High St, Colne", "High St, Colne"),
        ("Apartment 2B, Victoria Court, 3 Queen Street, Lancaster, LA1 1AA",
         "Queen Street, Lancaster"),
        ("Room 4, The Lodge, Moor Lane, Clitheroe BB7 1AA", "Moor Lane, Clitheroe"),
        ("45a Albert Road", "Albert Road"),
        ("7 Church Street Preston PR1 2RH", "Church Street Preston"),
        ("The Old Mill, Darwen", "Darwen"),
        ("", ""),
        (None, ""),
    ],
)
def test_brf001_street_level_drops_numbers_units_names_postcodes(
    address: str | None, expected: str
) -> None:
    assert street_level(address) == expected


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("12 Church Street, Preston", "Preston"),
        ("Flat 1, 9 Park Road", ""),
        ("Blackpool", "Blackpool"),
    ],
)
def test_brf002_town_level(address: str, expected: str) -> None:
    assert street_level(address, "town") == expected


def test_brf003_no_address_level_and_unknown_level() -> None:
    assert street_level("12 Church Street, Preston", "none") == ""
    with pytest.raises(ValueError, match="address level"):
        street_level("x", "house")


def test_brf004_no_digit_survives_street_level() -> None:
    for address in ("221B Baker Street, Preston", "Flat 10, 1 Market Street, Chorley PR7 1DA",
                    "3/5 Bridge Street, Darwen", "No. 9 Union Street, Burnley"):
        assert not any(ch.isdigit() for ch in street_level(address)), address


def test_brf005_postcode_sector() -> None:
    assert postcode_sector("PR1 2RH") == "PR1 2"
    assert postcode_sector("bb18 5aa") == "BB18 5"
    assert postcode_sector("not a postcode") == ""
    assert postcode_sector(None) == ""


def test_brf006_redact_frame_keeps_only_allowed_columns() -> None:
    frame = pd.DataFrame(
        {
            "id": [1], "kind": ["premises"], "lon": [-2.7], "lat": [53.7],
            "address": ["12 Church Street, Preston"], "postcode": ["PR1 2RH"],
            "notes": ["secret"], "summary": ["secret"], "phone_hash": ["f" * 64],
            "phone_last3": ["123"], "created_by": ["pc.smith"], "outcome_detail": ["{}"],
            "something_new": ["x"], "risk": ["high"],
        }
    )
    out = redact_frame(frame)
    assert set(out.columns) == {"id", "kind", "lon", "lat", "street", "postcode_sector", "risk"}
    assert out.loc[0, "street"] == "Church Street, Preston"
    assert out.loc[0, "postcode_sector"] == "PR1 2"
    assert not set(out.columns) & FORBIDDEN_COLUMNS


def test_brf007_assert_redacted_refuses_sensitive_columns() -> None:
    assert_redacted(pd.DataFrame({"street": ["x"]}))
    for column in ("notes", "summary", "phone_last3", "phone_hash", "address", "username"):
        with pytest.raises(ValueError, match=column):
            assert_redacted(pd.DataFrame({column: ["x"]}))


def test_brf008_positions_move_to_their_grid_square_centre() -> None:
    from geodata.crs import to_wgs84
    from layers.briefing.redaction import GRID_M, snap_to_grid

    lon, lat = to_wgs84([354123.0, 331999.0], [429876.0, 436001.0])
    exact = pd.DataFrame({"easting": [354123.0, 331999.0], "northing": [429876.0, 436001.0],
                          "lon": lon, "lat": lat})
    with pytest.raises(ValueError, match="exact positions"):
        assert_redacted(exact)
    snapped = snap_to_grid(exact)
    assert GRID_M >= 250
    assert list(snapped["easting"]) == [354500.0, 331500.0]
    assert list(snapped["northing"]) == [429500.0, 436500.0]
    centre_lon, centre_lat = to_wgs84([354500.0, 331500.0], [429500.0, 436500.0])
    assert list(snapped["lon"]) == list(centre_lon) and list(snapped["lat"]) == list(centre_lat)
    assert_redacted(snapped)
    only_lonlat = redact_frame(exact[["lon", "lat"]])
    assert list(only_lonlat["lon"]) == list(centre_lon)
    with pytest.raises(ValueError, match="exact positions"):
        assert_redacted(exact[["lon", "lat"]])
