"""Advert contact phones, stored only as a keyed hash and the last three digits.

The hash (HMAC-SHA256 with a deployment secret) lets analysts link adverts that share a number
across towns without the number itself ever being stored or shown. :func:`phone_digests` is the
one place the hashing rule lives: the import of a phone column, numbers found in advert text
and tip-off summaries (:mod:`layers.networks.phones`) all go through it, so the same number
always gives the same hash.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

_NON_DIGITS = re.compile(r"\D+")


def normalise_phones(numbers: pd.Series) -> pd.Series:
    """Digits only in international form: ``07700 900123`` and ``+44 7700 900123`` agree."""
    digits = numbers.astype("string").str.replace(_NON_DIGITS, "", regex=True).fillna("")
    digits = digits.where(~digits.str.startswith("0044"), digits.str.slice(2))
    return digits.where(~digits.str.match(r"^0\d{9,10}$"), "44" + digits.str.slice(1))


def phone_digests(digits: Iterable[str], key: str) -> list[str]:
    """Keyed hashes of international-form digit strings (``447700900123``): the hashing rule."""
    secret = key.encode()
    return [hmac.new(secret, d.encode(), hashlib.sha256).hexdigest() for d in digits]


def hash_phones(numbers: pd.Series, key: str) -> tuple[np.ndarray, np.ndarray]:
    """Keyed hashes and last three digits of ``numbers``; empty or too short gives ``None``."""
    digits = normalise_phones(numbers)
    usable = digits.str.len() >= 6
    hashes = np.full(len(digits), None, dtype=object)
    last3 = np.full(len(digits), None, dtype=object)
    values = digits[usable].tolist()
    hashes[usable.to_numpy()] = phone_digests(values, key)
    last3[usable.to_numpy()] = [v[-3:] for v in values]
    return hashes, last3
