"""Analysts' decisions, applied again to every linking so that they survive rebuilds.

A decision names adverts, not network numbers (numbers are only as stable as the linking):

- *merge*: the adverts of two networks belong together, whatever the evidence says;
- *split*: the named adverts are a network of their own, apart from the rest;
- *confirm* / *dismiss*: the network that now holds most of the named adverts is confirmed
  (reviewed, real) or dismissed (reviewed, not of interest: no alerts, no priority).

Merges and splits are applied first, in the order they were made; then confirmations and
dismissals, the latest one for a network winning.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from layers.networks.models import CONFIRMED, DISMISSED

MERGE = "merge"
SPLIT = "split"
CONFIRM = "confirm"
DISMISS = "dismiss"
ACTIONS: tuple[str, ...] = (CONFIRM, SPLIT, MERGE, DISMISS)
REVIEW = {CONFIRM: CONFIRMED, DISMISS: DISMISSED}


@dataclass(frozen=True)
class Decision:
    """One decision: its action, the adverts it names and (merge, split) the others."""

    action: str
    adverts: frozenset[int]
    others: frozenset[int] = frozenset()


def _positions(ids: np.ndarray, wanted: frozenset[int]) -> np.ndarray:
    return np.flatnonzero(np.isin(ids, np.fromiter(wanted, dtype=np.int64, count=len(wanted))))


def apply_decisions(
    ids: np.ndarray, labels: np.ndarray, decisions: list[Decision]
) -> tuple[np.ndarray, dict[int, str]]:
    """Labels after merges and splits, and the review state of labels confirmed or dismissed.

    ``ids`` are the adverts' location ids, ``labels`` their networks; adverts a decision names
    that no longer exist are ignored.
    """
    labels = labels.copy()
    for decision in decisions:
        named = _positions(ids, decision.adverts)
        if decision.action == MERGE:
            together = np.r_[named, _positions(ids, decision.others)]
            if len(together):
                affected = np.isin(labels, labels[together])
                labels[affected] = labels[together].min()
        elif decision.action == SPLIT and len(named):
            labels[named] = labels.max(initial=-1) + 1
    review: dict[int, str] = {}
    for decision in decisions:
        named = _positions(ids, decision.adverts)
        if decision.action in REVIEW and len(named):
            review[int(np.bincount(labels[named]).argmax())] = REVIEW[decision.action]
    return labels, review
