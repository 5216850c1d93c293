"""Photos: perceptual hashes parsed, near-identical ones found through the band index."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from layers.networks.images import (
    PhotoIndex,
    invalid_image_hashes,
    near_pairs,
    parse_image_hashes,
    photo_clusters,
    popcount,
)


def _flip(values: np.ndarray, bits: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    out = values.copy()
    for i, k in enumerate(bits):
        for bit in rng.choice(64, size=int(k), replace=False):
            out[i] ^= np.uint64(1) << np.uint64(bit)
    return out


def test_net020_hashes_parse_with_either_separator_and_bad_parts_are_reported():
    values = pd.Series(["00000000000000ff;00000000000000fe", "ABCDEF0123456789, nothex", None])
    frame = parse_image_hashes(values)
    assert frame["row"].tolist() == [0, 0, 1]
    assert frame["hash"].tolist() == [255, 254, 0xABCDEF0123456789]
    assert invalid_image_hashes(values).tolist() == [False, True, False]


@pytest.mark.parametrize("radius", [3, 5, 7])
def test_net021_index_finds_exactly_the_pairs_brute_force_finds(radius):
    rng = np.random.default_rng(radius)
    base = rng.integers(0, 2**63, size=300, dtype=np.int64).astype(np.uint64)
    variants = _flip(base, rng.integers(0, 9, size=300), rng)
    hashes = np.unique(np.concatenate([base, variants]))
    found = near_pairs(hashes, radius)
    distance = popcount(hashes[:, None] ^ hashes[None, :])
    a, b = np.nonzero(np.triu(distance <= radius, k=1))
    assert set(zip(found["a"], found["b"], strict=True)) == set(zip(a, b, strict=True))
    assert (found["bits"].to_numpy() == distance[found["a"], found["b"]]).all()


def test_net022_reencodings_become_one_photo_and_new_hashes_query_the_index():
    rng = np.random.default_rng(7)
    photo = np.array([0x0123456789ABCDEF], dtype=np.uint64)
    copies = _flip(np.repeat(photo, 4), np.array([0, 2, 3, 4]), rng)
    other = np.array([0xFEDCBA9876543210], dtype=np.uint64)
    occurrences = pd.DataFrame({"row": [0, 1, 2, 3, 4], "hash": np.r_[copies, other]})
    clusters = photo_clusters(occurrences, radius=5).occurrences
    assert clusters["photo"].nunique() == 2
    assert clusters.loc[clusters["row"] < 4, "photo"].nunique() == 1
    index = PhotoIndex(np.r_[photo, other], radius=5)
    query = _flip(photo, np.array([5]), rng)
    assert index.query(query)[["query", "known", "bits"]].values.tolist() == [[0, 0, 5]]
