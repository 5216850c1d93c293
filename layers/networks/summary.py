"""What each network keeps as evidence: its phones (last three digits), photos and template.

Only the last three digits of a phone ever leave the linker, and photo matches are described by
how many adverts show the photo and how far apart its re-encodings are; the template is derived
from masked text and, like the text, is for analysts only (never the briefing).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from layers.networks.linking import Linked
from layers.networks.templates import network_templates


@dataclass(frozen=True)
class NetworkEvidence:
    """Per network: ``phones`` (network, last3, adverts), ``photos`` (network, photo, adverts,
    max_bits, hash) and ``templates`` (network -> template)."""

    phones: pd.DataFrame
    photos: pd.DataFrame
    templates: dict[int, str]


def network_evidence(linked: Linked) -> NetworkEvidence:
    """The evidence each network of ``linked`` keeps (networks of one advert have none)."""
    ev = linked.evidence
    labels = linked.labels
    sizes = np.bincount(labels)
    phones = ev.phones.assign(network=labels[ev.phones["row"].to_numpy(np.int64)])
    phones = phones[sizes[phones["network"].to_numpy()] >= 2]
    phone_table = (
        phones.groupby(["network", "phone_hash", "last3"], sort=True)["row"]
        .nunique()
        .rename("adverts")
        .reset_index()
        .drop(columns="phone_hash")
    )
    photos = ev.photos[~ev.photos["common"]]
    photos = photos.assign(network=labels[photos["row"].to_numpy(np.int64)])
    photo_table = photos.groupby(["network", "photo"], sort=True).agg(
        adverts=("row", "nunique"), hash=("hash", "first")
    )
    photo_table = photo_table[photo_table["adverts"] >= 2].reset_index()
    photo_table["max_bits"] = ev.clusters.max_bits[photo_table["photo"].to_numpy()]
    templates = network_templates(ev.text.tokens, labels)
    return NetworkEvidence(phone_table, photo_table, templates)
