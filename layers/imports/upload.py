"""A file uploaded through the browser: a ``data:`` URL, decoded within the upload limit.

The imports page keeps the uploaded file in the browser between the preview and the commit
(so no server process holds state between requests) and sends it as a base64 ``data:`` URL.
The limit is checked on the encoded text before anything is decoded, so an oversized upload
costs no memory beyond what the web server already accepted.
"""

from __future__ import annotations

import base64
import binascii
import logging

from layers.imports.safety import ImportRefused

logger = logging.getLogger(__name__)

SLACK = 1024
"""Bytes allowed beyond base64's 4/3 growth for the ``data:<type>;base64,`` prefix."""


def encoded_limit(max_bytes: int) -> int:
    """The longest ``data:`` URL that can hold a file of ``max_bytes``."""
    return max_bytes * 4 // 3 + SLACK


def decode_upload(contents: str, max_bytes: int) -> bytes:
    """The bytes of an uploaded ``data:<type>;base64,<data>`` URL within ``max_bytes``."""
    if len(contents) > encoded_limit(max_bytes):
        raise ImportRefused(
            f"the file is larger than the upload limit of {max_bytes // (1024 * 1024)} MB"
        )
    _header, comma, data = contents.partition(",")
    if not comma:
        raise ImportRefused("the upload could not be decoded: it is not a data URL")
    try:
        decoded = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImportRefused(f"the upload could not be decoded: {exc}") from None
    if len(decoded) > max_bytes:
        raise ImportRefused(
            f"the file is larger than the upload limit of {max_bytes // (1024 * 1024)} MB"
        )
    return decoded
