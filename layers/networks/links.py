"""What a network points to: premises near its geotags, tip-offs that share a phone.

A premises is linked when any of the network's advert geotags falls within 250 m of it (in
British National Grid metres, the same neighbour search the priority score uses), or when a
tip-off linked to that premises shares a phone with the network. A tip-off is linked when a
number in its summary is one of the network's numbers (compared by keyed hash).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers.networks.models import PREMISES_LINK, TIPOFF_LINK
from layers.planning.priority import RADIUS_M, neighbour_pairs

LINK_COLUMNS = ["network", "location_id", "kind", "reason", "distance_m"]


def premises_near(members: pd.DataFrame, premises: pd.DataFrame) -> pd.DataFrame:
    """Links from networks (``members``: network, easting, northing) to ``premises`` (id,
    easting, northing) within 250 m, with how many geotags and the nearest distance."""
    a, p = neighbour_pairs(
        members["easting"].to_numpy(dtype="float64"),
        members["northing"].to_numpy(dtype="float64"),
        premises["easting"].to_numpy(dtype="float64"),
        premises["northing"].to_numpy(dtype="float64"),
    )
    if len(a) == 0:
        return pd.DataFrame(columns=LINK_COLUMNS)
    distance = np.hypot(
        members["easting"].to_numpy()[a] - premises["easting"].to_numpy()[p],
        members["northing"].to_numpy()[a] - premises["northing"].to_numpy()[p],
    )
    pairs = pd.DataFrame(
        {
            "network": members["network"].to_numpy()[a],
            "location_id": premises["id"].to_numpy()[p],
            "distance_m": distance,
        }
    )
    agg = pairs.groupby(["network", "location_id"], sort=True)["distance_m"].agg(["size", "min"])
    agg = agg.reset_index()
    reason = (
        agg["size"].astype(str)
        + f" advert geotag(s) within {RADIUS_M:.0f} m (nearest "
        + agg["min"].round().astype(int).astype(str)
        + " m)"
    )
    return pd.DataFrame(
        {
            "network": agg["network"],
            "location_id": agg["location_id"],
            "kind": PREMISES_LINK,
            "reason": reason,
            "distance_m": agg["min"].round(1),
        }
    )[LINK_COLUMNS]


def shared_phones(phones: pd.DataFrame, tipoffs: pd.DataFrame) -> pd.DataFrame:
    """Links from networks (``phones``: network, phone_hash, last3) to tip-offs (``tipoffs``:
    id, ref, linked_premises_id, phone_hash) sharing a number, and to the premises those
    tip-offs are linked to."""
    shared = phones.merge(tipoffs, on="phone_hash")
    if shared.empty:
        return pd.DataFrame(columns=LINK_COLUMNS)
    shared = shared.drop_duplicates(["network", "id"])
    ref = shared["ref"].fillna(shared["id"].astype(str)).astype(str)
    tips = pd.DataFrame(
        {
            "network": shared["network"],
            "location_id": shared["id"],
            "kind": TIPOFF_LINK,
            "reason": "shares a phone ending " + shared["last3"].astype(str),
            "distance_m": np.nan,
        }
    )
    via = shared[shared["linked_premises_id"].notna()]
    premises = pd.DataFrame(
        {
            "network": via["network"],
            "location_id": via["linked_premises_id"].astype(np.int64),
            "kind": PREMISES_LINK,
            "reason": "tip-off " + ref[via.index] + " shares a phone with the network",
            "distance_m": np.nan,
        }
    )
    return pd.concat([tips, premises], ignore_index=True)[LINK_COLUMNS]


def network_links(
    members: pd.DataFrame, phones: pd.DataFrame, premises: pd.DataFrame, tipoffs: pd.DataFrame
) -> pd.DataFrame:
    """Every link of every network; a premises linked both ways is listed once (nearest)."""
    links = pd.concat(
        [premises_near(members, premises), shared_phones(phones, tipoffs)], ignore_index=True
    )
    if links.empty:
        return links
    links = links.sort_values(["network", "kind", "location_id", "distance_m"], na_position="last")
    return links.drop_duplicates(["network", "kind", "location_id"], ignore_index=True)
