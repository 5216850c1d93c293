"""How urgent a visit is: the premises' risk plus the intelligence that points at it.

A commander plans the riskiest, best-corroborated premises first. The score is additive so a
person can check it by hand from the parts shown next to each candidate:

- risk rating: high 60, medium 30, low 10 (no rating 10);
- tip-offs linked to the premises or within 250 m: 8 each, weighted by intelligence grade
  (A 1.5 ... E 0.5), at most 30 in all;
- advert geotags within 250 m: ``6 * log2(1 + n)``, at most 20 (a busy advertiser near a
  premises matters, a thousand geotags do not matter a thousand times more);
- a linked network of adverts (:mod:`layers.networks`): 10, and 5 more if it moved between
  districts (a circuit), explained as "linked to network N12: 23 adverts, 3 districts, moved
  Wednesday".

Distances are in British National Grid metres (the ``easting``/``northing`` columns).
Every screen that shows a priority also shows these parts (:meth:`PriorityParts.explanations`),
so a commander can see why a premises is high priority without opening the run sheet.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

RADIUS_M = 250.0
RISK_POINTS: dict[str, float] = {"high": 60.0, "medium": 30.0, "low": 10.0}
DEFAULT_RISK_POINTS = 10.0
TIPOFF_POINTS = 8.0
TIPOFF_CAP = 30.0
GRADE_WEIGHT: dict[str, float] = {"A": 1.5, "B": 1.25, "C": 1.0, "D": 0.75, "E": 0.5}
ADVERT_SCALE = 6.0
ADVERT_CAP = 20.0
NETWORK_POINTS = 10.0
NETWORK_MOVED_POINTS = 5.0
HIGH_PRIORITY = 50.0
"""Scores at or above this are "high priority": what the suggested allocation plans."""

_CHUNK = 512


@dataclass(frozen=True)
class PriorityParts:
    """The score of each candidate and the parts it is made of (aligned with the input)."""

    score: np.ndarray
    risk: np.ndarray
    tipoffs: np.ndarray  # count of tip-offs linked or within the radius
    adverts: np.ndarray  # count of advert geotags within the radius
    rating: np.ndarray  # the risk rating as stored (object: "high", ..., or None)
    tipoff_points: np.ndarray  # after the cap
    advert_points: np.ndarray  # after the cap
    tipoff_grades: np.ndarray  # object: "A, C×2" (intelligence grades of those tip-offs)
    network: np.ndarray | None = None  # points for a linked network of adverts
    network_note: np.ndarray | None = None  # "linked to network N12: ..." or ""

    def frame(self) -> pd.DataFrame:
        """The score and its parts as columns of a frame (aligned with the candidates)."""
        n = len(self.score)
        return pd.DataFrame(
            {
                "priority": np.round(self.score, 1),
                "risk_points": self.risk,
                "tipoffs_near": self.tipoffs,
                "adverts_near": self.adverts,
                "tipoff_points": np.round(self.tipoff_points, 1),
                "advert_points": np.round(self.advert_points, 1),
                "tipoff_grades": self.tipoff_grades,
                "priority_why": self.explanations(),
                "network_points": np.zeros(n) if self.network is None else self.network,
                "network_note": np.full(n, "", dtype=object)
                if self.network_note is None
                else self.network_note,
            }
        )

    def explanations(self) -> list[str]:
        """Each score's parts in words: "high risk 60 + 2 tip-offs (grades A, C) 20 + ..."."""
        out = []
        for i in range(len(self.score)):
            rating = self.rating[i] if isinstance(self.rating[i], str) else None
            risk = f"{rating} risk" if rating in RISK_POINTS else "risk not rated"
            n_tip, n_adv = int(self.tipoffs[i]), int(self.adverts[i])
            tips = "no tip-offs"
            if n_tip:
                capped = " (at most 30)" if self.tipoff_points[i] >= TIPOFF_CAP else ""
                tips = (
                    f"{n_tip} tip-off{'s' if n_tip != 1 else ''} "
                    f"(grade{'s' if n_tip != 1 else ''} {self.tipoff_grades[i]}) "
                    f"{_num(self.tipoff_points[i])}{capped}"
                )
            ads = "no adverts"
            if n_adv:
                ads = f"{n_adv} advert{'s' if n_adv != 1 else ''} {_num(self.advert_points[i])}"
            why = f"{risk} {_num(self.risk[i])} + {tips} + {ads}"
            if self.network is not None and self.network_note is not None and self.network[i]:
                why += f" + {self.network_note[i]} {_num(self.network[i])}"
            out.append(why)
        return out


def _num(value: float) -> str:
    return f"{round(float(value), 1):g}"


def _grade_text(candidate: np.ndarray, grades: np.ndarray, n: int) -> np.ndarray:
    """Per candidate, the grades of its tip-offs as "A, C×2" (``?`` for an ungraded one)."""
    out = np.full(n, "", dtype=object)
    if len(candidate) == 0:
        return out
    counts = pd.DataFrame({"c": candidate, "g": grades}).value_counts().sort_index()
    owner = counts.index.get_level_values(0).to_numpy(dtype=np.int64)
    grade = pd.Series(counts.index.get_level_values(1).astype(str))
    times = pd.Series(counts.to_numpy())
    text = grade.where(times <= 1, grade + "×" + times.astype(str))
    joined = text.groupby(owner, sort=True).agg(", ".join)
    out[joined.index.to_numpy(dtype=np.int64)] = joined.to_numpy(dtype=object)
    return out


def network_part(ids: np.ndarray, facts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Points and explanation for candidates linked to a network of adverts.

    ``facts`` (from :func:`layers.networks.views.premises_network_facts`): ``location_id``,
    ``network_id``, ``adverts``, ``districts``, ``moved_on``.
    """
    points = np.zeros(len(ids))
    notes = np.full(len(ids), "", dtype=object)
    if facts.empty:
        return points, notes
    by_id = facts.set_index("location_id")
    for i, location_id in enumerate(ids.tolist()):
        if location_id not in by_id.index:
            continue
        fact = by_id.loc[location_id]
        note = (
            f"linked to network N{int(fact['network_id'])}: {int(fact['adverts'])} adverts, "
            f"{int(fact['districts'])} district{'s' if int(fact['districts']) != 1 else ''}"
        )
        points[i] = NETWORK_POINTS
        if pd.notna(fact["moved_on"]):
            points[i] += NETWORK_MOVED_POINTS
            note += f", moved {pd.Timestamp(fact['moved_on']).strftime('%A')}"
        notes[i] = note
    return points, notes


def neighbour_pairs(
    ce: np.ndarray, cn: np.ndarray, pe: np.ndarray, pn: np.ndarray, radius: float = RADIUS_M
) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs ``(candidate, point)`` closer than ``radius`` metres.

    Points are sorted by easting; each chunk of candidates (sorted too) compares only with the
    band of points whose easting is within reach, so the cost stays near-linear without a KD-tree.
    """
    if len(ce) == 0 or len(pe) == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    p_order = np.argsort(pe, kind="stable")
    spe, spn = pe[p_order], pn[p_order]
    c_order = np.argsort(ce, kind="stable")
    out_c: list[np.ndarray] = []
    out_p: list[np.ndarray] = []
    r2 = radius * radius
    for start in range(0, len(c_order), _CHUNK):
        idx = c_order[start : start + _CHUNK]
        lo = int(np.searchsorted(spe, ce[idx[0]] - radius, side="left"))
        hi = int(np.searchsorted(spe, ce[idx[-1]] + radius, side="right"))
        if hi <= lo:
            continue
        de = ce[idx, None] - spe[None, lo:hi]
        dn = cn[idx, None] - spn[None, lo:hi]
        ci, pj = np.nonzero(de * de + dn * dn <= r2)
        out_c.append(idx[ci])
        out_p.append(p_order[lo + pj])
    if not out_c:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(out_c), np.concatenate(out_p)


def _tipoff_pairs(
    candidates: pd.DataFrame, tipoffs: pd.DataFrame, ce: np.ndarray, cn: np.ndarray
) -> np.ndarray:
    """Unique (candidate, tip-off) index pairs: linked to the premises, or within the radius."""
    te = tipoffs["easting"].to_numpy(dtype="float64")
    tn = tipoffs["northing"].to_numpy(dtype="float64")
    ci, tj = neighbour_pairs(ce, cn, te, tn)
    linked = tipoffs["linked_premises_id"].to_numpy(dtype="float64")
    ids = candidates["id"].to_numpy(dtype="int64")
    pos = pd.Series(np.arange(len(candidates)), index=ids)
    hit = ~np.isnan(linked)
    lj = np.flatnonzero(hit)
    lc = pos.reindex(linked[hit].astype(np.int64)).to_numpy()
    ok = ~np.isnan(lc)
    both = [np.stack([ci, tj], axis=1), np.stack([lc[ok].astype(np.int64), lj[ok]], axis=1)]
    return np.unique(np.concatenate(both), axis=0)


def _tipoff_parts(
    candidates: pd.DataFrame, tipoffs: pd.DataFrame, ce: np.ndarray, cn: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per candidate: tip-off count, points before the cap, and their grades in words."""
    n = len(candidates)
    empty = (np.zeros(n, dtype=np.int64), np.zeros(n, dtype="float64"), np.full(n, "", object))
    if not len(tipoffs):
        return empty
    pairs = _tipoff_pairs(candidates, tipoffs, ce, cn)
    if not len(pairs):
        return empty
    letters = tipoffs["grade_intel"].astype(object)
    weight = letters.map(GRADE_WEIGHT).fillna(1.0).to_numpy(dtype="float64")[pairs[:, 1]]
    count = np.bincount(pairs[:, 0], minlength=n)
    points = np.bincount(pairs[:, 0], weights=weight * TIPOFF_POINTS, minlength=n)
    shown = letters.where(letters.isin(list(GRADE_WEIGHT)), "?").to_numpy(dtype=object)
    return count, points, _grade_text(pairs[:, 0], shown[pairs[:, 1]], n)


def score_candidates(
    candidates: pd.DataFrame,
    tipoffs: pd.DataFrame,
    adverts: pd.DataFrame,
    networks: pd.DataFrame | None = None,
) -> PriorityParts:
    """Priority of each candidate row.

    ``candidates`` needs ``id``, ``easting``, ``northing``, ``risk``; ``tipoffs`` needs ``easting``,
    ``northing``, ``grade_intel`` and ``linked_premises_id``; ``adverts`` needs ``easting``,
    ``northing``. A tip-off that is both linked and nearby counts once.
    """
    n = len(candidates)
    ce = candidates["easting"].to_numpy(dtype="float64")
    cn = candidates["northing"].to_numpy(dtype="float64")
    risk = (
        candidates["risk"]
        .astype(object)
        .map(RISK_POINTS)
        .fillna(DEFAULT_RISK_POINTS)
        .to_numpy(dtype="float64")
    )

    tip_count, tip_points, tip_grades = _tipoff_parts(candidates, tipoffs, ce, cn)
    tip_points = np.minimum(tip_points, TIPOFF_CAP)

    adv_count = np.zeros(n, dtype=np.int64)
    if len(adverts):
        ai, _ = neighbour_pairs(
            ce,
            cn,
            adverts["easting"].to_numpy(dtype="float64"),
            adverts["northing"].to_numpy(dtype="float64"),
        )
        adv_count = np.bincount(ai, minlength=n)
    adv_points = np.minimum(ADVERT_SCALE * np.log2(1.0 + adv_count), ADVERT_CAP)

    net_points, net_notes = network_part(
        candidates["id"].to_numpy(dtype="int64"),
        networks if networks is not None else pd.DataFrame(),
    )
    return PriorityParts(
        score=risk + tip_points + adv_points + net_points,
        risk=risk,
        tipoffs=tip_count,
        adverts=adv_count,
        rating=candidates["risk"].astype(object).to_numpy(dtype=object),
        tipoff_points=tip_points,
        advert_points=adv_points,
        tipoff_grades=tip_grades,
        network=net_points,
        network_note=net_notes,
    )
