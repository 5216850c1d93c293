"""Near-duplicate text: datasketch's MinHash and LSH buckets, reproduced for a whole corpus."""

from __future__ import annotations

import numpy as np
import pandas as pd
from datasketch import MinHash, MinHashLSH

from layers.networks import text as tx

TEXTS = pd.Series(
    [
        "Hi I am Anna, new in town; call me for a relaxing time near the station",
        "hi i am anna NEW in town, call me for a relaxing time near the park",
        "Hi I am Bella, new in town; call me for a relaxing time near the station",
        "Totally different words about car washes and nail bars in Preston",
        "short",
        "",
        None,
        "Café owners' meeting: naïve plans",
    ]
)


def _lowbits(value: object) -> int:
    return int(value) & 0xFFFFFFFF  # type: ignore[call-overload]


def test_net010_signatures_are_datasketch_minhash():
    shingles = tx.shingle(tx.tokenise(TEXTS))
    sig, counts = tx.signatures(shingles, len(TEXTS))
    for doc in range(len(TEXTS)):
        values = shingles.hashes[shingles.code[shingles.doc == doc]]
        expected = MinHash(num_perm=tx.NUM_PERM, seed=tx.SEED, hashfunc=_lowbits)
        if len(values):
            expected.update_batch(values.tolist())
        assert np.array_equal(expected.hashvalues, sig[doc])
        assert counts[doc] == len(values)
    assert counts[5] == counts[6] == 0


def test_net011_buckets_are_datasketch_lsh_buckets():
    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(40)]
    base = [" ".join(rng.choice(words, size=12)) for _ in range(15)]
    corpus = pd.Series([b + (" extra" * (i % 3)) for i, b in enumerate(base * 2)])
    shingles = tx.shingle(tx.tokenise(corpus))
    sig, _ = tx.signatures(shingles, len(corpus))
    bands, rows = tx.lsh_shape(0.4)
    found = tx.candidate_pairs(tx.band_keys(sig, bands, rows), np.ones(len(corpus), bool), 99)
    lsh = MinHashLSH(num_perm=tx.NUM_PERM, params=(bands, rows))
    for doc in range(len(corpus)):
        m = MinHash(num_perm=tx.NUM_PERM, seed=tx.SEED, hashvalues=sig[doc], scheme="affine32")
        lsh.insert(doc, m)
    expected = set()
    for doc in range(len(corpus)):
        m = MinHash(num_perm=tx.NUM_PERM, seed=tx.SEED, hashvalues=sig[doc], scheme="affine32")
        expected |= {(min(doc, o), max(doc, o)) for o in lsh.query(m) if o != doc}
    assert set(zip(found["a"], found["b"], strict=True)) == expected
    assert expected


def test_net012_words_ignore_case_punctuation_apostrophes_and_accents():
    tokens = tx.tokenise(TEXTS)
    first = tokens.vocabulary[tokens.code[tokens.doc == 0]].tolist()
    assert first[:4] == ["hi", "i", "am", "anna"]
    last = tokens.vocabulary[tokens.code[tokens.doc == 7]].tolist()
    assert last == ["caf", "owners", "meeting", "nave", "plans"]


def test_net013_weights_fall_with_spread_and_stock_shingles_are_worth_nothing():
    weights = tx.shingle_weights(np.array([1, 2, 4, 9, 10, 300]), cap=10)
    assert weights.tolist() == [1.0, 0.5, 0.25, 1 / 9, 0.0, 0.0]


def test_net014_weighted_jaccard_counts_shared_weight_over_union():
    doc = np.array([0, 0, 0, 1, 1])
    code = np.array([0, 1, 2, 0, 3])
    weights = np.array([0.5, 1.0, 1.0, 1.0])
    matrix = tx.weighted_matrix(doc, code, weights, 2)
    # shared: code 0 (0.5); union: 0.5 + 1 + 1 + 1
    assert tx.weighted_jaccard(matrix, np.array([0]), np.array([1])).tolist() == [0.5 / 3.5]


def test_net015_bucket_matches_finds_known_documents_in_the_same_buckets():
    shingles = tx.shingle(tx.tokenise(TEXTS))
    sig, counts = tx.signatures(shingles, len(TEXTS))
    keys = tx.band_keys(sig, *tx.lsh_shape(0.4))
    usable = counts >= 4
    found = tx.bucket_matches(keys, usable, keys[[1]], window=5)
    assert 0 in set(found["known"]) and 3 not in set(found["known"])
