"""A network's template: the wording its adverts share, with the varying slots marked.

InfoShield's insight is that a network's adverts are one template filled in differently (names,
ages, towns, prices). Per network, a word counts as part of the template when at least
``share`` of the network's adverts use it; the advert with most template words is the reference
and each run of its other words becomes a slot ``{…}``. Computed for all networks at once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers.networks.text import Tokens, sorted_unique

SLOT = "{…}"


def _fixed_words(tokens: Tokens, labels: np.ndarray, share: float) -> np.ndarray:
    """Whether each word occurrence belongs to its network's template."""
    vocab = np.int64(len(tokens.vocabulary))
    present = sorted_unique(tokens.doc * vocab + tokens.code)
    key = np.sort(labels[present // vocab] * vocab + present % vocab)
    first = np.r_[True, key[1:] != key[:-1]]
    uniq = key[first]
    docs_with_word = np.diff(np.r_[np.flatnonzero(first), len(key)])
    net = labels[tokens.doc]
    found = np.searchsorted(uniq, net * vocab + tokens.code)
    size = np.bincount(labels)
    return docs_with_word[found] >= np.maximum(2, share * size[net])


def network_templates(
    tokens: Tokens, labels: np.ndarray, share: float = 0.6, max_words: int = 60
) -> dict[int, str]:
    """Template of each network with two or more adverts that share any wording."""
    if len(tokens.doc) == 0:
        return {}
    fixed = _fixed_words(tokens, labels, share)
    per_doc = np.bincount(tokens.doc[fixed], minlength=len(labels))
    docs = pd.DataFrame({"network": labels, "fixed": per_doc, "doc": np.arange(len(labels))})
    docs = docs[(docs["fixed"] > 0) & (np.bincount(labels)[labels] >= 2)]
    best = docs.sort_values(["network", "fixed", "doc"], ascending=[True, False, True])
    best = best.drop_duplicates("network")
    starts = np.searchsorted(tokens.doc, best["doc"].to_numpy(), side="left")
    ends = np.searchsorted(tokens.doc, best["doc"].to_numpy(), side="right")
    out: dict[int, str] = {}
    for network, lo, hi in zip(best["network"].tolist(), starts, ends, strict=True):
        words: list[str] = []
        for i in range(lo, min(hi, lo + max_words)):
            word = str(tokens.vocabulary[tokens.code[i]]) if fixed[i] else SLOT
            if not (word == SLOT and words and words[-1] == SLOT):
                words.append(word)
        out[int(network)] = " ".join(words)
    return out
