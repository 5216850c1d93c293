"""Circuits: where each network advertised, day by day, its moves and "new in town" alerts.

A network's place on a day is the district where most of its adverts that day were geotagged
(the earliest advert breaks a tie), so one stray geotag across a boundary does not invent a
journey. A move is a change of that place between two consecutive days it advertised on. A
"new in town" alert is a network's first advert in a district where it had not been seen
before, after it had been seen elsewhere: the first place a network is ever seen is where it
starts, not news.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DAY_COLUMNS = ["network", "day", "district_code", "adverts"]
MOVE_COLUMNS = ["network", "from", "to", "day"]


def _sightings(labels: np.ndarray, days: pd.Series, districts: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "network": labels,
            "day": pd.to_datetime(pd.Series(days).to_numpy()).date,
            "district_code": pd.Series(districts).to_numpy(dtype=object),
            "order": np.arange(len(labels)),
        }
    )


def districts_by_day(labels: np.ndarray, days: pd.Series, districts: pd.Series) -> pd.DataFrame:
    """Adverts per network, day and district (``days``: London dates, one per advert)."""
    seen = _sightings(labels, days, districts)
    counts = seen.groupby(["network", "day", "district_code"], sort=True).size()
    return counts.rename("adverts").reset_index()[DAY_COLUMNS]


def daily_places(
    labels: np.ndarray, days: pd.Series, districts: pd.Series, order: np.ndarray
) -> pd.DataFrame:
    """Each network's district of the day: most adverts, then the earliest one (``order``)."""
    seen = _sightings(labels, days, districts).assign(order=order)
    agg = seen.groupby(["network", "day", "district_code"], sort=False).agg(
        adverts=("order", "size"), first=("order", "min")
    )
    agg = agg.reset_index().sort_values(
        ["network", "day", "adverts", "first"], ascending=[True, True, False, True]
    )
    return agg.drop_duplicates(["network", "day"])[["network", "day", "district_code"]]


def moves(places: pd.DataFrame) -> pd.DataFrame:
    """Moves (network, from, to, day) between consecutive advertising days of each network."""
    places = places.sort_values(["network", "day"], kind="stable")
    previous = places.groupby("network")["district_code"].shift(1)
    changed = previous.notna() & (previous != places["district_code"])
    out = pd.DataFrame(
        {
            "network": places["network"][changed].to_numpy(),
            "from": previous[changed].to_numpy(),
            "to": places["district_code"][changed].to_numpy(),
            "day": places["day"][changed].to_numpy(),
        }
    )
    return out[MOVE_COLUMNS].reset_index(drop=True)


def new_in_town(labels: np.ndarray, stamps: pd.Series, districts: pd.Series) -> pd.DataFrame:
    """First advert (position ``row``) of each network in each district after its first one.

    ``stamps`` are the adverts' times (UTC); the result has ``network``, ``district_code``,
    ``at`` and ``row``, in time order.
    """
    frame = pd.DataFrame(
        {
            "network": labels,
            "district_code": pd.Series(districts).to_numpy(dtype=object),
            "at": pd.Series(stamps).to_numpy(),
            "row": np.arange(len(labels)),
        }
    ).dropna(subset=["at"])
    frame = frame.sort_values(["at", "row"], kind="stable")
    firsts = frame.drop_duplicates(["network", "district_code"])
    later = firsts.duplicated("network", keep="first")
    return firsts[later.to_numpy()].reset_index(drop=True)
