"""Map symbols stand out from the map (issue 18, WCAG 1.4.11): at least 3:1 against the background
on the normal and the briefing theme, and kinds differ by more than colour."""

from __future__ import annotations

from dashboard.components.maps import BACKGROUND, KIND_COLOURS, KIND_SIZES, STATUS_COLOURS
from dashboard.pages.briefing.figures import STATUS_COLOURS as BRIEFING_STATUS
from dashboard.pages.operations.figures import NETWORK_PALETTE
from layers.briefing.charts import KIND_COLOURS as BRIEFING_KINDS
from layers.briefing.charts import SCREEN_BG


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_mcx001_every_map_symbol_has_3_to_1_on_the_normal_map() -> None:
    colours = {**KIND_COLOURS, **STATUS_COLOURS, **dict(enumerate(NETWORK_PALETTE))}
    weak = {name: round(contrast(c, BACKGROUND), 2) for name, c in colours.items()
            if contrast(c, BACKGROUND) < 3}
    assert weak == {}
    assert contrast("#999999", BACKGROUND) < 3  # the check can fail: the old grey would


def test_mcx002_every_map_symbol_has_3_to_1_on_the_briefing_screen() -> None:
    colours = {**BRIEFING_KINDS, **BRIEFING_STATUS}
    assert {n: c for n, c in colours.items() if contrast(c, SCREEN_BG) < 3} == {}


def test_mcx003_kinds_differ_in_size_not_only_colour() -> None:
    assert len(set(KIND_SIZES.values())) == len(KIND_SIZES)
    assert len(set(KIND_COLOURS.values())) == len(KIND_COLOURS)
