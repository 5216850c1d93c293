"""Reading adverts (and tip-off summaries) into what is stored and what the linker needs.

Numbers come from the phone column, the title and the text (obfuscated ones included) and are
stored only as keyed hashes with their last three digits, as ``last3:hash`` entries joined by
``;`` in ``phone_hashes`` (the first number also in ``phone_hash``/``phone_last3``); stored
title and text have every number masked. The linker reads the stored form back with
:func:`stored_inputs`, so a rebuild needs nothing that was not stored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from layers.networks.evidence import AdvertInputs
from layers.networks.images import parse_image_hashes
from layers.networks.phones import extract_phones, hash_numbers

_ENTRY = r"(?P<last3>\d{3}):(?P<phone_hash>[0-9a-f]{64})"


@dataclass(frozen=True)
class StoredPhones:
    """Per row: the first number's hash and last three digits, and every number as entries."""

    phone_hash: np.ndarray
    phone_last3: np.ndarray
    phone_hashes: np.ndarray


def _stored(hashed: pd.DataFrame, n: int) -> StoredPhones:
    first = hashed.drop_duplicates("row")
    rows = first["row"].to_numpy(np.int64)
    phone_hash = np.full(n, None, dtype=object)
    last3 = np.full(n, None, dtype=object)
    phone_hash[rows] = first["phone_hash"].to_numpy(dtype=object)
    last3[rows] = first["last3"].to_numpy(dtype=object)
    entries = (hashed["last3"] + ":" + hashed["phone_hash"]).groupby(hashed["row"]).agg(";".join)
    joined = np.full(n, None, dtype=object)
    joined[entries.index.to_numpy(np.int64)] = entries.to_numpy(dtype=object)
    return StoredPhones(phone_hash, last3, joined)


def _empty(index: pd.Index) -> pd.Series:
    return pd.Series([None] * len(index), index=index, dtype=object)


@dataclass(frozen=True)
class ReadAdverts:
    """What the importer stores for adverts: phones as hashes, title and text masked."""

    phones: StoredPhones
    titles: pd.Series
    texts: pd.Series
    hashed: pd.DataFrame


def read_adverts(
    phone: pd.Series | None, titles: pd.Series | None, texts: pd.Series | None, key: str
) -> ReadAdverts:
    """Numbers of the phone column (first), title and text, hashed; title and text masked."""
    index = next(s.index for s in (phone, titles, texts) if s is not None)
    phone, titles, texts = (s if s is not None else _empty(index) for s in (phone, titles, texts))
    in_column = extract_phones(phone)
    in_title = extract_phones(titles)
    in_text = extract_phones(texts)
    numbers = pd.concat(
        [in_column.numbers, in_title.numbers, in_text.numbers], ignore_index=True
    ).drop_duplicates(ignore_index=True)
    hashed = hash_numbers(numbers, key)
    return ReadAdverts(_stored(hashed, len(index)), in_title.masked, in_text.masked, hashed)


def read_tipoff_phones(summaries: pd.Series, key: str) -> StoredPhones:
    """Numbers in tip-off summaries, hashed the same way (the summary itself is kept)."""
    found = extract_phones(summaries)
    return _stored(hash_numbers(found.numbers, key), len(summaries))


def linker_text(titles: pd.Series, texts: pd.Series) -> pd.Series:
    """Title and text together: both carry a network's wording."""
    return titles.fillna("").astype(str).str.cat(texts.fillna("").astype(str), sep=". ")


def stored_phones(phone_hashes: pd.Series) -> pd.DataFrame:
    """Long form (``row``, ``phone_hash``, ``last3``) of stored ``phone_hashes`` entries."""
    entries = phone_hashes.reset_index(drop=True).astype("string").str.split(";").explode()
    parsed = entries.dropna().str.extract(_ENTRY).dropna()
    return pd.DataFrame(
        {
            "row": parsed.index.to_numpy(np.int64),
            "phone_hash": parsed["phone_hash"].to_numpy(dtype=object),
            "last3": parsed["last3"].to_numpy(dtype=object),
        }
    ).drop_duplicates(["row", "phone_hash"], ignore_index=True)


def stored_inputs(
    titles: pd.Series, texts: pd.Series, phone_hashes: pd.Series, image_hashes: pd.Series
) -> AdvertInputs:
    """Linker inputs from stored advert columns (positions 0..n-1)."""
    text = linker_text(titles, texts).reset_index(drop=True)
    return AdvertInputs(text, stored_phones(phone_hashes), parse_image_hashes(image_hashes))


@dataclass(frozen=True)
class PreparedAdverts:
    """Linker inputs plus what is stored: masked title and text, hashed phones."""

    inputs: AdvertInputs
    titles: pd.Series
    texts: pd.Series
    phones: StoredPhones


def prepare_adverts(frame: pd.DataFrame, phone_key: str) -> PreparedAdverts:
    """``frame`` with optional ``title``, ``text``, ``phone``, ``image_hashes`` columns, read as
    the importer reads it and handed to the linker as a rebuild would read it back."""
    empty = _empty(frame.index)
    read = read_adverts(
        frame.get("phone"), frame.get("title", empty), frame.get("text", empty), phone_key
    )
    text = linker_text(read.titles, read.texts).reset_index(drop=True)
    photos = parse_image_hashes(frame.get("image_hashes", empty))
    inputs = AdvertInputs(text, read.hashed[["row", "phone_hash", "last3"]], photos)
    return PreparedAdverts(inputs, read.titles, read.texts, read.phones)
