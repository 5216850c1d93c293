"""The disclosure rules as pure functions: thresholds, "fewer than k", merging, totals, text."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geodata.force import DISTRICTS
from layers.public.disclosure import (
    DisclosureError,
    areas_below,
    check_public_text,
    district_level_allowed,
    fewer_than,
    merge_into_divisions,
    period_words,
    public_day,
    show_count,
    threshold,
    total_disclosable,
    unknown_words,
)
from layers.public.figures import FIGURES, Period, district_codes, tally
from layers.public.release import DISTRICT, DIVISION, FORCE, build_release
from layers.public.wording import PUBLIC_VOCABULARY

WEEK = Period(dt.date(2026, 11, 23), dt.date(2026, 11, 29))


def test_pub001_threshold_defaults_floor_and_refusal() -> None:
    assert threshold(5) == 5
    assert threshold(3) == 3
    assert threshold(12) == 12
    for too_low in (2, 1, 0, -5):
        with pytest.raises(ValueError, match="at least 3"):
            threshold(too_low)


@pytest.mark.parametrize(
    ("value", "k", "text", "exact"),
    [(0, 5, "fewer than 5", False), (1, 5, "fewer than 5", False), (4, 5, "fewer than 5", False),
     (5, 5, "5", True), (6, 5, "6", True), (1234, 5, "1,234", True),
     (2, 3, "fewer than 3", False), (3, 3, "3", True), (9, 10, "fewer than 10", False)],
)
def test_pub002_counts_below_k_read_fewer_than_k(value: int, k: int, text: str,
                                                 exact: bool) -> None:
    shown = show_count(value, k)
    assert shown.text == text
    assert shown.exact is exact
    assert (shown.value == value) if exact else shown.value is None


def test_pub003_negative_counts_and_bad_k_refused() -> None:
    with pytest.raises(ValueError):
        show_count(-1, 5)
    with pytest.raises(ValueError):
        show_count(10, 2)
    assert fewer_than(7) == "fewer than 7"


def test_pub004_district_level_only_when_every_count_shown_passes_k() -> None:
    rows = {"A": {"visits": 5, "arrests": 7}, "B": {"visits": 9, "arrests": 5}}
    assert district_level_allowed(rows, ["visits", "arrests"], 5)
    rows["B"]["arrests"] = 4
    assert not district_level_allowed(rows, ["visits", "arrests"], 5)
    assert areas_below(rows, ["visits", "arrests"], 5) == ["B"]
    # Only the counts that would be shown matter.
    assert district_level_allowed(rows, ["visits"], 5)
    assert district_level_allowed(rows, ["arrests"], 4)
    assert not district_level_allowed({}, ["visits"], 5)


def test_pub005_districts_merge_into_their_divisions_outside_joins_none() -> None:
    rows = {
        "E07000123": {"visits": 2, "arrests": 1},  # Preston, South
        "E07000118": {"visits": 3, "arrests": 0},  # Chorley, South
        "E06000009": {"visits": 4, "arrests": 2},  # Blackpool, West
        "outside": {"visits": 10, "arrests": 10},
    }
    division_of = {d.code: d.division for d in DISTRICTS}
    merged = merge_into_divisions(rows, division_of, ("West", "South", "East"))
    assert list(merged) == ["West", "South", "East"]
    assert merged["South"] == {"arrests": 1, "visits": 5}
    assert merged["West"] == {"arrests": 2, "visits": 4}
    assert merged["East"] == {"arrests": 0, "visits": 0}


@pytest.mark.parametrize(
    ("total", "parts", "allowed"),
    [
        (4, [1, 3, 0], True),      # the total itself reads "fewer than 5"
        (15, [5, 5, 5], True),     # every part shown: nothing hidden
        (12, [6, 6, 0], False),    # one part reads "fewer than 5" and would be 0 by subtraction
        (14, [6, 6, 2], False),    # ... or 2
        (16, [6, 6, 4], False),    # ... or 4
        (17, [6, 6, 0], True),     # hidden remainder 5 (partly outside every part) is not small
        (9, [6, 0, 0], False),     # remainder 3 spread over hidden parts: still small
        (13, [6, 3, 4], True),     # remainder 7 over two hidden parts
        (8, [5, 0, 0], False),     # remainder 3 outside every part
    ],
)
def test_pub006_a_total_that_would_reveal_a_small_part_is_withheld(
    total: int, parts: list[int], allowed: bool
) -> None:
    assert total_disclosable(total, parts, 5) is allowed


def test_pub007_dates_are_whole_days_never_times() -> None:
    assert public_day(dt.date(2026, 11, 30)) == "Monday 30 November 2026"
    assert period_words(dt.date(2026, 11, 30), dt.date(2026, 11, 30)) == \
        "on Monday 30 November 2026"
    assert period_words(dt.date(2026, 11, 30), dt.date(2026, 12, 2)) == \
        "from Monday 30 November to Wednesday 2 December 2026"
    assert period_words(dt.date(2026, 12, 28), dt.date(2027, 1, 3)) == \
        "from Monday 28 December 2026 to Sunday 3 January 2027"
    with pytest.raises(TypeError):
        public_day(dt.datetime(2026, 11, 30, 14, 5))
    with pytest.raises(TypeError):
        Period(dt.datetime(2026, 11, 30, 9), dt.date(2026, 11, 30))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ends before"):
        Period(dt.date(2026, 11, 30), dt.date(2026, 11, 29))
    with pytest.raises(ValueError, match="at most 31"):
        Period(dt.date(2026, 10, 1), dt.date(2026, 11, 30))


def test_pub008_period_is_cut_at_today_and_parsed_from_forms() -> None:
    today = dt.date(2026, 11, 25)
    assert WEEK.up_to(today) == Period(dt.date(2026, 11, 23), today)
    with pytest.raises(ValueError, match="after today"):
        Period(dt.date(2026, 11, 26), dt.date(2026, 11, 27)).up_to(today)
    assert Period.parse("2026-11-23T00:00:00", "2026-11-29") == WEEK
    with pytest.raises(ValueError, match="first and the last"):
        Period.parse(None, "2026-11-29")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        Period.parse("23/11/2026", "2026-11-29")


@pytest.mark.parametrize(
    "hostile",
    [
        "17 Acacia Avenue", "Flat 2, 17 Acacia Avenue, Preston PR1 2RH", "PR1 2RH", "pr12rh",
        "REF-ACACIA-17", "DEMO-P-0042", "meet at Church Street", "pc.jane.doe",
        "call 07700 900123 Mr Smith", "BB11 1AA", "LA1",
    ],
)
def test_pub009_record_text_is_refused_by_the_public_vocabulary(hostile: str) -> None:
    text = f"Week of action against modern slavery: 12 visits made. {hostile}"
    with pytest.raises(DisclosureError):
        check_public_text(text, PUBLIC_VOCABULARY)


def test_pub010_template_words_numbers_and_place_names_pass() -> None:
    text = ("Lancashire Police, week of action against modern slavery, on Monday 30 November "
            "2026: 1,234 visits made, fewer than 5 arrests. Ribble Valley: 7 visits made. "
            "Modern Slavery Helpline 08000 121 700. #seeitshareit #modernslavery")
    check_public_text(text, PUBLIC_VOCABULARY)
    assert unknown_words("Acacia Avenue 17", PUBLIC_VOCABULARY) == ["Acacia", "Avenue"]


def _counts(per_district: dict[str, dict[str, int]]) -> pd.DataFrame:
    table = pd.DataFrame(0, index=pd.Index(district_codes(), name="district_code"),
                         columns=list(FIGURES))
    for code, values in per_district.items():
        for key, value in values.items():
            table.at[code, key] = value
    return table


def test_pub011_release_merges_districts_when_any_count_is_small() -> None:
    every = {d.code: dict.fromkeys(FIGURES, 6) for d in DISTRICTS}
    release = build_release(_counts(every), WEEK, DISTRICT, 5)
    assert release.level == DISTRICT
    assert len(release.areas) == 14
    assert all(f.exact for a in release.areas for f in a.figures)
    every["E07000124"]["closure_orders"] = 1  # Ribble Valley: one closure order
    release = build_release(_counts(every), WEEK, DISTRICT, 5)
    assert release.level == DIVISION
    assert [a.name for a in release.areas] == ["West", "South", "East"]
    east = {f.key: f.text for f in release.areas[2].figures}
    assert east["closure_orders"] == str(6 * 5 + 1)
    held = [c for c in release.checks if c.rule == "districts"]
    assert held and held[0].outcome == "held back"
    assert "1 of 14 districts" in held[0].message
    texts = " ".join(f.text for a in release.areas for f in a.figures)
    assert "Ribble Valley" not in " ".join(a.name for a in release.areas)
    assert " 1 " not in f" {texts} "


def test_pub012_threshold_is_configurable_and_applies_everywhere() -> None:
    counts = _counts({"E07000123": {"visits": 4, "arrests": 3},
                      "E06000009": {"visits": 2}})
    at5 = build_release(counts, WEEK, FORCE, 5)
    at3 = build_release(counts, WEEK, FORCE, 3)
    assert {f.key: f.text for f in at5.force}["visits"] == "6"
    assert {f.key: f.text for f in at5.force}["arrests"] == "fewer than 5"
    assert {f.key: f.text for f in at3.force}["arrests"] == "3"
    assert {f.key: f.text for f in at3.force}["warrants"] == "fewer than 3"
    with pytest.raises(ValueError, match="at least 3"):
        build_release(counts, WEEK, FORCE, 2)
    division = build_release(counts, WEEK, DIVISION, 5)
    south = {f.key: f.text for f in division.areas[1].figures}
    assert south["visits"] == "fewer than 5"
    # Every division hidden but their sum (6) is not small: the total may show.
    assert {f.key: f.text for f in division.force}["visits"] == "6"
    counts.at["E07000123", "visits"] = 7
    division = build_release(counts, WEEK, DIVISION, 5)
    # South shows 7 and the force 9 would reveal West's 2 by subtraction: left out.
    assert "visits" not in {f.key for f in division.force}
    assert any(c.rule == "total:visits" and c.outcome == "held back" for c in division.checks)


def test_pub013_tally_counts_visits_premises_and_results_by_district() -> None:
    events = pd.DataFrame({
        "location_id": [1, 1, 2, 3, 1, 4],
        "to_status": ["visited", "visited", "visited", "actioned", "actioned", "visited"],
        "results": [{}, {}, {}, {"safeguarded": 2}, {"arrests": 1, "warrants": 1}, {}],
    })
    places = pd.Series({1: "E07000123", 2: "E07000123", 3: "E06000009", 4: "nonsense"})
    table = tally(events, places)
    assert table.at["E07000123", "visits"] == 3
    assert table.at["E07000123", "premises"] == 2
    assert table.at["E07000123", "arrests"] == 1
    assert table.at["E06000009", "safeguarded"] == 2
    assert table.at["outside", "visits"] == 1  # an unknown code counts only force-wide
    assert int(table["visits"].sum()) == 4
