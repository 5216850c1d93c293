"""The code the briefing pack carries inline: Leaflet, plotly.js and the pack's own script.

Partner agencies open the pack on a secure laptop with no network, so everything is inline:
Leaflet's JS and CSS come from the pinned ``xstatic-leaflet`` package, plotly.js from the
version plotly.py ships. Inlined libraries mention third-party URLs (basemap styles, licence
comments); those are neutralised so nothing in the file can reach another host. Only W3C XML
namespace identifiers (``http://www.w3.org/2000/svg`` and friends) stay: they are names the DOM
needs, never fetched.

The files are read once per installed version: :data:`layers.cache.ASSETS`, keyed by the file's
path and modification time.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

import plotly.offline

from layers.cache import ASSETS
from layers.documents.html import script_hash

W3C_NAMESPACES: tuple[str, ...] = (
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/2000/xmlns/",
    "http://www.w3.org/XML/1998/namespace",
)
"""XML namespace names: identifiers the DOM needs, never fetched (allowed in the pack)."""

_URL_RE = re.compile(
    r"https?://(?!" + "|".join(re.escape(n.split("://", 1)[1]) for n in W3C_NAMESPACES) + ")",
    re.IGNORECASE,
)
_CSS_URL_RE = re.compile(r"url\((['\"]?)images/([\w.-]+\.png)\1\)")
PACK_SCRIPT = Path(__file__).with_name("pack.js")


def neutralise_urls(text: str) -> str:
    """Make every non-namespace ``http(s)://`` in inlined code inert (``about:blank#host...``)."""
    return _URL_RE.sub("about:blank#", text)


@dataclass(frozen=True)
class InlineScript:
    """A script to inline and the CSP hash that allows exactly it."""

    source: str
    hash: str

    @classmethod
    def of(cls, source: str) -> InlineScript:
        """Hash ``source`` (done once per asset: plotly.js is several megabytes)."""
        return cls(source, script_hash(source))

    def tag(self) -> str:
        """The ``<script>`` element."""
        return f"<script>{self.source}</script>"


def _key(path: Path) -> tuple[str, int]:
    return str(path), path.stat().st_mtime_ns


def _leaflet(base: Path) -> tuple[InlineScript, str]:
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def _inline(match: re.Match[str]) -> str:
        data = (base / "images" / match.group(2)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode('ascii')})"

    css = _CSS_URL_RE.sub(_inline, css)
    js = js.replace("//# sourceMappingURL=leaflet.js.map", "")
    return InlineScript.of(neutralise_urls(js)), neutralise_urls(css)


def leaflet_assets() -> tuple[InlineScript, str]:
    """Leaflet's JS and CSS, ready to inline (the CSS's images become data URIs)."""
    import xstatic.pkg.leaflet as xleaflet

    base = Path(xleaflet.BASE_DIR)
    value = ASSETS.get_or_build(("leaflet", *_key(base / "leaflet.js")), lambda: _leaflet(base))
    if not isinstance(value, tuple):  # the cache holds what this module put there
        raise TypeError(f"cached value is {type(value).__name__}, not tuple")
    return value


def plotly_js() -> InlineScript:
    """plotly.js (the version plotly.py ships) with its third-party URLs neutralised."""
    value = ASSETS.get_or_build(
        ("plotly.js", plotly.__version__),
        lambda: InlineScript.of(neutralise_urls(plotly.offline.get_plotlyjs())),
    )
    if not isinstance(value, InlineScript):  # the cache holds what this module put there
        raise TypeError(f"cached value is {type(value).__name__}, not InlineScript")
    return value


def pack_script() -> InlineScript:
    """The pack's own script (maps and charts from the data block), the same for every pack."""
    value = ASSETS.get_or_build(
        ("pack.js", *_key(PACK_SCRIPT)),
        lambda: InlineScript.of(PACK_SCRIPT.read_text(encoding="utf-8")),
    )
    if not isinstance(value, InlineScript):  # the cache holds what this module put there
        raise TypeError(f"cached value is {type(value).__name__}, not InlineScript")
    return value
