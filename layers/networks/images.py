"""Photos: 64-bit perceptual hashes, near-identical within a few bits, found through an index.

Adverts re-use photos, and every re-upload is re-encoded, so the perceptual hashes of one photo
differ by a few bits. Comparing all pairs is quadratic; instead each hash is split into ``m``
bands (multi-index hashing). Two hashes within ``radius`` bits differ in at most
``radius // m`` bits in some band (pigeonhole), so looking each band up exactly and, when that
is 1, with each single bit flipped finds every near pair; candidates are verified by popcount.
Three bands of 21-22 bits serve radii up to 5 (few, selective buckets); four bands of 16 bits
serve 6 and 7. Near pairs are joined into photo clusters (one photo and its re-encodings).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

HEX_HASH = r"[0-9a-fA-F]{16}"
MAX_RADIUS = 7
DEFAULT_RADIUS = 5


def parse_image_hashes(values: pd.Series) -> pd.DataFrame:
    """Long form (``row``, ``hash`` as uint64) of ``;``/``,`` separated 16-hex-digit hashes.

    ``row`` is the position in ``values``; anything that is not 16 hex digits is ignored here
    (the importer reports it).
    """
    parts = values.reset_index(drop=True).astype("string").str.split(r"[;,\s]+", regex=True)
    long = parts.explode().dropna()
    long = long[long.str.fullmatch(HEX_HASH)]
    codes, uniques = pd.factorize(long.str.lower())
    table = np.array([int(h, 16) for h in uniques], dtype=np.uint64)
    frame = pd.DataFrame({"row": long.index.to_numpy(dtype=np.int64), "hash": table[codes]})
    return frame.drop_duplicates(ignore_index=True)


def invalid_image_hashes(values: pd.Series) -> pd.Series:
    """Rows whose ``image_hashes`` cell has a part that is not 16 hex digits (for the report)."""
    parts = values.astype("string").str.split(r"[;,\s]+", regex=True).explode().dropna()
    parts = parts[parts != ""]
    bad = ~parts.str.fullmatch(HEX_HASH)
    return bad.groupby(level=0).any().reindex(values.index, fill_value=False)


def popcount(values: np.ndarray) -> np.ndarray:
    """Bits set in each uint64."""
    return np.bitwise_count(values.astype(np.uint64))


def _bands(hashes: np.ndarray, m: int) -> tuple[np.ndarray, list[int]]:
    """The ``m`` bands of each hash as integers, and each band's width in bits."""
    widths = [64 // m + (1 if i < 64 % m else 0) for i in range(m)]
    out = np.zeros((len(hashes), m), dtype=np.int64)
    shift = 0
    for i, width in enumerate(widths):
        out[:, i] = ((hashes >> np.uint64(shift)) & np.uint64((1 << width) - 1)).astype(np.int64)
        shift += width
    return out, widths


class _Buckets:
    """One band of every hash, bucketed by value: a lookup is two array reads, no search."""

    def __init__(self, keys: np.ndarray, width: int) -> None:
        self.order = np.argsort(keys, kind="stable")
        self.counts = np.bincount(keys, minlength=1 << width)
        self.starts = np.cumsum(self.counts) - self.counts

    def matches(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """All (query position, key position) pairs with equal band values."""
        counts = self.counts[query]
        a = np.repeat(np.arange(len(query)), counts)
        first = np.repeat(self.starts[query] - (np.cumsum(counts) - counts), counts)
        return a, self.order[first + np.arange(len(a))]


class PhotoIndex:
    """Known hashes, banded and bucketed once, answering "which are within ``radius`` bits?"."""

    def __init__(self, hashes: np.ndarray, radius: int = DEFAULT_RADIUS) -> None:
        if not 0 <= radius <= MAX_RADIUS:
            raise ValueError(f"radius must be 0..{MAX_RADIUS} bits")
        self.hashes = np.asarray(hashes, dtype=np.uint64)
        self.radius = radius
        self.m = 3 if radius <= 5 else 4
        bands, self.widths = _bands(self.hashes, self.m)
        self.buckets = [_Buckets(bands[:, i], w) for i, w in enumerate(self.widths)]

    def query(self, hashes: np.ndarray) -> pd.DataFrame:
        """Pairs (``query`` position, ``known`` position, ``bits``) within the radius."""
        hashes = np.asarray(hashes, dtype=np.uint64)
        bands, _ = _bands(hashes, self.m)
        found_a: list[np.ndarray] = []
        found_b: list[np.ndarray] = []
        for band, width in enumerate(self.widths):
            single = self.radius // self.m >= 1
            for flip in [0] + ([1 << bit for bit in range(width)] if single else []):
                a, b = self.buckets[band].matches(bands[:, band] ^ flip)
                keep = popcount(hashes[a] ^ self.hashes[b]) <= self.radius
                found_a.append(a[keep])
                found_b.append(b[keep])
        pairs = pd.DataFrame({"query": np.concatenate(found_a), "known": np.concatenate(found_b)})
        pairs = pairs.drop_duplicates(ignore_index=True)
        q, k = pairs["query"].to_numpy(), pairs["known"].to_numpy()
        return pairs.assign(bits=popcount(hashes[q] ^ self.hashes[k]))


def near_pairs(hashes: np.ndarray, radius: int = DEFAULT_RADIUS) -> pd.DataFrame:
    """Pairs ``(a, b)`` (positions, ``a < b``) of distinct hashes within ``radius`` bits.

    ``hashes`` should be unique. Three bands and single-bit flips check about
    ``66 * n * n / 2**21`` candidates rather than ``n * n / 2``.
    """
    hashes = np.asarray(hashes, dtype=np.uint64)
    pairs = PhotoIndex(hashes, radius).query(hashes)
    pairs = pairs[pairs["query"] < pairs["known"]]
    return pd.DataFrame(
        {"a": pairs["query"].to_numpy(), "b": pairs["known"].to_numpy(), "bits": pairs["bits"]}
    ).reset_index(drop=True)


@dataclass(frozen=True)
class PhotoClusters:
    """Photo occurrences (``row``, ``hash``, ``photo``), the distinct hashes with their photo,
    and each photo's largest difference in bits between two of its re-encodings."""

    occurrences: pd.DataFrame
    hashes: np.ndarray
    photo_of_hash: np.ndarray
    max_bits: np.ndarray


def photo_clusters(occurrences: pd.DataFrame, radius: int = DEFAULT_RADIUS) -> PhotoClusters:
    """Group hashes within ``radius`` bits of each other into photos (connected components)."""
    codes, uniques = pd.factorize(occurrences["hash"].to_numpy())
    hashes = np.asarray(uniques, dtype=np.uint64)
    n = len(hashes)
    if n == 0:
        none = np.zeros(0, dtype=np.int64)
        return PhotoClusters(occurrences.assign(photo=none), hashes, none, none)
    pairs = near_pairs(hashes, radius)
    graph = coo_matrix(
        (np.ones(len(pairs)), (pairs["a"].to_numpy(), pairs["b"].to_numpy())), shape=(n, n)
    )
    _, label = connected_components(graph, directed=False)
    label = label.astype(np.int64)
    max_bits = np.zeros(label.max() + 1, dtype=np.int64)
    np.maximum.at(max_bits, label[pairs["a"].to_numpy()], pairs["bits"].to_numpy())
    return PhotoClusters(occurrences.assign(photo=label[codes]), hashes, label, max_bits)
