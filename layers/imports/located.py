"""What locating a file's rows produces, and the checks every location source shares.

:class:`Located` is the one result of every location source (columns, grid references,
postcodes, WKT, the file's own geometry); :func:`missing_cells` and :func:`looks_swapped` are the
two checks each of them applies, kept here so the sources word them the same way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from layers.imports.detect import FORCE_LONLAT_BOX, in_box, share
from layers.imports.report import Problems

logger = logging.getLogger(__name__)


@dataclass
class Located:
    """Row locations in WGS84 (NaN where a row could not be located) and how they were found."""

    lon: np.ndarray
    lat: np.ndarray
    method: str
    columns: dict[str, str] = field(default_factory=dict)
    geometry: np.ndarray | None = None
    postcodes: pd.Series | None = None
    hints: list[str] = field(default_factory=list)
    point_mask: np.ndarray | None = None
    """For file geometries: which rows are single points (built-in kinds need points)."""

    @classmethod
    def where(
        cls,
        ok: np.ndarray,
        lon: np.ndarray,
        lat: np.ndarray,
        method: str,
        columns: dict[str, str],
        **more: Any,
    ) -> Located:
        """The points of the rows that are ``ok``; every other row is not located (NaN)."""
        return cls(np.where(ok, lon, np.nan), np.where(ok, lat, np.nan), method, columns, **more)


def empty_cells(values: pd.Series) -> np.ndarray:
    """Which cells are missing or only whitespace."""
    blank = values.isna()
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        blank |= values.astype("string").str.strip().fillna("") == ""
    return blank.to_numpy(dtype=bool)


def missing_cells(
    problems: Problems, frame: pd.DataFrame, columns: list[str], what: str
) -> np.ndarray:
    """Rows with an empty cell in any of ``columns``, each reported once (first column wins)."""
    any_empty = np.zeros(len(frame), dtype=bool)
    for column in columns:
        empty = empty_cells(frame[column])
        problems.add(empty & ~any_empty, column, f"no {what}: the cell is empty")
        any_empty |= empty
    return any_empty


def looks_swapped(
    x: np.ndarray, y: np.ndarray, ok: np.ndarray, box: tuple[float, float, float, float]
) -> bool:
    """Whether most points fall in the force area only with x and y the other way round."""
    return share(in_box(x, y, box), ok) < 0.5 <= share(in_box(y, x, box), ok)


def lonlat_swapped(lon: np.ndarray, lat: np.ndarray, ok: np.ndarray) -> bool:
    """:func:`looks_swapped` for degrees, against the force's box."""
    return looks_swapped(lon, lat, ok, FORCE_LONLAT_BOX)
