"""Pure rules without a database: lifecycle, filters, map drawing decisions, phone hashing."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard.pages.operations.view import CELLS, POINTS, Viewport, locate_click, plan_layer
from geodata.density import grid_cells
from layers.core.phones import hash_phones
from layers.core.queries import Filters, filter_mask
from layers.core.status import TransitionError, check_transition, next_statuses


@pytest.mark.parametrize(
    ("current", "requested", "outcome", "stored"),
    [
        ("unplanned", "planned", None, "planned"),
        ("planned", "in_progress", None, "in_progress"),
        ("in_progress", "visited", None, "visited"),
        ("visited", "actioned", "actioned", "actioned"),
        ("visited", "no_further_action", "no_trace", "no_further_action"),
        ("visited", "planned", "postponed", "planned"),
        ("actioned", "unplanned", None, "unplanned"),
    ],
)
def test_rul001_lifecycle_allows_the_normal_path(current, requested, outcome, stored):
    assert check_transition(current, requested, outcome).status == stored


@pytest.mark.parametrize(
    ("current", "requested", "outcome", "message"),
    [
        ("unplanned", "actioned", None, "can move to"),
        ("visited", "actioned", None, "needs an outcome"),
        ("visited", "actioned", "no_access", "means status"),
        ("planned", "flying", None, "unknown status"),
    ],
)
def test_rul002_lifecycle_refuses_with_a_reason(current, requested, outcome, message):
    with pytest.raises(TransitionError, match=message):
        check_transition(current, requested, outcome)


def test_rul003_results_only_with_actioned_outcome():
    decision = check_transition("visited", "actioned", "actioned", {"safeguarded": 2, "arrests": 0})
    assert decision.results == {"safeguarded": 2}
    with pytest.raises(TransitionError):
        check_transition("visited", "no_further_action", "no_trace", {"arrests": 1})
    assert next_statuses("unplanned") == ["planned", "no_further_action"]


def _frame() -> pd.DataFrame:
    t = pd.Timestamp("2026-11-24 20:00", tz="UTC")
    frame = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "kind": ["premises", "premises", "tipoffs", "adverts"],
            "lon": [-2.70, -3.05, -2.70, -2.71],
            "lat": [53.76, 53.82, 53.76, 53.77],
            "easting": [354000.0, 331000.0, 354050.0, 353500.0],
            "northing": [429000.0, 435000.0, 429050.0, 429600.0],
            "district_code": ["E07000123", "E06000009", "E07000123", "E07000123"],
            "division": ["South", "West", "South", "South"],
            "status": ["unplanned", "planned", "unplanned", "unplanned"],
            "risk": ["high", "low", None, None],
            "premises_type": ["nail bar", "hotel", None, None],
            "channel": [None, None, "101", None],
            "grade_source": [None, None, "2", None],
            "grade_intel": [None, None, "B", None],
            "observed_at": [pd.NaT, pd.NaT, t, t + pd.Timedelta(days=1)],
        }
    )
    for c in (
        "kind",
        "district_code",
        "division",
        "status",
        "risk",
        "premises_type",
        "channel",
        "grade_source",
        "grade_intel",
    ):
        frame[c] = frame[c].astype("category")
    local = frame["observed_at"].dt.tz_convert("Europe/London").dt.tz_localize(None).dt.normalize()
    frame["day"] = (local - pd.Timestamp("1970-01-01")).dt.days.astype("Int32")
    return frame


def test_rul004_attribute_filters_narrow_only_their_own_kind():
    frame = _frame()
    assert filter_mask(frame, Filters(risks=("high",))).tolist() == [True, False, True, True]
    assert filter_mask(frame, Filters(divisions=("West",))).tolist() == [False, True, False, False]
    day = Filters(days=(dt.date(2026, 11, 24),))
    assert filter_mask(frame, day).tolist() == [True, True, True, False]
    assert filter_mask(frame, Filters(kinds=("adverts",))).tolist() == [False, False, False, True]
    roundtrip = Filters.from_dict(Filters(days=(dt.date(2026, 11, 24),), risks=("high",)).as_dict())
    assert roundtrip.days == (dt.date(2026, 11, 24),) and roundtrip.risks == ("high",)


def test_rul005_large_layers_become_counted_cells_and_nothing_is_lost():
    rng = np.random.default_rng(1)
    n = 5000
    frame = pd.DataFrame(
        {
            "id": np.arange(n),
            "kind": pd.Categorical(["adverts"] * n),
            "lon": rng.uniform(-3, -2.2, n),
            "lat": rng.uniform(53.5, 54.2, n),
            "easting": rng.uniform(320000, 380000, n),
            "northing": rng.uniform(400000, 470000, n),
        }
    )
    mask = np.ones(n, dtype=bool)
    view = plan_layer(frame, mask, "adverts", None, limit=1000)
    assert view.mode == CELLS and view.total == n
    assert int(view.cells.count.sum()) == n  # every point is in a cell
    small = Viewport(-2.62, 53.80, -2.58, 53.84)
    zoomed = plan_layer(frame, mask, "adverts", small, limit=1000)
    assert zoomed.mode == POINTS and zoomed.total == n
    inside = small.contains(frame["lon"].to_numpy(), frame["lat"].to_numpy())
    assert len(zoomed.rows) == int(inside.sum())


def test_rul006_click_finds_the_point_drawn_even_if_data_moved():
    frame = _frame()
    view = plan_layer(frame, np.ones(4, dtype=bool), "premises", None, limit=10)
    assert locate_click(frame, view, 1, -3.05, 53.82) == 2
    assert locate_click(frame, view, 0, -3.05, 53.82) == 2  # index stale: nearest wins


def test_rul007_grid_cells_count_points_per_square():
    cells = grid_cells(
        np.array([10.0, 20.0, 990.0, 1500.0]), np.array([5.0, 5.0, 5.0, 5.0]), 1000.0
    )
    assert sorted(cells.count.tolist()) == [1, 3]
    assert sorted(cells.easting.tolist()) == [500.0, 1500.0]


def test_rul008_phone_hash_links_formats_and_keeps_only_last_three_digits():
    hashes, last3 = hash_phones(pd.Series(["07700 900123", "+44 7700 900123", "", None]), "k")
    assert hashes[0] == hashes[1] and hashes[0] is not None
    assert "900123" not in hashes[0]
    assert list(last3) == ["123", "123", None, None]
    other, _ = hash_phones(pd.Series(["07700 900123"]), "another-key")
    assert other[0] != hashes[0]
