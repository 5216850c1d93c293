"""What an import hands back: the report, and a small preview of what would be stored."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from layers.imports.report import ImportReport

logger = logging.getLogger(__name__)

PREVIEW_POINTS = 5000
"""Points (or shapes) sent to the map preview; the counts always cover every row."""


@dataclass
class ImportResult:
    """The report, plus a small preview of what would be (or was) stored."""

    report: ImportReport
    preview: pd.DataFrame | None = None
    """``lon``, ``lat``, ``district_code`` of accepted rows (a sample of at most
    :data:`PREVIEW_POINTS`), or for custom layers ``geometry`` (shapely, WGS84)."""
