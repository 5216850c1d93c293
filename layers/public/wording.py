"""Every word an update publishes: the templates, in the project's own words.

Posts, card texts and alt texts are built here from a :class:`layers.public.release.Release`
(numbers, "fewer than k", district and division names, the period's days) and these templates
only. :data:`PUBLIC_VOCABULARY` is the set of words they can produce; every text is checked
against it before it is stored (:func:`layers.public.disclosure.check_public_text`).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from geodata.force import DISTRICTS, DIVISIONS
from layers.public.disclosure import (
    MONTHS,
    WEEKDAYS,
    check_public_text,
    fewer_than,
    vocabulary_of,
)
from layers.public.figures import FIGURES
from layers.public.release import Figure, Release

FORCE_NAME = "Lancashire Police"
HASHTAGS = "#seeitshareit #modernslavery"
HELPLINE = "Modern Slavery Helpline 08000 121 700"
X_LIMIT = 280
TITLE = "Week of action against modern slavery"
STATEMENT = (
    f"{FORCE_NAME} and partner agencies are out across Lancashire finding and helping people "
    "who are exploited for their work or their bodies."
)
NUMBERS: tuple[str, ...] = (
    HELPLINE,
    "Police 101",
    "Emergency 999",
    "Lancashire Victim Services 0300 323 0085",
)
SIGNS_LINE = (
    "Spot the signs: someone who seems frightened or controlled, has no ID or money of their "
    "own, or is moved to and from work at odd hours."
)
X_OPENING = f"{FORCE_NAME}, week of action against modern slavery, {{period}}: "
X_CLOSING = f". Seen something? Share it: {HELPLINE}. {HASHTAGS}"
FACEBOOK_TEMPLATE = """{title}: our update {period}.

{statement}

{figures}{areas}
Modern slavery can be hidden in plain sight: in car washes, nail bars, farms, factories, \
takeaways and private homes. {signs}

If you are worried about someone, share it:
- Modern Slavery Helpline: 08000 121 700 (free, confidential, 24 hours a day)
- Lancashire Police: 101
- In an emergency, always call 999
- Lancashire Victim Services: 0300 323 0085 (free support, whether or not you report)

{hashtags}"""

ADVICE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Spot the signs: at work", (
        "Works long hours for little or no pay, and someone else takes the money",
        "Has no protective clothing or the wrong clothes for the job",
        "Is picked up and dropped off in a group, early in the morning or late at night",
    )),
    ("Spot the signs: at home", (
        "Lives where they work, or many people share one crowded address",
        "Rarely goes out alone and seems scared to speak to neighbours",
        "Has few belongings and wears the same clothes day after day",
    )),
    ("Spot the signs: the person", (
        "Someone else keeps their passport or ID and answers for them",
        "Seems frightened, withdrawn, or unsure of where they are",
        "Has injuries they will not explain, or owes a debt they can never pay off",
    )),
)
"""Ready-made "spot the signs" advice cards: a heading and three signs each."""


@dataclass(frozen=True)
class CardText:
    """The text of one social card, line by line as the renderer draws it."""

    title: str
    period: str
    figures: tuple[tuple[str, str], ...]
    statement: str
    numbers: tuple[str, ...]
    hashtags: str

    def lines(self) -> list[str]:
        """Every piece of text on the card, in drawing order (a figure's value, then label)."""
        return [
            self.title, self.period,
            *(piece for figure in self.figures for piece in figure),
            self.statement, *self.numbers, self.hashtags,
        ]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (stored with the draft)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CardText:
        """The card stored by :meth:`as_dict`."""
        return cls(
            title=data["title"], period=data["period"],
            figures=tuple((str(v), str(label)) for v, label in data["figures"]),
            statement=data["statement"], numbers=tuple(data["numbers"]),
            hashtags=data["hashtags"],
        )


def x_length(text: str) -> int:
    """Characters as X/Twitter counts them: most scripts count 1, others (e.g. emoji, CJK) 2."""
    light = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
    return sum(1 if any(a <= ord(c) <= b for a, b in light) else 2 for c in text)


def _postable(figures: tuple[Figure, ...]) -> list[Figure]:
    """Figures worth a post: exact numbers, and "fewer than k" only when something happened."""
    return [f for f in figures if f.exact or f.recorded]


def x_post(release: Release) -> str:
    """The X/Twitter post: as many figures as fit in 280 characters with the helpline and tags."""
    opening = X_OPENING.format(period=release.period)
    chosen: list[str] = []
    for figure in _postable(release.force):
        candidate = opening + ", ".join([*chosen, figure.phrase]) + X_CLOSING
        if x_length(candidate) <= X_LIMIT:
            chosen.append(figure.phrase)
    if not chosen:
        opening = opening.removesuffix(": ") + ": our teams are out"
    text = opening + ", ".join(chosen) + X_CLOSING
    if x_length(text) > X_LIMIT:
        raise ValueError("the X post template is longer than 280 characters")
    return text


def _lines(figures: list[Figure]) -> str:
    return "".join(f"- {f.phrase}\n" for f in figures)


def facebook_post(release: Release) -> str:
    """The longer Facebook post: every figure, the areas, the signs and all the numbers."""
    figures = _postable(release.force)
    listed = "So far:\n" + _lines(figures) if figures else ""
    areas = ""
    if release.areas:
        word = "district" if release.level == "district" else "division"
        blocks = [
            f"{a.name}: " + ", ".join(f.phrase for f in _postable(a.figures))
            for a in release.areas if _postable(a.figures)
        ]
        if blocks:
            areas = f"\nBy {word}:\n" + "".join(f"- {b}\n" for b in blocks)
    return FACEBOOK_TEMPLATE.format(
        title=TITLE, period=release.period, statement=STATEMENT, figures=listed, areas=areas,
        signs=SIGNS_LINE, hashtags=HASHTAGS,
    )


def card_text(release: Release, most: int) -> CardText:
    """A social card's text: the headline figures (up to ``most``), wording, numbers, tags."""
    figures = sorted(_postable(release.force), key=lambda f: not f.exact)[:most]
    period = release.period[0].upper() + release.period[1:]
    return CardText(
        title=TITLE, period=period, figures=tuple((f.text, f.label) for f in figures),
        statement=STATEMENT, numbers=NUMBERS, hashtags=HASHTAGS,
    )


def alt_text(card: CardText) -> str:
    """Alt text of a social card: everything it says, in reading order."""
    figures = "; ".join(f"{value} {label}" for value, label in card.figures)
    body = f"{figures}. " if figures else ""
    return (f"{FORCE_NAME} social card. {card.title}. {card.period}. {body}{card.statement} "
            f"Numbers to call: {'; '.join(card.numbers)}. {card.hashtags}")


def advice_alt_text(heading: str, signs: tuple[str, ...]) -> str:
    """Alt text of an advice card."""
    return (f"{FORCE_NAME} advice card. {heading}. " + ". ".join(signs)
            + f". Numbers to call: {'; '.join(NUMBERS)}. {HASHTAGS}")


def map_alt_text(release: Release) -> str:
    """Alt text of the area map: what it shows and every area's value."""
    word = "district" if release.map_level == "district" else "division"
    values = "; ".join(f"{name}: {value}" for name, value in release.map_values)
    return (f"{FORCE_NAME} map of Lancashire by {word}, shaded by {FIGURES['visits']} "
            f"{release.period}. {values}. {HASHTAGS}")


GLUE_WORDS = (
    "our teams are out, social card, advice card, map of Lancashire by district or division, "
    "so far, shaded by, numbers to call, on, from, to, fewer than, each is shaded darker "
    "means more, grey"
)
"""The words the builders below add around the templates."""


def map_title(release: Release) -> str:
    """The area map's heading."""
    label = FIGURES["visits"]
    return f"{label[0].upper()}{label[1:]} {release.period}"


def map_legend(release: Release) -> str:
    """The area map's key."""
    word = "district" if release.map_level == "district" else "division"
    return (f"Each {word} is shaded by {FIGURES['visits']}: darker means more. "
            f"Grey means {fewer_than(release.k)}.")


def _bare(template: str) -> str:
    """A template without its ``{placeholders}`` (they are not words of the output)."""
    return re.sub(r"\{\w+\}", " ", template)


PUBLIC_VOCABULARY: frozenset[str] = vocabulary_of([
    FORCE_NAME, HASHTAGS, TITLE, STATEMENT, *NUMBERS, SIGNS_LINE, _bare(X_OPENING), X_CLOSING,
    _bare(FACEBOOK_TEMPLATE), GLUE_WORDS, *FIGURES.values(),
    *(d.name for d in DISTRICTS), *DIVISIONS, *WEEKDAYS, *MONTHS,
    *(heading for heading, _ in ADVICE), *(sign for _, signs in ADVICE for sign in signs),
])
"""Every word the templates can produce (numbers aside)."""


def check_texts(texts: list[str]) -> None:
    """Refuse the update if any text holds a word from outside the templates (second lock)."""
    for text in texts:
        check_public_text(text, PUBLIC_VOCABULARY)
