"""The area filters (division, district, status) shared by the operations map and planning page.

The same component ids on both pages, kept for the browser session (Dash persistence), so a
commander who narrows the map to Blackpool finds the planning page narrowed to Blackpool too,
and both still narrowed after visiting any other page. Districts are offered by name.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

import geopandas as gpd
from dash import dcc, html

from geodata.force import DIVISIONS
from layers.core.status import STATUS_LABELS

PERSISTENCE: Literal["session"] = "session"


class AreaIds(StrEnum):
    """The shared filters' ids (one value each, whichever page shows them)."""

    DIVISION = "area-division"
    DISTRICT = "area-district"
    STATUS = "area-status"


def district_options(boundaries: gpd.GeoDataFrame) -> list[dict[str, str]]:
    """Districts by name (with their division), valued by GSS code."""
    return [
        {"label": f"{row.name} ({row.division})", "value": row.code}
        for row in boundaries.sort_values("name").itertuples()
    ]


def area_filter(id_: AreaIds, label: str, options: list[dict[str, str]]) -> html.Div:
    """One multi-choice filter, remembered for the session."""
    return html.Div(
        [
            html.Label(label, htmlFor=str(id_)),
            dcc.Dropdown(
                id=str(id_),
                options=options,
                multi=True,
                placeholder="All",
                persistence=True,
                persistence_type=PERSISTENCE,
            ),
        ],
        className="filter",
    )


def area_filters(boundaries: gpd.GeoDataFrame) -> list[html.Div]:
    """Division, district and status filters."""
    return [
        area_filter(AreaIds.DIVISION, "Division", [{"label": d, "value": d} for d in DIVISIONS]),
        area_filter(AreaIds.DISTRICT, "District", district_options(boundaries)),
        area_filter(
            AreaIds.STATUS,
            "Status",
            [{"label": label, "value": s} for s, label in STATUS_LABELS.items()],
        ),
    ]
