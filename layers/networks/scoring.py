"""Scoring a linking against a labelled week: pairwise precision and recall, moves found.

Pairwise measures count pairs of adverts: precision is the share of pairs put in one network
that truly share one, recall the share of truly linked pairs that were put together. A true
move counts as found when the network holding most of the true network's adverts reports the
same districts on the same day, give or take ``slack_days``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class PairScore:
    """Pairwise precision and recall, with the pair counts behind them."""

    precision: float
    recall: float
    predicted_pairs: int
    true_pairs: int
    agreeing_pairs: int


def _pairs(counts: np.ndarray) -> int:
    counts = counts.astype(np.int64)
    return int((counts * (counts - 1) // 2).sum())


def pairwise(truth: np.ndarray, predicted: np.ndarray) -> PairScore:
    """Pairwise precision and recall of ``predicted`` labels against ``truth`` labels."""
    frame = pd.DataFrame({"t": truth, "p": predicted})
    both = _pairs(frame.groupby(["t", "p"]).size().to_numpy())
    pred = _pairs(frame.groupby("p").size().to_numpy())
    true = _pairs(frame.groupby("t").size().to_numpy())
    precision = both / pred if pred else 1.0
    recall = both / true if true else 1.0
    return PairScore(precision, recall, pred, true, both)


def moves_found(
    truth: np.ndarray,
    predicted: np.ndarray,
    true_moves: pd.DataFrame,
    found_moves: pd.DataFrame,
    slack_days: int = 1,
) -> float:
    """Share of ``true_moves`` (network, from, to, day) found in ``found_moves``."""
    if true_moves.empty:
        return 1.0
    frame = pd.DataFrame({"t": truth, "p": predicted})
    best = frame.groupby(["t", "p"]).size().reset_index(name="n")
    best = best.sort_values(["t", "n"], ascending=[True, False]).drop_duplicates("t")
    owner = dict(zip(best["t"], best["p"], strict=True))
    found = found_moves.assign(day=pd.to_datetime(found_moves["day"]))
    keyed = found.groupby(["network", "from", "to"])["day"].apply(list).to_dict()
    hits = 0
    for move in true_moves.itertuples(index=False):
        days = keyed.get((owner.get(move.network), move._1, move.to), [])
        target = pd.Timestamp(move.day)
        hits += any(abs((d - target).days) <= slack_days for d in days)
    return hits / len(true_moves)
