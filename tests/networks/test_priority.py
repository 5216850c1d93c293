"""The priority score's network part, hand-counted."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from layers.planning.priority import network_part, score_candidates

FACTS = pd.DataFrame(
    {
        "location_id": [7, 9],
        "network_id": [12, 40],
        "adverts": [23, 2],
        "districts": [3, 1],
        "moved_on": [dt.date(2026, 12, 2), None],  # a Wednesday
    }
)


def test_net100_linked_networks_add_points_and_say_why():
    points, notes = network_part(np.array([5, 7, 9]), FACTS)
    assert points.tolist() == [0.0, 15.0, 10.0]
    assert notes.tolist() == [
        "",
        "linked to network N12: 23 adverts, 3 districts, moved Wednesday",
        "linked to network N40: 2 adverts, 1 district",
    ]


def test_net101_the_score_adds_the_network_part_to_the_others():
    candidates = pd.DataFrame(
        {"id": [7, 8], "easting": [0.0, 9000.0], "northing": [0.0, 0.0], "risk": ["high", "low"]}
    )
    none = pd.DataFrame(columns=["easting", "northing", "grade_intel", "linked_premises_id"])
    parts = score_candidates(candidates, none, pd.DataFrame(columns=["easting", "northing"]), FACTS)
    assert parts.score.tolist() == [60.0 + 15.0, 10.0]
    frame = parts.frame()
    assert frame["network_points"].tolist() == [15.0, 0.0]
    assert frame["network_note"].iloc[0].startswith("linked to network N12")
