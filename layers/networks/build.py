"""From stored adverts to everything a rebuild saves: networks, evidence, circuits, links.

Pure (no database): :mod:`layers.networks.rebuild` reads the frames and saves the result, and
the tests call this directly. Networks of a single advert are not kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from geodata.force import OUTSIDE
from layers.core.clock import local_days
from layers.networks.adverts import stored_inputs, stored_phones
from layers.networks.circuits import daily_places, moves, new_in_town
from layers.networks.decisions import Decision, apply_decisions
from layers.networks.evidence import LinkParams
from layers.networks.linking import Linked, link_adverts
from layers.networks.links import network_links
from layers.networks.models import PREMISES_LINK, TIPOFF_LINK, UNREVIEWED
from layers.networks.summary import network_evidence

ADVERT_COLUMNS = (
    "id",
    "site",
    "ref",
    "title",
    "text",
    "phone_hashes",
    "image_hashes",
    "observed_at",
    "district_code",
    "easting",
    "northing",
)


@dataclass(frozen=True)
class BuiltNetworks:
    """What a rebuild found, keyed by ``network`` (a label; the store gives lasting numbers)."""

    networks: pd.DataFrame
    members: pd.DataFrame
    evidence: pd.DataFrame
    moves: pd.DataFrame
    alerts: pd.DataFrame
    links: pd.DataFrame
    adverts: int


def _evidence_rows(linked: Linked, keep: set[int]) -> pd.DataFrame:
    found = network_evidence(linked)
    phones = found.phones[found.phones["network"].isin(keep)]
    photos = found.photos[found.photos["network"].isin(keep)]
    rows = [
        pd.DataFrame(
            {
                "network": phones["network"],
                "kind": "phone",
                "label": "phone ending " + phones["last3"].astype(str),
                "adverts": phones["adverts"],
                "detail": [json.dumps({"last3": v}) for v in phones["last3"]],
            }
        ),
        pd.DataFrame(
            {
                "network": photos["network"],
                "kind": "photo",
                "label": "photo in " + photos["adverts"].astype(str) + " adverts",
                "adverts": photos["adverts"],
                "detail": [
                    json.dumps({"max_bits": int(b), "hash": f"{int(h):016x}"})
                    for b, h in zip(photos["max_bits"], photos["hash"], strict=True)
                ],
            }
        ),
    ]
    return pd.concat(rows, ignore_index=True)


def _circuits(frame: pd.DataFrame, labels: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    # Geotags outside the force area (a town-level point on the coast) are no place to move to.
    seen = (frame["observed_at"].notna() & (frame["district_code"] != OUTSIDE)).to_numpy()
    when = frame.loc[seen, "observed_at"]
    days = local_days(when)
    order = when.rank(method="first").to_numpy()
    districts = frame.loc[seen, "district_code"]
    found = moves(daily_places(labels[seen], days, districts, order))
    alerts = new_in_town(
        labels[seen], when.reset_index(drop=True), districts.reset_index(drop=True)
    )
    alerts["location_id"] = frame["id"].to_numpy()[seen][alerts["row"].to_numpy(np.int64)]
    return found, alerts.drop(columns="row")


def _network_table(
    frame: pd.DataFrame, labels: np.ndarray, keep: np.ndarray, found: pd.DataFrame
) -> pd.DataFrame:
    members = frame.assign(network=labels)[keep]
    ordered = members[members["district_code"] != OUTSIDE].sort_values(
        ["observed_at", "id"], na_position="last"
    )
    districts = (
        ordered.drop_duplicates(["network", "district_code"])
        .groupby("network")["district_code"]
        .agg(list)
    )
    table = members.groupby("network").agg(
        size=("id", "size"), first_seen=("observed_at", "min"), last_seen=("observed_at", "max")
    )
    table["districts"] = [d if isinstance(d, list) else [] for d in districts.reindex(table.index)]
    table["moves"] = found.groupby("network").size().reindex(table.index, fill_value=0)
    return table


def build_networks(
    adverts: pd.DataFrame,
    premises: pd.DataFrame,
    tipoffs: pd.DataFrame,
    decisions: list[Decision],
    params: LinkParams | None = None,
) -> BuiltNetworks:
    """Link ``adverts`` (columns :data:`ADVERT_COLUMNS`) and derive all a rebuild saves."""
    frame = adverts.reset_index(drop=True)
    inputs = stored_inputs(
        frame["title"], frame["text"], frame["phone_hashes"], frame["image_hashes"]
    )
    linked = link_adverts(inputs, params)
    ids = frame["id"].to_numpy(np.int64)
    labels, review = apply_decisions(ids, linked.labels, decisions)
    keep = np.bincount(labels)[labels] >= 2
    kept = set(np.unique(labels[keep]).tolist())
    linked = replace(linked, labels=labels)
    found, alerts = _circuits(frame, labels)
    found = found[found["network"].isin(kept)].reset_index(drop=True)
    alerts = alerts[alerts["network"].isin(kept)].reset_index(drop=True)
    table = _network_table(frame, labels, keep, found)
    templates = network_evidence(linked).templates
    table["template"] = [templates.get(int(n)) for n in table.index]
    table["review"] = [review.get(int(n), UNREVIEWED) for n in table.index]
    links = _links(frame, labels, keep, inputs.phones, premises, tipoffs)
    counts = links.groupby(["network", "kind"])["location_id"].nunique().unstack(fill_value=0)
    for kind, column in ((PREMISES_LINK, "linked_premises"), (TIPOFF_LINK, "linked_tipoffs")):
        values = counts[kind] if kind in counts else pd.Series(dtype="int64")
        table[column] = values.reindex(table.index, fill_value=0).astype(int)
    members = pd.DataFrame({"network": labels[keep], "location_id": ids[keep]})
    evidence = _evidence_rows(linked, kept)
    return BuiltNetworks(table.reset_index(), members, evidence, found, alerts, links, len(frame))


def _links(
    frame: pd.DataFrame,
    labels: np.ndarray,
    keep: np.ndarray,
    phones: pd.DataFrame,
    premises: pd.DataFrame,
    tipoffs: pd.DataFrame,
) -> pd.DataFrame:
    members = frame.assign(network=labels)[keep & frame["easting"].notna().to_numpy()]
    network_phones = phones.assign(network=labels[phones["row"].to_numpy(np.int64)])
    network_phones = network_phones[keep[phones["row"].to_numpy(np.int64)]]
    tip_phones = stored_phones(tipoffs["phone_hashes"])
    tips = tipoffs.reset_index(drop=True).iloc[tip_phones["row"].to_numpy(np.int64)]
    tip_table = pd.DataFrame(
        {
            "id": tips["id"].to_numpy(),
            "ref": tips["ref"].to_numpy(),
            "linked_premises_id": tips["linked_premises_id"].to_numpy(),
            "phone_hash": tip_phones["phone_hash"].to_numpy(),
        }
    )
    return network_links(members, network_phones, premises, tip_table)
