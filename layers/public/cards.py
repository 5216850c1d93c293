"""PNG social cards and advice cards, drawn on the server with Pillow, offline.

The font is the one Pillow itself ships (``ImageFont.load_default(size)``, Aileron), so nothing
is downloaded and no system font is assumed. The card text is drawn exactly as given: lines are
wrapped only at spaces and every piece drawn is recorded in :attr:`Rendered.drawn`, so a test
(or a reviewer) can check that a card says the approved text and nothing else. Card texts are
plain ASCII; anything else is refused rather than drawn as an empty box.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFont

from layers.public.wording import NUMBERS, CardText

logger = logging.getLogger(__name__)

X_CARD = (1200, 675)
SQUARE_CARD = (1080, 1080)
NAVY = (11, 37, 69)
TEAL = (0, 128, 128)
PALE = (226, 240, 240)
WHITE = (255, 255, 255)
MIN_FONT = 14


@dataclass(frozen=True)
class Rendered:
    """A rendered PNG, its pixel size and every piece of text drawn on it, in order."""

    png: bytes
    size: tuple[int, int]
    drawn: tuple[str, ...]


@dataclass
class Canvas:
    """An image with a text-drawing helper that wraps, shrinks to fit and records what it drew."""

    size: tuple[int, int]
    background: tuple[int, int, int] = NAVY
    drawn: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.image = Image.new("RGB", self.size, self.background)
        self.draw = ImageDraw.Draw(self.image)
        self._fonts: dict[int, ImageFont.FreeTypeFont | ImageFont.ImageFont] = {}

    def font(self, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        """Pillow's own font at ``size`` pixels."""
        if size not in self._fonts:
            self._fonts[size] = ImageFont.load_default(size=size)
        return self._fonts[size]

    def wrap(self, text: str, size: int, width: int) -> list[str]:
        """``text`` split at spaces into lines no wider than ``width`` (a long word stays whole)."""
        font = self.font(size)
        lines: list[str] = []
        for word in text.split(" "):
            if lines and font.getlength(f"{lines[-1]} {word}") <= width:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        return lines

    def fit(self, text: str, size: int, width: int, max_lines: int) -> tuple[int, list[str]]:
        """The largest size up to ``size`` fitting ``text`` in ``max_lines`` lines of ``width``."""
        while True:
            lines = self.wrap(text, size, width)
            widest = max(self.font(size).getlength(line) for line in lines)
            if (len(lines) <= max_lines and widest <= width) or size <= MIN_FONT:
                return size, lines
            size = max(MIN_FONT, int(size * 0.9))

    def text(self, xy: tuple[int, int], text: str, size: int, width: int,
             fill: tuple[int, int, int] = WHITE, max_lines: int = 3, bold: bool = False,
             anchor_centre: bool = False) -> int:
        """Draw ``text`` wrapped into ``width`` at ``xy``; returns the y below it."""
        if not text.isascii() or not text.isprintable():
            raise ValueError("card text must be plain printable ASCII")
        size, lines = self.fit(text, size, width, max_lines)
        font = self.font(size)
        x, y = xy
        step = int(size * 1.25)
        for line in lines:
            left = x + (width - int(font.getlength(line))) // 2 if anchor_centre else x
            self.draw.text((left, y), line, font=font, fill=fill,
                           stroke_width=1 if bold else 0, stroke_fill=fill)
            y += step
        self.drawn.append(" ".join(lines))
        return y

    def png(self) -> Rendered:
        """The image as PNG bytes with what was drawn on it."""
        out = io.BytesIO()
        self.image.save(out, format="PNG", optimize=True)
        return Rendered(out.getvalue(), self.image.size, tuple(self.drawn))


def _numbers_top(canvas: Canvas, numbers: tuple[str, ...], margin: int, size: int) -> int:
    """Where the bottom block of numbers and hashtags starts."""
    return canvas.size[1] - margin // 2 - int(size * 1.25) * (len(numbers) + 2) - 16


def _numbers_and_tags(canvas: Canvas, numbers: tuple[str, ...], hashtags: str, margin: int,
                      size: int) -> None:
    """The numbers to call, one a line (the helpline first and larger), then the hashtags, all
    anchored to the bottom of the card; a number is never broken across lines."""
    width, _height = canvas.size
    y = _numbers_top(canvas, numbers, margin, size)
    canvas.draw.line((margin, y - 14, width - margin, y - 14), fill=PALE, width=2)
    for i, number in enumerate(numbers):
        y = canvas.text((margin, y), number, size + (6 if i == 0 else 0), width - 2 * margin,
                        WHITE if i == 0 else PALE, 1, bold=i == 0)
    canvas.text((margin, y + 10), hashtags, size + 4, width - 2 * margin, WHITE, 1, bold=True)


def _figure_grid(canvas: Canvas, figures: tuple[tuple[str, str], ...], top: int, margin: int,
                 columns: int, box_height: int, value_size: int) -> int:
    """The headline figures as boxes, ``columns`` a row; returns the y below the grid."""
    width = canvas.size[0]
    gap = 20
    box = (width - 2 * margin - (columns - 1) * gap) // columns
    y = top
    for i, (value, label) in enumerate(figures):
        row, col = divmod(i, columns)
        x = margin + col * (box + gap)
        y = top + row * (box_height + gap)
        canvas.draw.rounded_rectangle((x, y, x + box, y + box_height), radius=14, fill=TEAL)
        below = canvas.text((x + 12, y + 14), value, value_size, box - 24, WHITE, 1,
                            bold=True, anchor_centre=True)
        canvas.text((x + 12, below + 2), label, value_size // 3 + 6, box - 24, WHITE, 3,
                    anchor_centre=True)
    rows = (len(figures) + columns - 1) // columns
    return top + rows * (box_height + gap)


def render_card(card: CardText, size: tuple[int, int]) -> Rendered:
    """A social card of ``size`` (1200x675 for X/Twitter, 1080x1080 for Facebook/Instagram)."""
    width, height = size
    square = height >= width
    if len(card.figures) > (6 if square else 4):
        raise ValueError("too many headline figures for this card")
    margin = 60 if square else 48
    numbers_size = 26 if square else 20
    canvas = Canvas(size)
    canvas.draw.rectangle((0, 0, width, 14), fill=TEAL)
    y = canvas.text((margin, 40), card.title, 54 if square else 44, width - 2 * margin,
                    WHITE, 2, bold=True)
    y = canvas.text((margin, y + 4), card.period, 30 if square else 26, width - 2 * margin,
                    PALE, 2)
    if card.figures:
        columns = 3 if square else min(4, len(card.figures))
        y = _figure_grid(canvas, card.figures, y + 24, margin, columns,
                         210 if square else 150, 64 if square else 48)
    statement_size = 30 if square else 24
    room = _numbers_top(canvas, card.numbers, margin, numbers_size) - 24 - (y + 12)
    canvas.text((margin, y + 12), card.statement, statement_size, width - 2 * margin, WHITE,
                max(1, min(3, room // int(statement_size * 1.25))))
    _numbers_and_tags(canvas, card.numbers, card.hashtags, margin, numbers_size)
    return canvas.png()


def render_advice(heading: str, signs: tuple[str, ...], hashtags: str) -> Rendered:
    """A ready-made "spot the signs" advice card, 1080x1080."""
    width = SQUARE_CARD[0]
    margin = 70
    canvas = Canvas(SQUARE_CARD, background=TEAL)
    canvas.draw.rectangle((0, 0, width, 14), fill=NAVY)
    y = canvas.text((margin, 60), heading, 60, width - 2 * margin, WHITE, 2, bold=True)
    y += 30
    for sign in signs:
        canvas.draw.ellipse((margin, y + 14, margin + 18, y + 32), fill=WHITE)
        y = canvas.text((margin + 40, y), sign, 38, width - 2 * margin - 40, WHITE, 3) + 26
    _numbers_and_tags(canvas, NUMBERS, hashtags, margin, 28)
    return canvas.png()
