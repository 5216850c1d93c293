"""Near-duplicate advert text: word shingles, common phrases weighted out, MinHash LSH.

Controllers keep their wording when they change numbers, so near-duplicate text links adverts
across a phone change. Unrelated adverts also share stock phrases ("new in town", "100% real
pics") and agency boilerplate; matching on those merges strangers. So a shingle (three words)
that recurs across many unrelated identities (phone or photo groups) is dropped before hashing:
similarity is measured on what is distinctive in an advert, never on the boilerplate.

MinHash follows datasketch's ``affine32`` scheme exactly (its permutations, the MurmurHash3
finalizer pre-mix) and the LSH band shape comes from :class:`datasketch.MinHashLSH`'s optimiser;
the signatures and buckets are computed for the whole corpus at once in numpy (the per-object
datasketch API costs tens of microseconds per advert, which 100,000 adverts cannot afford).
``tests/networks/test_text.py`` checks both against datasketch itself.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
from datasketch import MinHash, MinHashLSH
from scipy import sparse

_KEEP = b"abcdefghijklmnopqrstuvwxyz0123456789"
_TABLE = bytes(c if c in _KEEP else ord("|") if c == 0 else ord(" ") for c in range(256))

SHINGLE_WORDS = 3
THREADS = 2
"""Threads for the numpy-heavy steps (numpy releases the GIL in them)."""
NUM_PERM = 64
SEED = 1
_M32 = (np.uint32(0x85EBCA6B), np.uint32(0xC2B2AE35))
_M64 = (np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
_K = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F))


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """Distinct values in order, by one sort (numpy's hash-based ``unique`` is many times
    slower on millions of 64-bit keys)."""
    ordered = np.sort(values, kind="stable")
    if len(ordered) == 0:
        return ordered
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]]


def _fmix(
    values: np.ndarray, dtype: type[np.unsignedinteger], shifts: tuple[int, int, int],
    multipliers: tuple[np.unsignedinteger, np.unsignedinteger],
) -> np.ndarray:
    """MurmurHash3's finalizer at either width: xor-shift, multiply, xor-shift, multiply,
    xor-shift (the widths differ only in their shifts and multipliers)."""
    h = values.astype(dtype)
    for shift, multiplier in zip(shifts[:2], multipliers, strict=True):
        h = h ^ (h >> dtype(shift))
        h = h * multiplier
    return h ^ (h >> dtype(shifts[-1]))


def fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (datasketch's pre-mix of each input hash)."""
    return _fmix(values, np.uint32, (16, 13, 16), _M32)


def fmix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer: an avalanching bijection to spread combined keys."""
    return _fmix(values, np.uint64, (33, 33, 33), _M64)


@dataclass(frozen=True)
class Tokens:
    """Every word of every text: its document and its code in ``vocabulary``."""

    doc: np.ndarray
    code: np.ndarray
    vocabulary: np.ndarray
    hashes: np.ndarray


def tokenise(texts: pd.Series) -> Tokens:
    """Lower-cased words of ``texts`` (positions 0..n-1), with stable 64-bit word hashes.

    Shingles run across sentence ends on purpose: which sentences a writer puts after which is
    as much a habit as the sentences themselves, and unrelated writers share whole stock
    sentences but rarely the joins between them. Word hashes
    depend only on the word (pandas' fixed-key hash), so shingles hash the same in a full
    rebuild and when a new day is linked into existing networks. The corpus is scanned as one
    byte string (documents separated by NUL, read as ``|``) with a translation table: letters
    and digits are words, apostrophes and accents vanish (``i'm`` is ``im``), anything else
    separates. That is several times faster than a regular expression text by text.
    """
    values = texts.fillna("").astype(str).tolist()
    joined = "\x00".join(v.replace("\x00", " ") for v in values).lower()
    raw = joined.encode("ascii", "ignore").translate(_TABLE, b"'")
    words = raw.replace(b"|", b" | ").split()
    codes, vocabulary = pd.factorize(np.array(words, dtype=object))
    vocabulary = np.array([v.decode() for v in vocabulary], dtype=object)
    is_sep = (vocabulary == "|")[codes]
    doc = np.cumsum(is_sep)
    keep = ~is_sep
    hashes = pd.util.hash_array(vocabulary, categorize=False)
    return Tokens(doc[keep], codes[keep].astype(np.int64), vocabulary, hashes)


@dataclass(frozen=True)
class Shingles:
    """Distinct (document, shingle) pairs sorted by document; ``code`` indexes ``hashes``."""

    doc: np.ndarray
    code: np.ndarray
    hashes: np.ndarray

    def subset(self, keep: np.ndarray) -> Shingles:
        return Shingles(self.doc[keep], self.code[keep], self.hashes)


def shingle(tokens: Tokens, width: int = SHINGLE_WORDS) -> Shingles:
    """Runs of ``width`` consecutive words of each document (a shorter document is one)."""
    h = tokens.hashes[tokens.code]
    doc = tokens.doc
    n = len(doc)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Shingles(empty, empty, np.zeros(0, dtype=np.uint64))
    starts = np.flatnonzero(np.r_[True, doc[1:] != doc[:-1]])
    lengths = np.diff(np.r_[starts, n])
    valid = np.zeros(n, dtype=bool)
    if n >= width:
        valid[: n - width + 1] = doc[: n - width + 1] == doc[width - 1 :]
    combined = h.copy()
    for k in range(1, width):
        shifted = np.zeros(n, dtype=np.uint64)
        shifted[: n - k] = np.where(doc[k:] == doc[: n - k], h[k:], np.uint64(0))
        combined = combined * _K[k % 2] + shifted
    valid[starts[lengths < width]] = True
    codes, hashes = pd.factorize(fmix64(combined[valid]))
    keys = sorted_unique(doc[valid] * np.int64(len(hashes)) + codes)
    return Shingles(keys // len(hashes), keys % len(hashes), np.asarray(hashes, dtype=np.uint64))


def spread_and_frequency(shingles: Shingles, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per shingle code: documents containing it and its ``spread``, the distinct identity
    groups (``groups[doc]``: adverts already tied by phone) among them."""
    size = len(shingles.hashes)
    docs = np.bincount(shingles.code, minlength=size)
    pairs = sorted_unique(
        shingles.code * np.int64(groups.max(initial=0) + 1) + groups[shingles.doc]
    )
    spread = np.bincount(pairs // np.int64(groups.max(initial=0) + 1), minlength=size)
    return docs, spread


def shingle_weights(spread: np.ndarray, cap: int) -> np.ndarray:
    """Weight of each shingle: ``1/spread``, and 0 from ``cap`` identity groups up.

    A shingle only one identity uses is worth 1; one shared by four unrelated identities is
    worth a quarter; stock phrases and boilerplate (``cap`` or more) are worth nothing and are
    not even hashed. Similarity is thus carried by what is distinctive in an advert.
    """
    spread = np.asarray(spread, dtype=np.float64)
    return np.where(spread < cap, 1.0 / np.maximum(spread, 1.0), 0.0)


def weighted_matrix(
    doc: np.ndarray, code: np.ndarray, weights: np.ndarray, n_docs: int
) -> sparse.csr_matrix:
    """Documents x shingles, each cell the shingle's weight (0-weight shingles left out)."""
    keep = weights[code] > 0
    return sparse.csr_matrix(
        (weights[code][keep], (doc[keep], code[keep])), shape=(n_docs, len(weights))
    )


def bucket_matches(
    known: np.ndarray, usable: np.ndarray, query: np.ndarray, window: int
) -> pd.DataFrame:
    """Pairs (``query`` position, ``known`` document) sharing a bucket in some band: the same
    buckets as :func:`candidate_pairs`, for new documents against indexed ones, at most
    ``window`` known documents per bucket and band (in the same per-band shuffled order)."""
    docs = np.flatnonzero(usable)
    found_q: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    found_k: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    for band in range(known.shape[1]):
        k = known[docs, band]
        order = np.lexsort((fmix64(docs.astype(np.uint64) + np.uint64(band + 1)), k))
        k, d = k[order], docs[order]
        lo = np.searchsorted(k, query[:, band], side="left")
        for w in range(window):
            at = np.minimum(lo + w, len(k) - 1)
            hit = (lo + w < len(k)) & (k[at] == query[:, band])
            found_q.append(np.flatnonzero(hit))
            found_k.append(d[at[hit]])
    pairs = pd.DataFrame({"query": np.concatenate(found_q), "known": np.concatenate(found_k)})
    return pairs.drop_duplicates(ignore_index=True)


def weighted_jaccard(matrix: sparse.csr_matrix, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Weighted Jaccard similarity of documents ``a[i]`` and ``b[i]``: shared weight over the
    weight of the union of their shingles."""
    out = np.zeros(len(a), dtype=np.float64)
    totals = np.asarray(matrix.sum(axis=1)).ravel()
    step = 200_000
    for lo in range(0, len(a), step):
        pa, pb = a[lo : lo + step], b[lo : lo + step]
        shared = np.asarray(matrix[pa].multiply(matrix[pb]).sqrt().sum(axis=1)).ravel()
        union = totals[pa] + totals[pb] - shared
        out[lo : lo + step] = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    return out


def lsh_shape(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows) from datasketch's optimiser, weighted towards recall: the linker verifies
    every candidate, so a missed pair costs more than a false candidate."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.3, 0.7))
    return int(lsh.b), int(lsh.r)


def signatures(
    shingles: Shingles, n_docs: int, num_perm: int = NUM_PERM, seed: int = SEED
) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures (``n_docs`` x ``num_perm`` uint32) and how many shingles each has.

    Identical to ``datasketch.MinHash(num_perm, seed, hashfunc=<low 32 bits>)`` fed the same
    shingles. Documents without shingles keep the all-ones signature and a count of 0.
    """
    a, b = MinHash(num_perm=num_perm, seed=seed).permutations
    a = a.astype(np.uint32)
    b = b.astype(np.uint32)
    sig = np.full((n_docs, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    counts = np.bincount(shingles.doc, minlength=n_docs)
    if len(shingles.doc) == 0:
        return sig, counts
    values = shingles.hashes[shingles.code]
    mixed = fmix32((values & np.uint64(0xFFFFFFFF)).astype(np.uint32))
    bounds = np.r_[0, np.cumsum(counts)]

    def fill(span: tuple[int, int]) -> None:
        doc, end = span
        lo, hi = bounds[doc], bounds[end]
        if hi > lo:
            permuted = mixed[lo:hi, None] * a[None, :] + b[None, :]
            has = counts[doc:end] > 0
            firsts = (bounds[doc:end] - lo)[has]
            sig[doc:end][has] = np.minimum.reduceat(permuted, firsts, axis=0)

    # numpy releases the GIL here, so two threads use both cores; chunks write disjoint rows.
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(fill, _doc_chunks(bounds, 2_000_000 // num_perm)))
    return sig, counts


def _doc_chunks(bounds: np.ndarray, size: int) -> list[tuple[int, int]]:
    """Runs of documents holding about ``size`` shingles each."""
    n_docs, doc, out = len(bounds) - 1, 0, []
    while doc < n_docs:
        end = int(np.searchsorted(bounds, bounds[doc] + max(1, size), side="right")) - 1
        end = min(max(end, doc + 1), n_docs)
        out.append((doc, end))
        doc = end
    return out


def band_keys(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per document and band: equal keys = equal band (a datasketch bucket)."""
    keys = np.zeros((sig.shape[0], bands), dtype=np.uint64)
    for band in range(bands):
        k = np.zeros(sig.shape[0], dtype=np.uint64)
        for j in range(band * rows, (band + 1) * rows):
            k = k * _K[0] + sig[:, j].astype(np.uint64)
        keys[:, band] = fmix64(k ^ np.uint64(band))
    return keys


def candidate_pairs(keys: np.ndarray, usable: np.ndarray, window: int = 3) -> pd.DataFrame:
    """Pairs ``(a, b)``, ``a < b``, sharing a bucket in some band.

    Within a bucket each document is paired with its next ``window`` neighbours in a
    pseudo-random order that differs per band: large buckets (a network's many re-posts) give
    linear, not quadratic, work, while the bands together still tie the bucket together.
    """
    docs = np.flatnonzero(usable)
    n = np.int64(len(usable))

    def band_pairs(band: int) -> np.ndarray:
        k = keys[docs, band]
        order = np.lexsort((fmix64(docs.astype(np.uint64) + np.uint64(band + 1)), k))
        k, d = k[order], docs[order]
        found = [np.zeros(0, dtype=np.int64)]
        for w in range(1, window + 1):
            same = k[:-w] == k[w:]
            a, b = d[:-w][same], d[w:][same]
            found.append(np.minimum(a, b) * n + np.maximum(a, b))
        return np.concatenate(found)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        found = list(pool.map(band_pairs, range(keys.shape[1])))
    pairs = sorted_unique(np.concatenate([np.zeros(0, dtype=np.int64), *found]))
    return pd.DataFrame({"a": pairs // n, "b": pairs % n})
