"""Circuits: districts by day, moves, "new in town" alerts and their scoring, hand-counted."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from layers.networks.circuits import daily_places, districts_by_day, moves, new_in_town
from layers.networks.scoring import moves_found, pairwise

MON = dt.date(2026, 11, 30)
BPL, PRE, LAN = "E06000009", "E07000123", "E07000121"


def _day(n: int) -> dt.date:
    return MON + dt.timedelta(days=n)


# network 0: Blackpool Mon-Tue (one stray Preston geotag Tue), Preston Wed, Lancaster Fri.
# network 1: Preston all week.
LABELS = np.array([0, 0, 0, 0, 0, 0, 0, 1, 1])
DAYS = pd.Series([_day(0), _day(1), _day(1), _day(1), _day(2), _day(2), _day(4), _day(0), _day(3)])
DISTRICTS = pd.Series([BPL, BPL, BPL, PRE, PRE, PRE, LAN, PRE, PRE])
ORDER = np.arange(len(LABELS))


def test_net040_districts_by_day_counts_adverts():
    table = districts_by_day(LABELS, DAYS, DISTRICTS)
    got = {(r.network, r.day, r.district_code): r.adverts for r in table.itertuples()}
    assert got == {
        (0, _day(0), BPL): 1,
        (0, _day(1), BPL): 2,
        (0, _day(1), PRE): 1,
        (0, _day(2), PRE): 2,
        (0, _day(4), LAN): 1,
        (1, _day(0), PRE): 1,
        (1, _day(3), PRE): 1,
    }


def test_net041_moves_follow_the_district_of_most_adverts_each_day():
    found = moves(daily_places(LABELS, DAYS, DISTRICTS, ORDER))
    assert found.to_dict("records") == [
        {"network": 0, "from": BPL, "to": PRE, "day": _day(2)},
        {"network": 0, "from": PRE, "to": LAN, "day": _day(4)},
    ]


def test_net042_a_tie_goes_to_the_earliest_advert_of_the_day():
    places = daily_places(
        np.array([0, 0]), pd.Series([_day(0)] * 2), pd.Series([LAN, PRE]), np.array([1, 0])
    )
    assert places["district_code"].tolist() == [PRE]


def test_net043_new_in_town_alerts_skip_the_first_place_a_network_is_seen():
    stamps = pd.Series(pd.to_datetime([f"2026-11-30T{h:02d}:00Z" for h in range(len(LABELS))]))
    alerts = new_in_town(LABELS, stamps, DISTRICTS)
    assert alerts[["network", "district_code", "row"]].to_dict("records") == [
        {"network": 0, "district_code": PRE, "row": 3},
        {"network": 0, "district_code": LAN, "row": 6},
    ]


def test_net044_pairwise_scores_and_moves_found_are_hand_counted():
    truth = np.array([0, 0, 0, 1, 1, 2])
    predicted = np.array([5, 5, 7, 7, 7, 8])
    score = pairwise(truth, predicted)
    # predicted pairs: (0,1) + (2,3),(2,4),(3,4) = 4; true: 3 + 1 = 4; agreeing: (0,1),(3,4) = 2
    assert (score.predicted_pairs, score.true_pairs, score.agreeing_pairs) == (4, 4, 2)
    assert score.precision == score.recall == 0.5
    true_moves = pd.DataFrame(
        [
            {"network": 0, "from": BPL, "to": PRE, "day": _day(2)},
            {"network": 1, "from": PRE, "to": LAN, "day": _day(4)},
            {"network": 1, "from": LAN, "to": BPL, "day": _day(6)},
        ]
    )
    found = pd.DataFrame(
        [
            {"network": 5, "from": BPL, "to": PRE, "day": _day(3)},
            {"network": 7, "from": PRE, "to": LAN, "day": _day(6)},
            {"network": 7, "from": LAN, "to": BPL, "day": _day(5)},
        ]
    )
    assert moves_found(truth, predicted, true_moves, found) == 2 / 3
