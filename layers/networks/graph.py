"""The graph of one network for the network page: adverts, phones, photos, premises, tip-offs.

Elements are in Cytoscape's format (``{"data": {...}}``). Phones are shown by their last three
digits and photos by a number, never by hash. One network at a time, at most
:data:`MAX_ADVERTS` adverts (the most recent), because a graph beyond about a thousand nodes
stops being readable or fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from layers.networks.adverts import stored_phones
from layers.networks.images import DEFAULT_RADIUS, parse_image_hashes, photo_clusters
from layers.planning.priority import neighbour_pairs

MAX_ADVERTS = 400
MAX_PREMISES_EDGES = 10


@dataclass(frozen=True)
class NetworkGraph:
    """Cytoscape elements, and how many adverts were left out to keep it readable."""

    elements: list[dict[str, Any]]
    left_out: int


def _node(ident: str, label: str, kind: str) -> dict[str, Any]:
    return {"data": {"id": ident, "label": label, "kind": kind}, "classes": kind}


def _edge(a: str, b: str) -> dict[str, Any]:
    return {"data": {"source": a, "target": b}}


def _phones(adverts: pd.DataFrame) -> tuple[list[dict[str, Any]], dict[str, str]]:
    phones = stored_phones(adverts["phone_hashes"])
    codes, uniques = pd.factorize(phones["phone_hash"])
    last3 = phones.groupby(codes)["last3"].first()
    nodes = [_node(f"p{k}", f"phone …{last3[k]}", "phone") for k in range(len(uniques))]
    ids = adverts["id"].to_numpy()
    edges = [_edge(f"a{ids[r]}", f"p{c}") for r, c in zip(phones["row"], codes, strict=True)]
    return nodes + edges, {h: f"p{k}" for k, h in enumerate(uniques)}


def _photos(adverts: pd.DataFrame) -> list[dict[str, Any]]:
    found = photo_clusters(parse_image_hashes(adverts["image_hashes"]), DEFAULT_RADIUS)
    occurrences = found.occurrences.drop_duplicates(["row", "photo"])
    uses = occurrences["photo"].value_counts()
    nodes = [
        _node(f"f{p}", f"photo {i + 1} ({n})", "photo") for i, (p, n) in enumerate(uses.items())
    ]
    ids = adverts["id"].to_numpy()
    edges = [
        _edge(f"a{ids[r]}", f"f{p}")
        for r, p in zip(occurrences["row"], occurrences["photo"], strict=True)
    ]
    return nodes + edges


def _premises(adverts: pd.DataFrame, premises: pd.DataFrame) -> list[dict[str, Any]]:
    out = [
        _node(f"s{i}", str(ref), "premises")
        for i, ref in zip(premises["id"], premises["ref"], strict=True)
    ]
    near_a, near_p = neighbour_pairs(
        adverts["easting"].to_numpy(dtype="float64"),
        adverts["northing"].to_numpy(dtype="float64"),
        premises["easting"].to_numpy(dtype="float64"),
        premises["northing"].to_numpy(dtype="float64"),
    )
    pairs = pd.DataFrame(
        {"a": adverts["id"].to_numpy()[near_a], "p": premises["id"].to_numpy()[near_p]}
    )
    pairs = pairs.groupby("p").head(MAX_PREMISES_EDGES)
    return out + [_edge(f"s{p}", f"a{a}") for a, p in zip(pairs["a"], pairs["p"], strict=True)]


def _tipoffs(tipoffs: pd.DataFrame, phone_nodes: dict[str, str]) -> list[dict[str, Any]]:
    out = [
        _node(f"t{i}", str(ref), "tipoff")
        for i, ref in zip(tipoffs["id"], tipoffs["ref"], strict=True)
    ]
    phones = stored_phones(tipoffs["phone_hashes"])
    ids = tipoffs["id"].to_numpy()
    for row, phone_hash in zip(phones["row"], phones["phone_hash"], strict=True):
        if phone_hash in phone_nodes:
            out.append(_edge(f"t{ids[row]}", phone_nodes[phone_hash]))
    return out


def network_graph(
    adverts: pd.DataFrame, premises: pd.DataFrame, tipoffs: pd.DataFrame
) -> NetworkGraph:
    """The graph of one network's ``adverts`` (id, ref, observed_at, phone_hashes,
    image_hashes, easting, northing), linked ``premises`` (id, ref, easting, northing) and
    ``tipoffs`` (id, ref, phone_hashes)."""
    shown = adverts.sort_values("observed_at", ascending=False, na_position="last")
    shown = shown.head(MAX_ADVERTS).reset_index(drop=True)
    elements = [
        _node(f"a{i}", str(ref), "advert") for i, ref in zip(shown["id"], shown["ref"], strict=True)
    ]
    phone_elements, phone_nodes = _phones(shown)
    elements += phone_elements + _photos(shown)
    located = shown[np.isfinite(shown["easting"].to_numpy(dtype="float64"))]
    if len(premises):
        elements += _premises(located, premises)
    if len(tipoffs):
        elements += _tipoffs(tipoffs.reset_index(drop=True), phone_nodes)
    return NetworkGraph(elements, len(adverts) - len(shown))
