"""Linking a new day of adverts into existing networks without rebuilding everything.

A full rebuild leaves a :class:`LinkIndex`: each advert's network, its phones, the photo hash
index, the shingle table with each shingle's spread and weight, signatures and LSH band keys.
A new day is tokenised, hashed and looked up against that index; pairs are formed only where a
new advert is involved, and the same guarded combination runs with the existing networks as
fixed starting groups, so a new advert joins, bridges (with support) or starts a network.
Shingle and photo statistics of old adverts are not recomputed: the next full rebuild (after
the next import, or nightly) refreshes them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from layers.networks import text as tx
from layers.networks.evidence import (
    AdvertInputs,
    LinkParams,
    both_kinds,
    common_cap,
    components,
    groups_of,
    phone_evidence,
    stock_photos,
    verify_text,
)
from layers.networks.images import PhotoIndex, near_pairs
from layers.networks.linking import Linked, combine, strong_and_weak


@dataclass(frozen=True)
class LinkIndex:
    """What a full rebuild knows about the adverts it linked, ready for new ones."""

    inputs: AdvertInputs
    labels: np.ndarray
    photo_index: PhotoIndex
    photo_of_hash: np.ndarray
    photos: pd.DataFrame
    text_pairs: pd.DataFrame
    shingle_codes: pd.Index
    spread: np.ndarray
    counts: np.ndarray
    keys: np.ndarray
    matrix: sparse.csr_matrix

    @classmethod
    def of(cls, inputs: AdvertInputs, linked: Linked, params: LinkParams) -> LinkIndex:
        ev = linked.evidence
        text = ev.text
        return cls(
            inputs,
            linked.labels,
            PhotoIndex(ev.clusters.hashes, params.photo_radius),
            ev.clusters.photo_of_hash,
            ev.photos[["row", "hash", "photo"]],
            text.pairs,
            pd.Index(text.hashes),
            text.spread,
            text.counts,
            text.keys,
            text.matrix,
        )


def _new_photos(index: LinkIndex, new: pd.DataFrame, offset: int) -> pd.DataFrame:
    """New photo occurrences clustered with the known photos (known photo ids are kept)."""
    codes, uniques = pd.factorize(new["hash"].to_numpy())
    hashes = np.asarray(uniques, dtype=np.uint64)
    n_known = int(index.photo_of_hash.max(initial=-1)) + 1
    known = index.photo_index.query(hashes)
    own = near_pairs(hashes, index.photo_index.radius)
    a = np.r_[known["query"].to_numpy() + n_known, own["a"].to_numpy() + n_known]
    b = np.r_[index.photo_of_hash[known["known"].to_numpy()], own["b"].to_numpy() + n_known]
    label = components(n_known + len(hashes), a, b)
    old = index.photos.assign(photo=label[index.photos["photo"].to_numpy()])
    fresh = new.assign(row=new["row"].to_numpy() + offset, photo=label[n_known + codes])
    return pd.concat([old, fresh], ignore_index=True)


def _new_text(
    index: LinkIndex, texts: pd.Series, groups: np.ndarray, params: LinkParams
) -> tuple[sparse.csr_matrix, np.ndarray, pd.DataFrame]:
    """Combined weighted matrix and shingle counts, and verified pairs involving new adverts."""
    offset = len(index.counts)
    shingles = tx.shingle(tx.tokenise(texts))
    hashes = shingles.hashes[shingles.code]
    code = index.shingle_codes.get_indexer(hashes)
    unseen, unseen_hashes = pd.factorize(hashes[code < 0])
    code[code < 0] = len(index.shingle_codes) + unseen
    new_groups = groups[offset + shingles.doc]
    pairs = pd.DataFrame({"code": code, "group": new_groups}).drop_duplicates()
    spread = np.r_[index.spread, np.zeros(len(unseen_hashes), dtype=np.int64)]
    np.add.at(spread, pairs["code"].to_numpy(), 1)
    weights = tx.shingle_weights(spread, common_cap(int(groups.max()) + 1, params))
    distinctive = weights[code] > 0
    sig, counts = tx.signatures(
        tx.Shingles(
            shingles.doc[distinctive],
            code[distinctive],
            np.r_[
                index.shingle_codes.to_numpy(np.uint64), np.asarray(unseen_hashes, dtype=np.uint64)
            ],
        ),
        len(texts),
    )
    matrix = sparse.vstack(
        [
            sparse.csr_matrix(index.matrix, shape=(offset, len(weights))),
            tx.weighted_matrix(shingles.doc, code, weights, len(texts)),
        ],
        format="csr",
    )
    keys = tx.band_keys(sig, *tx.lsh_shape(params.lsh_threshold))
    usable = counts >= params.min_shingles
    found = tx.bucket_matches(index.keys, index.counts >= params.min_shingles, keys, params.window)
    found = found[usable[found["query"].to_numpy()]]
    among = tx.candidate_pairs(keys, usable, params.window)
    candidates = pd.DataFrame(
        {
            "a": np.r_[found["known"].to_numpy(), among["a"].to_numpy() + offset],
            "b": np.r_[found["query"].to_numpy() + offset, among["b"].to_numpy() + offset],
        }
    )
    all_counts = np.r_[index.counts, counts]
    return matrix, all_counts, verify_text(matrix, candidates, params)


def link_day(index: LinkIndex, new: AdvertInputs, params: LinkParams | None = None) -> np.ndarray:
    """Network of every advert, known first then new (known networks keep their members)."""
    params = params or LinkParams()
    offset = index.inputs.n
    n = offset + new.n
    phones = pd.concat(
        [index.inputs.phones, new.phones.assign(row=new.phones["row"].to_numpy() + offset)],
        ignore_index=True,
    )
    kept, phone_pairs = phone_evidence(phones, params)
    matrix, counts, text_pairs = _new_text(index, new.texts, groups_of(n, [phone_pairs]), params)
    has_phone = np.zeros(n, dtype=bool)
    has_phone[kept["row"].to_numpy(np.int64)] = True
    identity = groups_of(n, [phone_pairs, index.text_pairs[["a", "b"]], text_pairs[["a", "b"]]])
    photos = _new_photos(index, new.photos, offset)
    photos = photos.assign(common=stock_photos(photos, identity, has_phone, params))
    touched = photos["photo"].isin(photos.loc[photos["row"] >= offset, "photo"])
    pairs = both_kinds(text_pairs, photos[touched], matrix, counts, params)
    strong, weak = strong_and_weak(phone_pairs, pairs)
    initial = np.r_[index.labels, np.full(new.n, -1, dtype=np.int64)]
    return combine(n, strong, weak, params, initial)
