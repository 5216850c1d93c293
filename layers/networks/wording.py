"""How synthetic adverts are worded: fixed choices, slots, number formats and re-encoded photos.

Numbers are written the ways controllers write them to beat filters (look-alike letters,
spaced digits, words, dots) and the ways exports give phone columns (any common format).
"""

from __future__ import annotations

import re

import numpy as np

from layers.networks import corpus

_CHOICE = re.compile(r"<([^<>]+)>")
_WORDS = ("oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def fill_choices(pattern: str, rng: np.random.Generator) -> str:
    """Settle each ``<a|b|c>`` (``<adj>``: an adjective) once: a network's wording habit."""

    def pick(match: re.Match[str]) -> str:
        options = match.group(1).split("|")
        if options == ["adj"]:
            return str(rng.choice(corpus.ADJECTIVES))
        return str(rng.choice(options))

    return _CHOICE.sub(pick, pattern)


def misspell(sentence: str, rng: np.random.Generator, rate: float = 0.12) -> str:
    """A writer's own spelling: some longer words get a letter doubled, dropped or swapped.

    Controllers keep their misspellings from advert to advert, which makes their wording theirs.
    """
    words = sentence.split(" ")
    for i, word in enumerate(words):
        if len(word) < 5 or not word.isalpha() or rng.random() >= rate:
            continue
        k = int(rng.integers(1, len(word) - 1))
        kind = int(rng.integers(3))
        if kind == 0:
            words[i] = word[:k] + word[k] + word[k:]
        elif kind == 1:
            words[i] = word[:k] + word[k + 1 :]
        else:
            words[i] = word[: k - 1] + word[k] + word[k - 1] + word[k + 1 :]
    return " ".join(words)


def fill_slots(pattern: str, slots: dict[str, str]) -> str:
    """Fill ``{name}``, ``{age}``, ``{town}`` ... for one advert."""
    for key, value in slots.items():
        pattern = pattern.replace("{" + key + "}", value)
    return pattern


def column_format(national: str, rng: np.random.Generator) -> str:
    """A national number (``07700900123``) as a phone column might hold it."""
    n = national
    formats = (
        f"{n[:5]} {n[5:]}",
        f"+44 {n[1:5]} {n[5:]}",
        n,
        f"({n[:5]}) {n[5:8]}-{n[8:]}",
        f"+44{n[1:]}",
        f"0044 {n[1:5]} {n[5:8]} {n[8:]}",
    )
    return formats[int(rng.integers(len(formats)))]


def text_format(national: str, style: str, rng: np.random.Generator) -> str:
    """A national number written in an advert, in a network's obfuscation ``style``."""
    n = national
    if style == "letters":
        swapped = "".join(
            ("O" if c == "0" else "l" if c == "1" else c) if rng.random() < 0.7 else c for c in n
        )
        return f"{swapped[:5]} {swapped[5:8]} {swapped[8:]}"
    if style == "spaced":
        return " ".join(n)
    if style == "dotted":
        return f"{n[:4]}.{n[4:7]}.{n[7:]}"
    if style == "words":
        return _in_words(n, rng)
    return column_format(n, rng)


def _in_words(number: str, rng: np.random.Generator) -> str:
    words: list[str] = []
    i = 0
    while i < len(number):
        word = _WORDS[int(number[i])]
        if word == "oh" and rng.random() < 0.4:
            word = "zero"
        if i + 1 < len(number) and number[i + 1] == number[i] and rng.random() < 0.6:
            words.append(f"double {word}")
            i += 2
            continue
        words.append(word)
        i += 1
    return " ".join(words)


def reencode(photo: int, bits: int, rng: np.random.Generator) -> int:
    """A re-upload of ``photo``: its 64-bit perceptual hash with ``bits`` distinct bits flipped."""
    for bit in rng.choice(64, size=bits, replace=False):
        photo ^= 1 << int(bit)
    return photo
