"""Benchmark of linking adverts into networks: quality on labelled weeks, speed, memory.

Writes labelled synthetic weeks with a seed and mix different from the tests' (harder: more
rotation, obfuscation, agencies, stock photos, bigger re-encoding), and measures

- pairwise precision and recall, and the share of true moves found (day +/- 1), on a
  5,000-advert week and on the 100,000-advert week;
- a full rebuild of 100,000 adverts (evidence, linking, network evidence, circuits);
- linking a new day of 5,000 adverts into the networks of the rest of the week;
- the data of the networks grid for 2,000 networks, read from a SQLite store;
- the process's peak memory.

Targets: precision >= 0.95, recall >= 0.90, moves >= 90 %, rebuild <= 30 s, day <= 5 s,
grid <= 1 s, peak <= 2 GB. Wall and CPU seconds are both printed with the load average: the
machine is shared, and CPU seconds show what the code costs when it has a core to itself.

Run: ``.venv/bin/python bench/bench_networks.py [--adverts 100000] [--day 5000]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.pages.networks.layout import grid_rows  # noqa: E402
from layers.core.clock import local_days  # noqa: E402
from layers.core.db import Database  # noqa: E402
from layers.networks.adverts import prepare_adverts  # noqa: E402
from layers.networks.circuits import daily_places, moves, new_in_town  # noqa: E402
from layers.networks.evidence import AdvertInputs, LinkParams  # noqa: E402
from layers.networks.incremental import LinkIndex, link_day  # noqa: E402
from layers.networks.linking import link_adverts  # noqa: E402
from layers.networks.models import Network  # noqa: E402
from layers.networks.reads import network_rows  # noqa: E402
from layers.networks.scoring import moves_found, pairwise  # noqa: E402
from layers.networks.summary import network_evidence  # noqa: E402
from layers.networks.synthetic import Mix, SyntheticWeek, synthetic_week  # noqa: E402

SEED = 2027
BENCH_MIX = Mix(
    independents=0.3,
    rotate=0.7,
    obfuscate=0.6,
    number_in_text=0.5,
    no_phone_column=0.3,
    stock=0.9,
    agencies=0.4,
    stock_photos=0.08,
    reencode_bits=5,
    touring=0.5,
    profiles=4,
    mean_size=12.0,
)
KEY = "bench-phone-key"


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """Result, wall seconds and CPU seconds of ``fn()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def rebuild(inputs: AdvertInputs, week: SyntheticWeek) -> tuple[np.ndarray, pd.DataFrame]:
    """Everything a rebuild computes: networks, their evidence, circuits and alerts."""
    linked = link_adverts(inputs)
    network_evidence(linked)
    frame = week.adverts
    days = local_days(frame["observed_at"])
    order = frame["observed_at"].rank(method="first").to_numpy()
    found = moves(daily_places(linked.labels, days, frame["district_code"], order))
    new_in_town(linked.labels, frame["observed_at"], frame["district_code"])
    return linked.labels, found


def quality(week: SyntheticWeek, labels: np.ndarray, found: pd.DataFrame) -> str:
    score = pairwise(week.network, labels)
    share = moves_found(week.network, labels, week.moves, found)
    return f"precision {score.precision:.4f}  recall {score.recall:.4f}  moves found {share:.1%}"


def subset(inputs: AdvertInputs, rows: np.ndarray) -> AdvertInputs:
    """The adverts at ``rows``, renumbered 0..len(rows)-1."""
    position = np.full(inputs.n, -1)
    position[rows] = np.arange(len(rows))
    phones = inputs.phones[np.isin(inputs.phones["row"], rows)]
    photos = inputs.photos[np.isin(inputs.photos["row"], rows)]
    return AdvertInputs(
        inputs.texts.iloc[rows].reset_index(drop=True),
        phones.assign(row=position[phones["row"].to_numpy()]).reset_index(drop=True),
        photos.assign(row=position[photos["row"].to_numpy()]).reset_index(drop=True),
    )


def grid_seconds(labels: np.ndarray, week: SyntheticWeek) -> float:
    """Seconds to read and shape the grid of the 2,000 biggest networks from a SQLite store."""
    frame = week.adverts.assign(network=labels)
    sizes = frame.groupby("network").size().sort_values(ascending=False).head(2000)
    chosen = frame[frame["network"].isin(sizes.index)]
    first = chosen.groupby("network")["observed_at"].agg(["min", "max"])
    places = chosen.groupby("network")["district_code"].agg(lambda d: list(dict.fromkeys(d)))
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/grid.sqlite3")
        db.upgrade()
        with db.write() as session:
            session.add_all(
                Network(
                    size=int(n),
                    districts=json.dumps(places[k]),
                    moves=0,
                    linked_premises=0,
                    linked_tipoffs=0,
                    first_seen=first.loc[k, "min"].to_pydatetime(),
                    last_seen=first.loc[k, "max"].to_pydatetime(),
                )
                for k, n in sizes.items()
            )
        started = time.perf_counter()
        with db.read() as session:
            rows = grid_rows(network_rows(session))
        seconds = time.perf_counter() - started
        db.dispose()
    assert len(rows) == len(sizes)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adverts", type=int, default=100_000)
    parser.add_argument("--day", type=int, default=5_000)
    parser.add_argument("--quality", type=int, default=5_000)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    ok = True

    small = synthetic_week(args.quality, SEED, BENCH_MIX)
    prepared = prepare_adverts(small.adverts, KEY)
    labels, found = rebuild(prepared.inputs, small)
    print(f"{args.quality:,}-advert week (seed {SEED}, bench mix): {quality(small, labels, found)}")
    s = pairwise(small.network, labels)
    ok &= s.precision >= 0.95 and s.recall >= 0.90
    ok &= moves_found(small.network, labels, small.moves, found) >= 0.90

    week, wall, _ = timed(lambda: synthetic_week(args.adverts, SEED + 1, BENCH_MIX))
    print(f"wrote a {args.adverts:,}-advert labelled week in {wall:.1f} s")
    prepared, wall, cpu = timed(lambda: prepare_adverts(week.adverts, KEY))
    print(
        f"import-side reading (numbers found, hashed, masked; photos): {wall:.1f} s "
        f"({cpu:.1f} s CPU)"
    )
    (labels, found), wall, cpu = timed(lambda: rebuild(prepared.inputs, week))
    print(
        f"full rebuild of {args.adverts:,} adverts: {wall:.1f} s wall, {cpu:.1f} s CPU "
        "(target 30 s)"
    )
    print(f"  {quality(week, labels, found)}; {len(np.unique(labels)):,} networks")
    ok &= wall <= 30

    days = pd.Series(local_days(week.adverts["observed_at"]))
    last = np.flatnonzero((days == days.max()).to_numpy())
    new_rows = np.sort(
        np.random.default_rng(0).choice(last, size=min(args.day, len(last)), replace=False)
    )
    old_rows = np.setdiff1d(np.arange(args.adverts), new_rows)
    old, new = subset(prepared.inputs, old_rows), subset(prepared.inputs, new_rows)
    params = LinkParams()
    index = LinkIndex.of(old, link_adverts(old, params), params)
    merged, wall, cpu = timed(lambda: link_day(index, new, params))
    truth = np.r_[week.network[old_rows], week.network[new_rows]]
    score = pairwise(truth, merged)
    print(
        f"new day of {len(new_rows):,} adverts into {len(old_rows):,}: {wall:.1f} s wall, "
        f"{cpu:.1f} s CPU (target 5 s); precision {score.precision:.4f} recall {score.recall:.4f}"
    )
    ok &= wall <= 5

    seconds = grid_seconds(labels, week)
    print(f"networks grid data for 2,000 networks: {seconds:.2f} s (target 1 s; AG Grid then")
    print("  renders only the rows in view)")
    ok &= seconds <= 1

    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(f"peak memory of the whole run: {peak_gb:.2f} GB (target 2 GB)")
    ok &= peak_gb <= 2
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    print("all targets met" if ok else "SOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
