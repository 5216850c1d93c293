"""The demo week's adverts: a labelled synthetic week placed at the demo's real town centres.

The adverts carry text, phones and photo hashes with every phenomenon the linker must handle
(:mod:`layers.networks.synthetic`), stored as an import would store them (numbers hashed,
text masked). Each advert is geotagged near a demo premises of its town, a few only to the
town. Text and titles say they are synthetic. :func:`demo_week` is the ground truth: the same
week start always gives the same week, advert ``i`` being ``DEMO-A-{i+1:05d}``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from layers.networks.adverts import read_adverts
from layers.networks.synthetic import Mix, SyntheticWeek, synthetic_week
from layers.networks.wording import column_format

DEMO_SEED = 20261201
DEMO_ADVERTS = 5000
DEMO_MIX = Mix(independents=0.3, rotate=0.5, touring=0.35, mean_size=14.0)


def demo_week(week_start: dt.date) -> SyntheticWeek:
    """The demo week's adverts and their ground truth (networks and moves)."""
    return synthetic_week(DEMO_ADVERTS, DEMO_SEED, DEMO_MIX, week_start)


def demo_adverts(
    week: SyntheticWeek, premises: pd.DataFrame, rng: np.random.Generator, phone_key: str
) -> pd.DataFrame:
    """Adverts of ``week`` near ``premises`` (town, easting, northing) of their own town."""
    frame = week.adverts
    by_town = premises.groupby("town").indices
    anchors = np.array(
        [by_town[t][int(rng.integers(len(by_town[t])))] for t in frame["town"]], dtype=np.int64
    )
    easting = premises["easting"].to_numpy()[anchors] + rng.normal(0, 150, len(frame))
    northing = premises["northing"].to_numpy()[anchors] + rng.normal(0, 150, len(frame))
    coarse = rng.random(len(frame)) < 0.08
    centre = premises.groupby("town")[["easting", "northing"]].median()
    easting[coarse] = centre.loc[frame["town"][coarse], "easting"].to_numpy()
    northing[coarse] = centre.loc[frame["town"][coarse], "northing"].to_numpy()
    read = read_adverts(
        frame["phone"],
        "[DEMO] " + frame["title"],
        "DEMO (synthetic advert): " + frame["text"],
        phone_key,
    )
    return pd.DataFrame(
        {
            "kind": "adverts",
            "site": frame["site"],
            "ref": [f"DEMO-A-{i + 1:05d}" for i in range(len(frame))],
            "easting": easting,
            "northing": northing,
            "observed_at": frame["observed_at"],
            "title": read.titles,
            "text": read.texts,
            "image_hashes": frame["image_hashes"],
            "phone_hash": read.phones.phone_hash,
            "phone_last3": read.phones.phone_last3,
            "phone_hashes": read.phones.phone_hashes,
            "accuracy_m": np.where(coarse, 5000.0, 50.0),
        }
    )


def tipoff_numbers(week: SyntheticWeek, count: int, rng: np.random.Generator) -> list[str]:
    """Numbers callers might give in tip-offs: those of ``count`` networks of the week."""
    phones = pd.DataFrame({"network": week.network, "phone": week.adverts["phone"]})
    phones = phones[phones["phone"] != ""].drop_duplicates("network")
    picks = rng.choice(len(phones), size=min(count, len(phones)), replace=False)
    digits = phones["phone"].iloc[picks].str.replace(r"\D", "", regex=True)
    national = [
        "0" + d[2:] if d.startswith("44") else d for d in digits.str.replace(r"^00", "", regex=True)
    ]
    return [column_format(n, rng) for n in national]
