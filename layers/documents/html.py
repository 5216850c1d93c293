"""The printable, self-contained HTML page every OpsMap document uses: marking, title, CSP.

The page carries a Content-Security-Policy meta tag. A document without script gets
``script-src 'none'``; one that needs its own inline code (the briefing pack's maps) passes the
hashes of exactly those scripts, so nothing injected into the page can run, even when the file
is opened from disk where no server header applies.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Iterable
from typing import Any

MARKING_CSS = """
.marking{background:#7a0019;color:#fff;text-align:center;font-weight:bold;padding:4px;
 letter-spacing:1px}
@media print{.no-print{display:none} body{margin:32px 0}
 .marking{position:fixed;left:0;right:0;-webkit-print-color-adjust:exact;print-color-adjust:exact}
 .marking-top{top:0} .marking-bottom{bottom:0}}
"""


_SCRIPT_DATA_ESCAPES = {
    ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028", ord("\u2029"): "\\u2029",
}


def data_block(element_id: str, data: Any) -> str:
    """``data`` as a JSON data block (``<script type="application/json">``) for a page's script.

    A data block is never run, so it needs no CSP hash; its text is JSON with ``<``, ``>``,
    ``&`` and the JavaScript line separators escaped, so no value (``</script>``, ``<!--``)
    can end the block early or be read as markup. Scripts read it with ``JSON.parse``.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (f'<script type="application/json" id="{html.escape(element_id)}">'
            f"{text.translate(_SCRIPT_DATA_ESCAPES)}</script>")


def script_hash(source: str) -> str:
    """The CSP source expression (``'sha256-...'``) allowing exactly this inline script."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def csp(script_hashes: Iterable[str] = (), *, images: str = "'self' data:") -> str:
    """The policy: no network, no plugins, inline style, and only the given scripts."""
    hashes = " ".join(script_hashes)
    scripts = hashes if hashes else "'none'"
    return (
        f"default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; "
        f"img-src {images}; font-src data:; connect-src 'none'; object-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def marked_page(marking: str, title: str, body: str, *, css: str = "",
                head_extra: str = "", script_hashes: Iterable[str] = ()) -> str:
    """A complete page: CSP, title, the marking at the top and bottom, and ``body`` (trusted,
    already-escaped HTML) between them. ``marking`` and ``title`` are escaped here."""
    esc = html.escape
    return (
        "<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{esc(csp(script_hashes))}\">"
        f"<title>{esc(marking)} - {esc(title)}</title>"
        f"<style>{MARKING_CSS}{css}</style>{head_extra}</head>"
        f"<body><div class='marking marking-top'>{esc(marking)}</div>{body}"
        f"<div class='marking marking-bottom'>{esc(marking)}</div></body></html>"
    )
