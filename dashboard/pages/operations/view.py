"""What the operations map draws: which rows as points, which as aggregated cells.

Pure functions over the map frame (no Dash), so the rules are unit-tested directly. Beyond
``limit`` points in view a layer is drawn as counted cells; zooming in or filtering down brings
the individual points back. Counts always cover every filtered row, drawn or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geodata.density import Cells, cell_size_for, grid_cells
from layers.core.db import Database
from layers.core.queries import Filters, category_mask, current_frame, filter_mask

POINTS = "points"
CELLS = "cells"


@dataclass(frozen=True)
class Viewport:
    """The visible map area in lon/lat."""

    west: float
    south: float
    east: float
    north: float

    @classmethod
    def from_relayout(cls, relayout: dict[str, Any] | None) -> Viewport | None:
        """Read the corners plotly reports in ``relayoutData`` (``map._derived``), if any."""
        derived = (relayout or {}).get("map._derived") or {}
        coords = derived.get("coordinates")
        if not coords:
            return None
        lons = [c[0] for c in coords]
        lats = [c[1] for c in coords]
        return cls(min(lons), min(lats), max(lons), max(lats))

    def contains(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Mask of the points inside the viewport."""
        return (lon >= self.west) & (lon <= self.east) & (lat >= self.south) & (lat <= self.north)

    def as_list(self) -> list[float]:
        """JSON-friendly corners (west, south, east, north)."""
        return [self.west, self.south, self.east, self.north]


@dataclass(frozen=True)
class LayerView:
    """How one layer is drawn: its filtered total, and the points or cells to draw."""

    kind: str
    mode: str
    total: int
    rows: np.ndarray  # positions in the frame of the points drawn (empty for cells)
    cells: Cells | None


def plan_layer(
    frame: pd.DataFrame,
    mask: np.ndarray,
    kind: str,
    viewport: Viewport | None,
    limit: int,
) -> LayerView:
    """Decide how ``kind`` is drawn given the filter ``mask`` and the visible area."""
    in_kind = mask & category_mask(frame["kind"], (kind,))
    total = int(in_kind.sum())
    visible = in_kind
    if viewport is not None:
        visible = in_kind & viewport.contains(frame["lon"].to_numpy(), frame["lat"].to_numpy())
    rows = np.flatnonzero(visible)
    if len(rows) <= limit:
        return LayerView(kind, POINTS, total, rows, None)
    east = frame["easting"].to_numpy()[rows]
    north = frame["northing"].to_numpy()[rows]
    extent = max(float(np.ptp(east)), float(np.ptp(north)), 1.0)
    cells = grid_cells(east, north, cell_size_for(len(rows), extent))
    return LayerView(kind, CELLS, total, np.empty(0, dtype=np.int64), cells)


def locate_click(
    frame: pd.DataFrame,
    view: LayerView,
    point_index: int,
    lon: float,
    lat: float,
) -> int | None:
    """The id of the clicked point: by its index in the drawn rows, checked against its position.

    If the data moved since the map was drawn, fall back to the nearest drawn point.
    """
    if view.mode != POINTS or len(view.rows) == 0:
        return None
    lons = frame["lon"].to_numpy()[view.rows].astype(np.float32)
    lats = frame["lat"].to_numpy()[view.rows].astype(np.float32)
    if 0 <= point_index < len(view.rows):
        same = (
            abs(float(lons[point_index]) - lon) < 1e-5
            and abs(float(lats[point_index]) - lat) < 1e-5
        )
        if same:
            return int(frame["id"].to_numpy()[view.rows[point_index]])
    nearest = int(np.argmin((lons - lon) ** 2 + (lats - lat) ** 2))
    return int(frame["id"].to_numpy()[view.rows[nearest]])


def redraw_needed(
    polled: bool,
    moved: bool,
    state: dict[str, Any] | None,
    viewport: Viewport | None,
    revision: int,
) -> bool:
    """Whether the map must be redrawn: not for a poll with no new data since the last redraw,
    nor for a relayout that did not move the map (``polled``/``moved``: the only trigger)."""
    if not state:
        return True
    if polled and revision == state.get("revision"):
        return False
    return not (moved and viewport is not None and state.get("viewport") == viewport.as_list())


def clicked_location(
    db: Database, limit: int, state: dict[str, Any], kind: str, point: dict[str, Any]
) -> int | None:
    """The id of the location a map click landed on, given the view the map was drawn with."""
    _rev, frame = current_frame(db)
    filters = Filters.from_dict(state["filters"])
    viewport = Viewport(*state["viewport"]) if state.get("viewport") else None
    view = plan_layer(frame, filter_mask(frame, filters), kind, viewport, limit)
    index = int(point.get("pointIndex", point.get("pointNumber", -1)))
    return locate_click(frame, view, index, point["lon"], point["lat"])
