"""Combining evidence: strong links join, weak links need support, boilerplate never merges."""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers.networks.evidence import LinkParams
from layers.networks.linking import combine, link_adverts
from tests.networks.conftest import words

BOILERPLATE = (
    "Booking through Velvet Rose companions. All our ladies are verified and over eighteen. "
    "Deposits may be requested for outcalls. Please read our terms before booking with us."
)
PHOTO_A = [0x1111111111111111 * k for k in (1, 2, 3)]
PHOTO_B = [0x0F0F0F0F0F0F0F0F ^ (k << 40) for k in (1, 2, 3)]


def _networks(labels: np.ndarray) -> list[list[int]]:
    frame = pd.Series(np.arange(len(labels))).groupby(labels).apply(list)
    return sorted(frame.tolist())


def test_net030_a_phone_change_is_bridged_by_the_wording(adverts):
    template = "Hi gents I am {name}, a sweet girl from Riga. " + words("lat")
    rows = [(template.format(name=n), "07700 900111", []) for n in ("Anna", "Anna", "Ines")]
    rows += [(template.format(name=n), "07700 900222", []) for n in ("Anna", "Ines", "Ines")]
    rows += [(words("other"), "07700 900333", [])]
    linked = link_adverts(adverts(rows))
    assert _networks(linked.labels) == [[0, 1, 2, 3, 4, 5], [6]]
    blank = [("", phone, photos) for _, phone, photos in rows]
    assert _networks(link_adverts(adverts(blank)).labels) == [[0, 1, 2], [3, 4, 5], [6]]


def test_net031_boilerplate_shared_by_unrelated_networks_never_merges(adverts):
    rows = []
    for n in range(12):
        for k in range(3):
            text = f"{words(f'n{n}w', 6)} slot{k}. {BOILERPLATE}"
            rows.append((text, f"07700 900{n:03d}", []))
    linked = link_adverts(adverts(rows))
    assert _networks(linked.labels) == [[3 * n, 3 * n + 1, 3 * n + 2] for n in range(12)]
    # The boilerplate was weighted out: what is left of each advert is its own wording.
    assert (linked.evidence.text.counts <= 8).all()


def test_net032_one_weak_link_cannot_merge_two_large_groups(adverts):
    a = [(words("alpha"), "07700 900001", [PHOTO_A[0]]) for _ in range(5)]
    b = [(words("beta"), "07700 900002", [PHOTO_B[0]]) for _ in range(5)]
    b[0] = (b[0][0], b[0][1], [PHOTO_B[0], PHOTO_A[0] ^ 0b101])  # one re-encoded shared photo
    linked = link_adverts(adverts(a + b))
    assert _networks(linked.labels) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    supported = [(t, p, [PHOTO_B[0], PHOTO_A[1]]) for t, p, _ in b[:3]] + b[3:]
    a2 = [(t, p, [PHOTO_A[0], PHOTO_A[1]]) for t, p, _ in a]
    assert _networks(link_adverts(adverts(a2 + supported)).labels) == [list(range(10))]


def test_net033_an_advert_resembling_two_networks_joins_one_and_bridges_nothing(adverts):
    a = [(words("alpha"), "07700 900001", [PHOTO_A[0]]) for _ in range(4)]
    b = [(words("beta"), "07700 900002", [PHOTO_B[0]]) for _ in range(4)]
    bridge = [("", "", [PHOTO_A[0] ^ 1, PHOTO_B[0] ^ 2])]
    labels = link_adverts(adverts(a + b + bridge)).labels
    assert labels[0] != labels[4]
    assert labels[8] in (labels[0], labels[4])


def test_net034_stock_photos_and_agency_lines_link_nothing(adverts):
    stock = 0x5A5A5A5A5A5A5A5A
    rows = [(words(f"s{n}x"), f"07700 900{n:03d}", [stock ^ (1 << n)]) for n in range(6)]
    assert len(_networks(link_adverts(adverts(rows)).labels)) == 6
    agency = "07700 900999"
    rows = [(words(f"h{n}x"), f"07700 900{n:03d}; {agency}", []) for n in range(8)]
    linked = link_adverts(adverts(rows))
    assert len(_networks(linked.labels)) == 8
    assert len(linked.evidence.hub_phones) == 1


def test_net035_guard_needs_support_in_proportion_to_the_smaller_group():
    params = LinkParams(guard_size=3, guard_ratio=0.5)
    strong = pd.DataFrame({"a": [0, 0, 0, 4, 4, 4], "b": [1, 2, 3, 5, 6, 7]})
    weak_one = pd.DataFrame({"a": [0], "b": [4], "score": [0.9]})
    assert _networks(combine(8, strong, weak_one, params)) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    weak_two = pd.DataFrame({"a": [0, 1], "b": [4, 5], "score": [0.9, 0.8]})
    assert _networks(combine(8, strong, weak_two, params)) == [list(range(8))]
    weak_small = pd.DataFrame({"a": [8], "b": [0], "score": [0.5]})
    assert _networks(combine(9, strong, weak_small, params))[0] == [0, 1, 2, 3, 8]


def test_net036_existing_networks_stay_together_and_are_numbered_by_first_advert():
    initial = np.array([5, 5, 9, 9, -1])
    none = pd.DataFrame({"a": [], "b": []})
    weak = pd.DataFrame({"a": [4], "b": [2], "score": [0.7]})
    assert combine(5, none, weak, LinkParams(), initial).tolist() == [0, 0, 1, 1, 1]
