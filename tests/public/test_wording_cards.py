"""Posts, card texts, alt texts and the rendered cards: sizes, limits and exactly the text given."""

from __future__ import annotations

import datetime as dt
import io

import geopandas as gpd
import pandas as pd
import pytest
from PIL import Image

from geodata.boundaries import read_boundaries
from geodata.force import DISTRICTS
from layers.public.areamap import render_map, shade_for
from layers.public.bundle import CARD_FILES, MAP_FILE, compose, render_images
from layers.public.cards import SQUARE_CARD, X_CARD, render_advice, render_card
from layers.public.figures import FIGURES, Period, district_codes
from layers.public.release import DISTRICT, DIVISION, FORCE, Release, build_release
from layers.public.wording import (
    ADVICE,
    HASHTAGS,
    HELPLINE,
    X_LIMIT,
    alt_text,
    card_text,
    facebook_post,
    x_length,
    x_post,
)
from tests.conftest import boundaries_path

LONG = Period(dt.date(2026, 9, 28), dt.date(2026, 10, 27))


def _release(value: int, scope: str = FORCE, period: Period = LONG) -> Release:
    table = pd.DataFrame(value, index=pd.Index(district_codes(), name="district_code"),
                         columns=list(FIGURES))
    table.loc["outside"] = 0
    return build_release(table, period, scope, 5)


@pytest.fixture(scope="module")
def boundaries() -> gpd.GeoDataFrame:
    return read_boundaries(boundaries_path())


@pytest.mark.parametrize("value", [0, 3, 7, 1_234_567])
def test_pub020_x_post_fits_280_with_both_hashtags_and_the_helpline(value: int) -> None:
    text = x_post(_release(value))
    assert x_length(text) <= X_LIMIT
    assert "#seeitshareit" in text and "#modernslavery" in text
    assert "08000 121 700" in text and HELPLINE in text


def test_pub021_x_length_counts_as_x_does() -> None:
    assert x_length("abc") == 3
    assert x_length("–") == 1  # en dash is in X's light range
    assert x_length("😀") == 2
    assert x_length("漢字") == 4


def test_pub022_facebook_post_has_every_number_and_the_areas() -> None:
    text = facebook_post(_release(9, DIVISION, Period(dt.date(2026, 11, 30),
                                                      dt.date(2026, 11, 30))))
    for number in ("08000 121 700", "101", "999", "0300 323 0085"):
        assert number in text
    assert "#seeitshareit #modernslavery" in text
    assert "on Monday 30 November 2026" in text
    assert "By division:" in text and "- East: 54 visits made" in text
    assert "fewer than" not in text


def test_pub023_posts_leave_out_figures_nothing_happened_for() -> None:
    release = _release(0)
    assert all(f.text == "fewer than 5" and not f.recorded for f in release.force)
    assert "fewer than" not in x_post(release)
    assert "So far" not in facebook_post(release)
    assert card_text(release, 4).figures == ()


@pytest.mark.parametrize(("size", "most"), [(X_CARD, 4), (SQUARE_CARD, 6)])
def test_pub024_cards_have_their_size_and_exactly_the_given_text(size: tuple[int, int],
                                                                 most: int) -> None:
    card = card_text(_release(1_234_567), most)
    assert len(card.figures) == most
    rendered = render_card(card, size)
    image = Image.open(io.BytesIO(rendered.png))
    assert image.format == "PNG"
    assert image.size == size == rendered.size
    assert list(rendered.drawn) == card.lines()
    alt = alt_text(card)
    for value, label in card.figures:
        assert f"{value} {label}" in alt
    for piece in (card.title, card.period, card.statement, *card.numbers, card.hashtags):
        assert piece in alt
    # Not a blank image: the text is really drawn (many distinct pixel values).
    assert len(image.convert("L").getcolors(maxcolors=256) or []) > 20


def test_pub025_card_refuses_text_the_font_cannot_draw() -> None:
    card = card_text(_release(9), 4)
    bad = type(card)(card.title + " ✓", card.period, card.figures, card.statement,
                     card.numbers, card.hashtags)
    with pytest.raises(ValueError, match="ASCII"):
        render_card(bad, X_CARD)
    too_many = type(card)(card.title, card.period, card.figures * 2, card.statement,
                          card.numbers, card.hashtags)
    with pytest.raises(ValueError, match="too many"):
        render_card(too_many, X_CARD)


def test_pub026_advice_cards_are_square_and_say_the_signs() -> None:
    for heading, signs in ADVICE:
        rendered = render_advice(heading, signs, HASHTAGS)
        assert Image.open(io.BytesIO(rendered.png)).size == SQUARE_CARD
        assert rendered.drawn[0] == heading
        assert list(rendered.drawn[1:4]) == list(signs)
        assert "Modern Slavery Helpline 08000 121 700" in rendered.drawn
        assert rendered.drawn[-1] == HASHTAGS


def test_pub027_map_by_district_only_when_every_district_passes(
    boundaries: gpd.GeoDataFrame,
) -> None:
    rich = _release(9, DIVISION)
    assert rich.map_level == DISTRICT
    rendered = render_map(boundaries, rich)
    assert Image.open(io.BytesIO(rendered.png)).size == SQUARE_CARD
    labels = [d for d in rendered.drawn if ": " in d and d.split(": ")[0] in
              {x.name for x in DISTRICTS}]
    assert sorted(labels) == sorted(f"{d.name}: 9" for d in DISTRICTS)
    poor = _release(1, DIVISION)
    assert poor.map_level == DIVISION
    drawn = render_map(boundaries, poor).drawn
    assert {"West: fewer than 5", "South: fewer than 5", "East: 6"} <= set(drawn)
    assert not any(d.name in " ".join(drawn) for d in DISTRICTS)
    with pytest.raises(ValueError, match="no area map"):
        render_map(boundaries, _release(9, FORCE))


def test_pub028_shading_grey_for_small_darker_for_more() -> None:
    shades = shade_for({"West": "5", "South": "fewer than 5", "East": "1,200"})
    assert shades["South"] == (200, 200, 200)
    assert sum(shades["East"]) < sum(shades["West"])


def test_pub029_every_image_of_an_update_is_drawn_from_its_composed_text(
    boundaries: gpd.GeoDataFrame,
) -> None:
    release = _release(6, DIVISION)
    texts = compose(release)
    images = render_images(release, texts, boundaries)
    for key, (name, size, _most) in CARD_FILES.items():
        assert images[name].size == size
        assert list(images[name].drawn) == texts.cards[key].lines()
        assert texts.alt[name] == alt_text(texts.cards[key])
    assert MAP_FILE in images and MAP_FILE in texts.alt
    assert set(images) == set(texts.alt)
