"""OS grid references: parsing to square centres, refusing bad input, formatting run sheets."""

from __future__ import annotations

import numpy as np
import pytest

from geodata.gridref import format_gridref, parse_gridrefs


@pytest.mark.parametrize(
    ("ref", "easting", "northing"),
    [
        ("SD 53843 29512", 353843.5, 429512.5),
        ("SD5384329512", 353843.5, 429512.5),
        ("sd 5384 2951", 353845.0, 429515.0),
        ("SD5329", 353500.0, 429500.0),
        ("SD 538 295", 353850.0, 429550.0),
        ("SD", 350000.0, 450000.0),
        ("TQ 30000 80000", 530000.5, 180000.5),
        ("NY 1234 5678", 312345.0, 556785.0),
        ("  SD 54015  29628 ", 354015.5, 429628.5),
    ],
    ids=[
        "10-digit-spaced",
        "10-digit-packed",
        "lower-8-digit",
        "4-digit-1km",
        "6-digit",
        "letters-only",
        "london",
        "lake-district",
        "extra-spaces",
    ],
)
def test_parse_returns_square_centre(ref: str, easting: float, northing: float) -> None:
    e, n, ok = parse_gridrefs([ref])
    assert ok.tolist() == [True]
    assert e[0] == pytest.approx(easting)
    assert n[0] == pytest.approx(northing)


@pytest.mark.parametrize(
    "ref",
    [
        "SD 538 42951",
        "SD123",
        "XX 1234 5678",
        "IA 1234 5678",
        "SD 123456 123456",
        "",
        "53843 29512",
        "S D1234",
    ],
    ids=[
        "unequal-halves",
        "odd-digits",
        "unknown-square",
        "letter-I",
        "too-many-digits",
        "empty",
        "no-letters",
        "split-letters",
    ],
)
def test_parse_flags_invalid_references(ref: str) -> None:
    e, n, ok = parse_gridrefs(["SD5329", ref])
    assert ok.tolist() == [True, False]
    assert np.isnan(e[1])
    assert np.isnan(n[1])


def test_parse_handles_missing_values() -> None:
    _e, _n, ok = parse_gridrefs([None, "SD5329"])
    assert ok.tolist() == [False, True]


def test_format_truncates_to_the_square_it_lies_in() -> None:
    refs = format_gridref([354015.9, 330641.0], [429628.7, 436035.0])
    assert refs == ["SD 54015 29628", "SD 30641 36035"]
    assert format_gridref(354015, 429628, digits=6) == ["SD 540 296"]
    assert format_gridref(354015, 429628, digits=0) == ["SD"]


def test_format_blank_for_points_off_the_grid() -> None:
    assert format_gridref([np.nan, -10.0, 800_000.0], [429628.0, 5.0, 5.0]) == ["", "", ""]


def test_format_rejects_odd_digit_counts() -> None:
    with pytest.raises(ValueError, match="digits must be"):
        format_gridref(354015, 429628, digits=7)


def test_format_then_parse_lands_within_the_square() -> None:
    rng = np.random.default_rng(3)
    e = rng.uniform(300_000, 400_000, 500)
    n = rng.uniform(400_000, 500_000, 500)
    pe, pn, ok = parse_gridrefs(format_gridref(e, n, digits=8))
    assert ok.all()
    assert np.max(np.abs(pe - e)) <= 10
    assert np.max(np.abs(pn - n)) <= 10
