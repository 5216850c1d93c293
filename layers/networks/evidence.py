"""The three kinds of evidence between adverts, as pairs: shared phones, photos and wording.

Order matters because each kind is judged against the others. Phones come first: a number
listed beside many *different* numbers is a switchboard or agency line, not a controller's
phone, and links nothing. Text next: a shingle recurring across many phone groups is a stock
phrase or boilerplate and is dropped before hashing. Photos last: a photo seen under several
identities that neither phone nor wording ties together is a stock photo and links nothing
(a controller who rotates numbers keeps the wording, so his own photos are not mistaken).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from layers.networks import text as tx
from layers.networks.images import DEFAULT_RADIUS, PhotoClusters, photo_clusters


@dataclass(frozen=True)
class LinkParams:
    """Every threshold of the linker in one place (defaults measured in bench_networks)."""

    photo_radius: int = DEFAULT_RADIUS
    lsh_threshold: float = 0.4
    text_threshold: float = 0.3
    min_shingles: int = 4
    common_floor: int = 10
    common_fraction: float = 0.005
    stock_photo_spread: int = 4
    hub_cophones: int = 6
    guard_size: int = 3
    guard_ratio: float = 0.2
    window: int = 3


@dataclass(frozen=True)
class AdvertInputs:
    """What the linker reads about adverts at positions 0..n-1.

    ``texts``: title and masked text; ``phones``: long form ``row``, ``phone_hash``, ``last3``;
    ``photos``: long form ``row``, ``hash`` (uint64).
    """

    texts: pd.Series
    phones: pd.DataFrame
    photos: pd.DataFrame

    @property
    def n(self) -> int:
        return len(self.texts)


@dataclass(frozen=True)
class TextEvidence:
    """Words, shingle table (hash, spread and weight per code), signatures, LSH band keys,
    the weighted shingle matrix and the verified near-duplicate pairs."""

    tokens: tx.Tokens
    hashes: np.ndarray
    spread: np.ndarray
    weights: np.ndarray
    sig: np.ndarray
    counts: np.ndarray
    keys: np.ndarray
    matrix: sparse.csr_matrix
    pairs: pd.DataFrame


@dataclass(frozen=True)
class Evidence:
    """Pairs of adverts and what ties them, plus what was set aside as common."""

    n: int
    phone_pairs: pd.DataFrame
    pairs: pd.DataFrame
    phones: pd.DataFrame
    photos: pd.DataFrame
    hub_phones: frozenset[str]
    text: TextEvidence
    clusters: PhotoClusters


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected-component label of each of ``n`` nodes given undirected edges ``a``-``b``."""
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    return connected_components(graph, directed=False)[1].astype(np.int64)


def star_pairs(rows: np.ndarray, keys: np.ndarray) -> pd.DataFrame:
    """Pairs tying every row to the first row with the same key (linear in the rows)."""
    frame = pd.DataFrame({"row": rows, "key": keys}).drop_duplicates()
    frame = frame.sort_values(["key", "row"], kind="stable")
    first = frame.groupby("key", sort=False)["row"].transform("first")
    keep = frame["row"].to_numpy() != first.to_numpy()
    return pd.DataFrame({"a": first.to_numpy()[keep], "b": frame["row"].to_numpy()[keep]})


def hub_phones(phones: pd.DataFrame, cap: int) -> frozenset[str]:
    """Numbers listed beside ``cap`` or more other numbers: agency lines and switchboards."""
    pairs = phones.merge(phones, on="row")
    pairs = pairs[pairs["phone_hash_x"] != pairs["phone_hash_y"]]
    others = pairs.drop_duplicates(["phone_hash_x", "phone_hash_y"])["phone_hash_x"].value_counts()
    return frozenset(others.index[others.to_numpy() >= cap].tolist())


def groups_of(n: int, pairs: list[pd.DataFrame]) -> np.ndarray:
    """Connected components of ``n`` adverts over the union of ``pairs`` (columns a, b)."""
    edges = pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame({"a": [], "b": []})
    return components(n, edges["a"].to_numpy(np.int64), edges["b"].to_numpy(np.int64))


def common_cap(n_groups: int, params: LinkParams) -> int:
    """Identity groups from which a shingle counts as stock phrase or boilerplate."""
    return max(params.common_floor, int(np.ceil(params.common_fraction * n_groups)))


def phone_evidence(phones: pd.DataFrame, params: LinkParams) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Phones that link (hub lines set aside) and pairs tying adverts that share one."""
    hubs = hub_phones(phones, params.hub_cophones)
    kept = phones[~phones["phone_hash"].isin(hubs)]
    return kept, star_pairs(kept["row"].to_numpy(), kept["phone_hash"].to_numpy())


def stock_photos(
    occurrences: pd.DataFrame, identity: np.ndarray, has_phone: np.ndarray, params: LinkParams
) -> np.ndarray:
    """Whether each occurrence shows a stock photo: one seen under ``stock_photo_spread`` or more
    identities (adverts with a phone, tied by phone or wording) that nothing else ties
    together. Adverts without any phone do not count: they are exactly the ones a photo should
    attach to their network."""
    rows = occurrences["row"].to_numpy()
    spread = (
        occurrences.assign(group=identity[rows])[has_phone[rows]]
        .drop_duplicates(["photo", "group"])["photo"]
        .value_counts()
    )
    common = spread.index[spread.to_numpy() >= params.stock_photo_spread]
    return occurrences["photo"].isin(common).to_numpy()


def verify_text(
    matrix: sparse.csr_matrix, candidates: pd.DataFrame, params: LinkParams
) -> pd.DataFrame:
    """Candidate pairs kept when their weighted Jaccard reaches ``text_threshold``."""
    a, b = candidates["a"].to_numpy(np.int64), candidates["b"].to_numpy(np.int64)
    similarity = tx.weighted_jaccard(matrix, a, b)
    close = similarity >= params.text_threshold
    return pd.DataFrame({"a": a[close], "b": b[close], "text": similarity[close]})


def text_evidence(texts: pd.Series, groups: np.ndarray, params: LinkParams) -> TextEvidence:
    """Near-duplicate text pairs: MinHash LSH finds candidates among the shingles that are not
    stock, weighted Jaccard (common shingles count less) verifies them."""
    tokens = tx.tokenise(texts)
    shingles = tx.shingle(tokens)
    _, spread = tx.spread_and_frequency(shingles, groups)
    weights = tx.shingle_weights(spread, common_cap(int(groups.max(initial=-1)) + 1, params))
    sig, counts = tx.signatures(shingles.subset(weights[shingles.code] > 0), len(texts))
    matrix = tx.weighted_matrix(shingles.doc, shingles.code, weights, len(texts))
    keys = tx.band_keys(sig, *tx.lsh_shape(params.lsh_threshold))
    candidates = tx.candidate_pairs(keys, counts >= params.min_shingles, params.window)
    pairs = verify_text(matrix, candidates, params)
    return TextEvidence(tokens, shingles.hashes, spread, weights, sig, counts, keys, matrix, pairs)


def gather_evidence(inputs: AdvertInputs, params: LinkParams) -> Evidence:
    """All evidence between the adverts of ``inputs`` (see the module docstring for the order)."""
    n = inputs.n
    with ThreadPoolExecutor(max_workers=1) as pool:  # photos in parallel with the text
        photo_job = pool.submit(photo_clusters, inputs.photos, params.photo_radius)
        phones, phone_pairs = phone_evidence(inputs.phones, params)
        text = text_evidence(inputs.texts, groups_of(n, [phone_pairs]), params)
        clusters = photo_job.result()
    has_phone = np.zeros(n, dtype=bool)
    has_phone[phones["row"].to_numpy(np.int64)] = True
    identity = groups_of(n, [phone_pairs, text.pairs[["a", "b"]]])
    photos = clusters.occurrences
    photos = photos.assign(common=stock_photos(photos, identity, has_phone, params))
    pairs = both_kinds(text.pairs, photos, text.matrix, text.counts, params)
    hubs = frozenset(set(inputs.phones["phone_hash"]) - set(phones["phone_hash"]))
    return Evidence(n, phone_pairs, pairs, phones, photos, hubs, text, clusters)


def both_kinds(
    text_pairs: pd.DataFrame,
    photos: pd.DataFrame,
    matrix: sparse.csr_matrix,
    counts: np.ndarray,
    params: LinkParams,
) -> pd.DataFrame:
    """Every text pair and photo pair (stock photos aside), with both its text similarity and
    whether the two adverts share a photo."""
    shared = photos[~photos["common"]]
    photo_pairs = star_pairs(shared["row"].to_numpy(), shared["photo"].to_numpy())
    pairs = pd.concat([text_pairs[["a", "b"]], photo_pairs], ignore_index=True)
    pairs = pd.DataFrame(
        {"a": pairs.min(axis=1).to_numpy(), "b": pairs.max(axis=1).to_numpy()}
    ).drop_duplicates(ignore_index=True)
    pairs = pairs.astype({"a": np.int64, "b": np.int64})
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    similarity = tx.weighted_jaccard(matrix, a, b)
    usable = (counts[a] >= params.min_shingles) & (counts[b] >= params.min_shingles)
    text_ok = usable & (similarity >= params.text_threshold)
    rp = shared[["row", "photo"]].drop_duplicates()
    both = pairs.merge(rp, left_on="a", right_on="row").merge(
        rp, left_on=["b", "photo"], right_on=["row", "photo"]
    )
    share = pairs.set_index(["a", "b"]).index.isin(both.set_index(["a", "b"]).index)
    return pairs.assign(text=np.where(text_ok, similarity, 0.0), photo=share)
