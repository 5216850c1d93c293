"""Visiting order for one team-day: nearest neighbour, then 2-opt and or-opt, in BNG metres.

A team leaves its start point (usually its police station), visits every planned location and
(by default) returns there at the end of the shift. Team-days hold a handful to a few dozen
visits, so a full distance matrix and vectorised improvement moves are fast and near-optimal;
the tests solve small cases by brute force to state the margin.

Distances are straight lines on the British National Grid; :data:`ROAD_FACTOR` turns them into
a rough road estimate for the run sheet (typical circuity of UK roads).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

logger = logging.getLogger(__name__)

ROAD_FACTOR = 1.3
_EPS = 1e-9


@dataclass(frozen=True)
class Route:
    """An order over the input points (indices into them) and its length in metres."""

    order: list[int]
    length_m: float
    closed: bool


def ordered_length_m(start: tuple[float, float], points: np.ndarray, closed: bool = True) -> float:
    """Straight-line length from ``start`` through ``points`` in the order given (and back).

    The length of the route a team-day holds now, as the planning page and the run sheet show
    it (BNG metres); :func:`plan_route` finds a shorter order.
    """
    points = np.asarray(points, dtype="float64").reshape(-1, 2)
    if len(points) == 0:
        return 0.0
    ends = [np.asarray(start, dtype="float64")[None, :]]
    pts = np.vstack([ends[0], points, *(ends if closed else [])])
    return float(np.hypot(*np.diff(pts, axis=0).T).sum())


def distance_matrix(start: tuple[float, float], points: np.ndarray, closed: bool) -> np.ndarray:
    """Distances between the start (index 0), the points (1..n) and an end sentinel (n + 1).

    The sentinel is the start again for a closed tour, or a free end (zero to everything) for an
    open path; it never moves, so one improvement routine serves both.
    """
    pts = np.vstack([np.asarray(start, dtype="float64")[None, :], points.astype("float64")])
    diff = pts[:, None, :] - pts[None, :, :]
    core = np.hypot(diff[..., 0], diff[..., 1])
    n = len(pts)
    full = np.zeros((n + 1, n + 1))
    full[:n, :n] = core
    if closed:
        full[n, :n] = core[0]
        full[:n, n] = core[0]
    return full


def path_length(dist: np.ndarray, tour: np.ndarray) -> float:
    """Length of ``tour`` (start, visits..., sentinel) under ``dist``."""
    return float(dist[tour[:-1], tour[1:]].sum())


def nearest_neighbour(dist: np.ndarray) -> np.ndarray:
    """The greedy tour: from the start, always to the nearest unvisited point."""
    n = dist.shape[0] - 2
    tour = [0]
    left = np.ones(n + 2, dtype=bool)
    left[[0, n + 1]] = False
    current = 0
    for _ in range(n):
        candidates = np.where(left, dist[current], np.inf)
        current = int(np.argmin(candidates))
        tour.append(current)
        left[current] = False
    tour.append(n + 1)
    return np.array(tour, dtype=np.int64)


def two_opt(dist: np.ndarray, tour: np.ndarray) -> np.ndarray:
    """Best-improvement 2-opt: reverse the segment that shortens the tour most, until none does.

    Positions 0 (start) and the last (sentinel) stay fixed. Each pass evaluates every segment
    reversal at once with numpy.
    """
    tour = tour.copy()
    m = len(tour)
    if m < 4:
        return tour
    i_idx, j_idx = np.triu_indices(m - 1, k=1)  # reverse tour[i..j] for 1 <= i < j <= m-2
    keep = i_idx >= 1
    i_idx, j_idx = i_idx[keep], j_idx[keep]
    while True:
        a, b = tour[i_idx - 1], tour[i_idx]
        c, d = tour[j_idx], tour[j_idx + 1]
        delta = dist[a, c] + dist[b, d] - dist[a, b] - dist[c, d]
        best = int(np.argmin(delta))
        if delta[best] >= -_EPS:
            return tour
        i, j = int(i_idx[best]), int(j_idx[best])
        tour[i : j + 1] = tour[i : j + 1][::-1]


def or_opt(dist: np.ndarray, tour: np.ndarray, max_len: int = 3) -> tuple[np.ndarray, bool]:
    """Move a segment of 1..``max_len`` visits elsewhere (either way round) when that is shorter."""
    tour = tour.copy()
    m = len(tour)
    improved_any = False
    improved = True
    while improved:
        improved = False
        for seg_len in range(1, max_len + 1):
            for i in range(1, m - seg_len):
                j = i + seg_len - 1  # segment tour[i..j]
                if j >= m - 1:
                    break
                prev, nxt = tour[i - 1], tour[j + 1]
                first, last = tour[i], tour[j]
                removed = dist[prev, first] + dist[last, nxt] - dist[prev, nxt]
                rest = np.concatenate([tour[:i], tour[j + 1 :]])
                u, v = rest[:-1], rest[1:]
                fwd = dist[u, first] + dist[last, v] - dist[u, v]
                rev = dist[u, last] + dist[first, v] - dist[u, v]
                gain_f = removed - fwd
                gain_r = removed - rev
                k_f, k_r = int(np.argmax(gain_f)), int(np.argmax(gain_r))
                if max(gain_f[k_f], gain_r[k_r]) <= _EPS:
                    continue
                segment = tour[i : j + 1]
                if gain_f[k_f] >= gain_r[k_r]:
                    k, seg = k_f, segment
                else:
                    k, seg = k_r, segment[::-1]
                tour = np.concatenate([rest[: k + 1], seg, rest[k + 1 :]])
                improved = improved_any = True
                break
            if improved:
                break
    return tour, improved_any


def _result(dist: np.ndarray, tour: np.ndarray, closed: bool) -> Route:
    return Route([int(t) - 1 for t in tour[1:-1]], path_length(dist, tour), closed)


def plan_route(start: tuple[float, float], points: np.ndarray, closed: bool = True) -> Route:
    """A short visiting order for ``points`` (n x 2, BNG metres) from ``start``.

    Nearest neighbour, then 2-opt and or-opt alternately until neither improves; the result is
    never longer than the nearest-neighbour route.
    """
    points = np.asarray(points, dtype="float64").reshape(-1, 2)
    if len(points) == 0:
        return Route([], 0.0, closed)
    dist = distance_matrix(start, points, closed)
    tour = nearest_neighbour(dist)
    while True:
        tour = two_opt(dist, tour)
        tour, moved = or_opt(dist, tour)
        if not moved:
            break
    return _result(dist, tour, closed)
