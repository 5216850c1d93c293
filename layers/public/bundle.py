"""An update's texts (composed once, when drafted) and its files (rendered from those texts).

:func:`compose` builds every text of an update from its release and checks each one against the
public vocabulary. :func:`render_files` turns the *stored* texts of an update into the files a
press officer posts: the two posts, the social cards, the area map, the advice cards, the alt
text of every image and a manifest of the figures released. The renderer is given the stored
card texts, so what is drawn is what was approved.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd

from layers.public.areamap import render_map
from layers.public.cards import SQUARE_CARD, X_CARD, Rendered, render_advice, render_card
from layers.public.release import Release
from layers.public.wording import (
    ADVICE,
    HASHTAGS,
    CardText,
    advice_alt_text,
    alt_text,
    card_text,
    check_texts,
    facebook_post,
    map_alt_text,
    x_post,
)

logger = logging.getLogger(__name__)

CARD_FILES: dict[str, tuple[str, tuple[int, int], int]] = {
    "x": ("card_x_1200x675.png", X_CARD, 4),
    "square": ("card_square_1080x1080.png", SQUARE_CARD, 6),
}
"""Social cards: key -> (file name, pixel size, most headline figures)."""
MAP_FILE = "map_1080x1080.png"


def advice_file(number: int) -> str:
    """The file name of advice card ``number`` (from 1)."""
    return f"advice_{number}_1080x1080.png"


@dataclass(frozen=True)
class Texts:
    """Every text of an update: posts, card texts and the alt text of every image."""

    x: str
    facebook: str
    cards: dict[str, CardText]
    alt: dict[str, str]

    def all(self) -> list[str]:
        """Every text, for the vocabulary check."""
        card_lines = [line for card in self.cards.values() for line in card.lines()]
        return [self.x, self.facebook, *card_lines, *self.alt.values()]

    def cards_json(self) -> str:
        """Card texts and alt texts as stored with the draft."""
        return json.dumps({"cards": {k: c.as_dict() for k, c in self.cards.items()},
                           "alt": self.alt})

    @classmethod
    def stored(cls, x: str, facebook: str, cards_json: str) -> Texts:
        """The texts as stored with a draft."""
        data = json.loads(cards_json)
        return cls(x, facebook, {k: CardText.from_dict(v) for k, v in data["cards"].items()},
                   dict(data["alt"]))


def compose(release: Release) -> Texts:
    """Build and check every text of an update from its release (templates and numbers only)."""
    cards = {key: card_text(release, most) for key, (_n, _s, most) in CARD_FILES.items()}
    alt = {CARD_FILES[key][0]: alt_text(card) for key, card in cards.items()}
    if release.map_level is not None:
        alt[MAP_FILE] = map_alt_text(release)
    for i, (heading, signs) in enumerate(ADVICE, start=1):
        alt[advice_file(i)] = advice_alt_text(heading, signs)
    texts = Texts(x_post(release), facebook_post(release), cards, alt)
    check_texts(texts.all())
    return texts


@dataclass
class Bundle:
    """The files of one update, by name, and what each image's renderer drew."""

    stem: str
    files: dict[str, bytes] = field(default_factory=dict)
    images: dict[str, Rendered] = field(default_factory=dict)

    def write(self, folder: Path) -> list[Path]:
        """Write every file into ``folder`` (created if needed); returns the paths."""
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, data in self.files.items():
            path = folder / name
            path.write_bytes(data)
            paths.append(path)
        return paths

    def zip_bytes(self) -> bytes:
        """Every file in one zip, under a folder named after the update."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.files.items():
                archive.writestr(f"{self.stem}/{name}", data)
        return out.getvalue()


def render_images(
    release: Release, texts: Texts, boundaries: gpd.GeoDataFrame | None
) -> dict[str, Rendered]:
    """Every image of an update, by file name, drawn from the stored texts."""
    images = {name: render_card(texts.cards[key], size)
              for key, (name, size, _most) in CARD_FILES.items()}
    if release.map_level is not None and boundaries is not None:
        images[MAP_FILE] = render_map(boundaries, release)
    for i, (heading, signs) in enumerate(ADVICE, start=1):
        images[advice_file(i)] = render_advice(heading, signs, HASHTAGS)
    return images


def manifest(update_id: int, release: Release, alt: dict[str, str], names: list[str]) -> str:
    """What the export holds: the figures released and every file with its alt text."""
    data: dict[str, Any] = {
        "update": update_id,
        "period": {"from": release.start, "to": release.end, "words": release.period},
        "level": release.level,
        "threshold_k": release.k,
        "force": {f.label: f.text for f in release.force},
        "areas": {a.name: {f.label: f.text for f in a.figures} for a in release.areas},
        "files": [{"name": n, "alt_text": alt.get(n)} for n in names],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def render_files(update_id: int, release: Release, texts: Texts,
                 boundaries: gpd.GeoDataFrame | None) -> Bundle:
    """The export of an update: posts, PNG cards, map, advice cards, alt text, manifest."""
    bundle = Bundle(stem=f"public-update-{update_id}-{release.start}-to-{release.end}")
    bundle.files["x_post.txt"] = (texts.x + "\n").encode()
    bundle.files["facebook_post.txt"] = (texts.facebook + "\n").encode()
    bundle.images = render_images(release, texts, boundaries)
    bundle.files.update({name: image.png for name, image in bundle.images.items()})
    alt_lines = [f"{name}: {texts.alt[name]}" for name in bundle.images]
    bundle.files["alt_text.txt"] = ("\n\n".join(alt_lines) + "\n").encode()
    names = [*bundle.files, "update.json"]
    bundle.files["update.json"] = manifest(update_id, release, texts.alt, names).encode()
    return bundle
