"""Reading adverts as an export gives them into what the linker needs.

Numbers come from the phone column, the title and the text (obfuscated ones included) and leave
only as keyed hashes with their last three digits; the stored text has every number masked.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from layers.networks.evidence import AdvertInputs
from layers.networks.images import parse_image_hashes
from layers.networks.phones import extract_phones, hash_numbers


@dataclass(frozen=True)
class PreparedAdverts:
    """Linker inputs plus what is stored: masked title and text, hashed phones."""

    inputs: AdvertInputs
    titles: pd.Series
    texts: pd.Series


def linker_text(titles: pd.Series, texts: pd.Series) -> pd.Series:
    """Title and text together: both carry a network's wording."""
    return titles.fillna("").astype(str).str.cat(texts.fillna("").astype(str), sep=". ")


def prepare_adverts(frame: pd.DataFrame, phone_key: str) -> PreparedAdverts:
    """``frame`` with optional ``title``, ``text``, ``phone``, ``image_hashes`` columns."""
    empty = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    titles, texts, phone, images = (
        frame.get(name, empty) for name in ("title", "text", "phone", "image_hashes")
    )
    in_title = extract_phones(titles)
    found = extract_phones(phone, texts)
    numbers = pd.concat([found.numbers, in_title.numbers], ignore_index=True).drop_duplicates()
    hashed = hash_numbers(numbers, phone_key)
    photos = parse_image_hashes(images)
    masked_titles, masked = in_title.masked, found.masked
    inputs = AdvertInputs(linker_text(masked_titles, masked).reset_index(drop=True), hashed, photos)
    return PreparedAdverts(inputs, masked_titles, masked)
