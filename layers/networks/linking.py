"""Combining the evidence into networks so that one weak link cannot merge two large groups.

A shared phone, or text and photo agreeing on the same pair, is strong: those pairs are joined
outright. A text-only or photo-only pair is weak: it may attach an advert or a small group
(fewer than ``guard_size`` adverts) to another group, but two large groups are merged only when
enough weak pairs run between them (at least ``guard_ratio`` of the smaller group, and never
fewer than two). Weak pairs are taken best first (most pairs between two groups, then highest
similarity), Kruskal-style, so an advert that looks a little like two networks joins the one it
resembles most, and cannot then bridge it to the other. Boilerplate never reaches this point:
:mod:`layers.networks.evidence` weighted it out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from layers.networks.evidence import (
    AdvertInputs,
    Evidence,
    LinkParams,
    components,
    gather_evidence,
)


@dataclass(frozen=True)
class Linked:
    """A linking: network index of each advert (0..k-1, numbered by first advert) and why."""

    labels: np.ndarray
    evidence: Evidence


class _Groups:
    """Union-find over groups of adverts, with the weak-pair counts between them."""

    def __init__(self, sizes: np.ndarray, adjacency: list[dict[int, int]]) -> None:
        self.parent = list(range(len(sizes)))
        self.size = sizes.tolist()
        self.adjacency = adjacency

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def support(self, ra: int, rb: int) -> int:
        """Weak pairs running between the groups rooted at ``ra`` and ``rb``."""
        if len(self.adjacency[ra]) > len(self.adjacency[rb]):
            ra, rb = rb, ra
        return sum(c for k, c in self.adjacency[ra].items() if self.find(k) == rb)

    def union(self, ra: int, rb: int) -> None:
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        big, small = self.adjacency[ra], self.adjacency[rb]
        for k, c in small.items():
            big[k] = big.get(k, 0) + c
        self.adjacency[rb] = {}


def _weak_between(groups: np.ndarray, weak: pd.DataFrame) -> pd.DataFrame:
    ga = groups[weak["a"].to_numpy()]
    gb = groups[weak["b"].to_numpy()]
    frame = pd.DataFrame(
        {"ga": np.minimum(ga, gb), "gb": np.maximum(ga, gb), "score": weak["score"].to_numpy()}
    )
    frame = frame[frame["ga"] != frame["gb"]]
    agg = frame.groupby(["ga", "gb"], sort=False)["score"].agg(["size", "max"]).reset_index()
    return agg.sort_values(["size", "max", "ga", "gb"], ascending=[False, False, True, True])


def combine(
    n: int,
    strong: pd.DataFrame,
    weak: pd.DataFrame,
    params: LinkParams,
    initial: np.ndarray | None = None,
) -> np.ndarray:
    """Network index of each of ``n`` adverts from ``strong`` (a, b) and ``weak`` (a, b, score)
    pairs; ``initial`` labels (existing networks) are kept together, as if strongly linked."""
    a = [strong["a"].to_numpy(np.int64)]
    b = [strong["b"].to_numpy(np.int64)]
    if initial is not None:
        rows = np.flatnonzero(initial >= 0)
        first = pd.Series(rows).groupby(initial[rows]).transform("first").to_numpy()
        a.append(rows)
        b.append(first.astype(np.int64))
    groups = components(n, np.concatenate(a), np.concatenate(b))
    between = _weak_between(groups, weak)
    adjacency: list[dict[int, int]] = [{} for _ in range(int(groups.max(initial=-1)) + 1)]
    for ga, gb, count in zip(between["ga"], between["gb"], between["size"], strict=True):
        adjacency[ga][gb] = int(count)
        adjacency[gb][ga] = int(count)
    uf = _Groups(np.bincount(groups), adjacency)
    for ga, gb in zip(between["ga"].tolist(), between["gb"].tolist(), strict=True):
        ra, rb = uf.find(ga), uf.find(gb)
        if ra == rb:
            continue
        smaller = min(uf.size[ra], uf.size[rb])
        if smaller >= params.guard_size:
            needed = max(2, math.ceil(params.guard_ratio * smaller))
            if uf.support(ra, rb) < needed:
                continue
        uf.union(ra, rb)
    roots = np.array([uf.find(g) for g in range(len(uf.parent))], dtype=np.int64)
    return _renumber(roots[groups])


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Networks numbered 0..k-1 in order of their first advert (stable across runs)."""
    _, first = np.unique(labels, return_index=True)
    order = np.argsort(first, kind="stable")
    mapping = np.empty(len(first), dtype=np.int64)
    mapping[order] = np.arange(len(first))
    _, inverse = np.unique(labels, return_inverse=True)
    return mapping[inverse]


def strong_and_weak(
    phone_pairs: pd.DataFrame, pairs: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Strong pairs (phone; text with photo) and weak pairs (one of text, photo) with scores."""
    text = pairs["text"].to_numpy() > 0
    photo = pairs["photo"].to_numpy()
    both = pairs.loc[text & photo, ["a", "b"]]
    strong = pd.concat([phone_pairs[["a", "b"]], both], ignore_index=True)
    single = pairs.loc[text ^ photo]
    score = np.where(single["text"].to_numpy() > 0, single["text"].to_numpy(), 1.0)
    weak = pd.DataFrame({"a": single["a"].to_numpy(), "b": single["b"].to_numpy(), "score": score})
    return strong, weak


def link_adverts(inputs: AdvertInputs, params: LinkParams | None = None) -> Linked:
    """Group the adverts of ``inputs`` into networks (a full rebuild)."""
    params = params or LinkParams()
    evidence = gather_evidence(inputs, params)
    strong, weak = strong_and_weak(evidence.phone_pairs, evidence.pairs)
    return Linked(combine(inputs.n, strong, weak, params), evidence)
