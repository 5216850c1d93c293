"""Phone numbers in advert text: obfuscated ones found, normalised, hashed by the one rule."""

from __future__ import annotations

import pandas as pd
import pytest

from layers.core.phones import hash_phones
from layers.networks.phones import (
    MASK,
    extract_phones,
    find_numbers,
    hash_numbers,
    mask_numbers,
    normalise_number,
)

DRAMA = "447700900123"


@pytest.mark.parametrize(
    "text",
    [
        "call 07700 900123 now",
        "call O7 7OO 9OO l23 now",
        "text 0 7 7 0 0 9 0 0 1 2 3 babe",
        "oh seven seven double oh nine double oh one two three",
        "zero seven seven zero zero, nine zero zero, one two three",
        "ring 0770.090.0123",
        "whatsapp +44 (0) 7700 900123",
        "(07700) 900-123 anytime",
        "0044 7700 900 123",
        "available 24/7 07700900123",
    ],
)
def test_net001_obfuscated_numbers_are_parsed(text):
    found = find_numbers(text)
    assert [f.digits for f in found] == [DRAMA]
    masked = mask_numbers(text, found)
    assert MASK in masked
    assert "123" not in masked and "one two three" not in masked


@pytest.mark.parametrize(
    "text",
    ["rates 100 150 200 250 300", "I am 23, size 8", "open 10am to 11pm", "one hour or two"],
)
def test_net002_prices_ages_and_times_are_not_numbers(text):
    assert find_numbers(text) == []


def test_net003_phone_like_runs_that_do_not_validate_are_still_masked():
    found = find_numbers("new number 07700 900 1234 call")
    assert [f.digits for f in found] == [None]
    assert mask_numbers("new number 07700 900 1234 call", found) == f"new number {MASK} call"


def test_net004_normalisation_accepts_real_and_drama_numbers_only():
    assert normalise_number("07911123456") == "447911123456"
    assert normalise_number("+48601234567") == "48601234567"
    assert normalise_number("01632960001") == "441632960001"
    assert normalise_number("07700900999") == "447700900999"
    assert normalise_number("1001502002") is None
    assert normalise_number("01234") is None


def test_net005_hashes_follow_the_one_hashing_rule():
    numbers = pd.DataFrame({"row": [0, 1], "digits": [DRAMA, "447911123456"]})
    hashed = hash_numbers(numbers, "key")
    expected, last3 = hash_phones(pd.Series(["07700 900123", "07911 123456"]), "key")
    assert hashed["phone_hash"].tolist() == list(expected)
    assert hashed["last3"].tolist() == list(last3) == ["123", "456"]
    assert "digits" not in hashed


def test_net006_numbers_from_column_and_text_by_row_with_masked_text():
    column = pd.Series(["07700 900123; +44 7700 900456", None, ""])
    text = pd.Series(
        [
            "hi call O77OO 9OO 789",
            "no number here",
            "oh seven seven double oh nine double oh one two three",
        ]
    )
    found = extract_phones(column, text)
    by_row = found.numbers.groupby("row")["digits"].apply(sorted).to_dict()
    assert by_row == {0: ["447700900123", "447700900456", "447700900789"], 2: [DRAMA]}
    assert found.masked.tolist() == [f"hi call {MASK}", "no number here", MASK]
