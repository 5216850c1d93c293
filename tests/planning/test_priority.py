"""Priority and capacity warnings (pure functions over arrays)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from layers.planning.capacity import over_allocation
from layers.planning.priority import neighbour_pairs, score_candidates

DAYS = [dt.date(2026, 11, 30) + dt.timedelta(days=i) for i in range(7)]


def test_pri001_score_parts() -> None:
    cands = pd.DataFrame(
        {
            "id": [10, 11, 12],
            "easting": [0.0, 10_000.0, 20_000.0],
            "northing": [0.0, 0.0, 0.0],
            "risk": ["high", "medium", None],
        }
    )
    tipoffs = pd.DataFrame(
        {
            "easting": [100.0, 5_000.0, 10_200.0],
            "northing": [0.0, 0.0, 0.0],
            "grade_intel": ["A", "C", "E"],
            # The second is far away but linked to premises 11; the third is near 11 and linked too.
            "linked_premises_id": [np.nan, 11, 11],
        }
    )
    adverts = pd.DataFrame(
        {"easting": [0.0, 0.0, 0.0, 20_300.0], "northing": [10.0, 20.0, 30.0, 0.0]}
    )
    parts = score_candidates(cands, tipoffs, adverts)
    assert parts.tipoffs.tolist() == [1, 2, 0]
    assert parts.adverts.tolist() == [3, 0, 0]
    assert parts.score[0] == pytest.approx(60 + 8 * 1.5 + 6 * 2)
    assert parts.score[1] == pytest.approx(30 + 8 * 1.0 + 8 * 0.5)
    assert parts.score[2] == pytest.approx(10)


def test_pri003_the_parts_are_said_in_words_and_add_up() -> None:
    cands = pd.DataFrame(
        {
            "id": [10, 11, 12, 13],
            "easting": [0.0, 10_000.0, 20_000.0, 40_000.0],
            "northing": [0.0, 0.0, 0.0, 0.0],
            "risk": ["high", "medium", None, "low"],
        }
    )
    tipoffs = pd.DataFrame(
        {
            "easting": [100.0, 5_000.0, 10_200.0] + [40_050.0] * 5,
            "northing": [0.0] * 8,
            "grade_intel": ["A", "C", "E", "A", "A", "B", None, "A"],
            "linked_premises_id": [np.nan, 11, 11] + [np.nan] * 5,
        }
    )
    adverts = pd.DataFrame({"easting": [0.0, 0.0, 0.0], "northing": [10.0, 20.0, 30.0]})
    frame = score_candidates(cands, tipoffs, adverts).frame()
    assert frame["priority_why"].tolist() == [
        "high risk 60 + 1 tip-off (grade A) 12 + 3 adverts 12",
        "medium risk 30 + 2 tip-offs (grades C, E) 12 + no adverts",
        "risk not rated 10 + no tip-offs + no adverts",
        "low risk 10 + 5 tip-offs (grades ?, A×3, B) 30 (at most 30) + no adverts",
    ]
    parts = frame["risk_points"] + frame["tipoff_points"] + frame["advert_points"]
    assert np.allclose(parts, frame["priority"])


def test_pri002_neighbour_pairs_matches_brute_force() -> None:
    rng = np.random.default_rng(3)
    c = rng.uniform(0, 5_000, (1_300, 2))
    p = rng.uniform(0, 5_000, (900, 2))
    ci, pj = neighbour_pairs(c[:, 0], c[:, 1], p[:, 0], p[:, 1], 250.0)
    d = np.hypot(c[:, None, 0] - p[None, :, 0], c[:, None, 1] - p[None, :, 1])
    want = set(zip(*np.nonzero(d <= 250.0), strict=True))
    assert set(zip(ci.tolist(), pj.tolist(), strict=True)) == {(int(a), int(b)) for a, b in want}


def test_cap001_over_allocation() -> None:
    loads = {(1, DAYS[0]): 7, (1, DAYS[1]): 5, (2, DAYS[0]): 3}
    warnings = over_allocation(loads, {1: 6, 2: 3}, {1: "Alpha 1", 2: "Bravo 2"})
    assert [w.call_sign for w in warnings] == ["Alpha 1"]
    assert "1 over" in warnings[0].message()


def test_pri009_map_priorities_agree_with_the_planning_page_and_survive_a_status_change(
    services,
) -> None:
    """The map's hover and panel score from the map frame; the planning page reads the
    database: both must say the same for every premises, and a status change (which does not
    change any score) must not make the map score everything again."""
    import datetime as dt

    from layers.cache import PRIORITIES
    from layers.core.demo import monday_of, seed_demo
    from layers.core.models import Location
    from layers.planning.candidates import candidate_frame, current_priorities
    from layers.planning.status_changes import set_status

    with services.db.write() as s:
        seed_demo(s, services.postcodes, services.districts, monday_of(dt.date.today()),
                  services.config.phone_key)
    with services.db.read() as s:
        page = candidate_frame(s).set_index("id")[["priority", "priority_why"]]
    mapped = current_priorities(services.db)
    assert len(page) > 100
    pd.testing.assert_frame_equal(mapped.loc[page.index, ["priority", "priority_why"]], page,
                                  check_names=False)
    premises = int(page.index[0])
    with services.db.write() as s:
        version = s.get(Location, premises).version
        current = s.get(Location, premises).status
        target = "no_further_action" if current == "unplanned" else "unplanned"
        set_status(s, premises, target, version, "tester")
    again = current_priorities(services.db)
    assert again is mapped  # the same scores, found by the content of their inputs
    assert PRIORITIES.get((services.db.url, services.db.revision())) is mapped
