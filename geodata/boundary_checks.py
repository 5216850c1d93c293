"""Strict checks of district boundaries, and their one normalised shape.

Wrong boundaries mean wrong tasking, so a file is refused with a message that says what to do
rather than repaired silently: exact set of GSS codes, non-empty valid polygons, a known CRS.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.crs import WGS84
from geodata.force import DISTRICT_BY_CODE, DISTRICTS, HINT, BoundaryError

_CODE_COLUMN = re.compile(r"(?i)^lad\d{2}cd$")
_NAME_COLUMN = re.compile(r"(?i)^lad\d{2}nm$")


def _source_column(columns: pd.Index, wanted: str, pattern: re.Pattern[str]) -> str | None:
    """The column holding ``wanted`` data: ``wanted`` itself, else an ONS-style ``LADyyCD``.

    ONS services name columns after the boundary vintage (``LAD24CD``, ``lad19cd``); the
    newest vintage wins when several are present.
    """
    if wanted in columns:
        return wanted
    matches = sorted((str(c) for c in columns if pattern.match(str(c))), reverse=True)
    return matches[0] if matches else None


def validate_boundaries(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Check district boundaries and return them in the one shape the app relies on.

    Parameters
    ----------
    gdf
        Boundaries with a CRS, a code column (``code`` or ONS ``LADyyCD``), optionally a name
        (``name`` or ``LADyyNM``) and ``division``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``code, name, division, geometry`` in EPSG:4326, one row per district, sorted by
        code. ``division`` always comes from :data:`DISTRICTS` (it is a force fact, not
        something the source can know); ``name`` is taken from the source and filled from
        :data:`DISTRICTS` where absent or blank.

    Raises
    ------
    BoundaryError
        No CRS, no code column, missing/unexpected/duplicate codes, non-polygon, empty or
        invalid geometries. Invalid geometries are refused (not repaired with ``make_valid``)
        because a repair can silently move a district edge.
    """
    frame = _standard_frame(gdf)
    _check_codes(frame["code"])
    _check_geometries(frame["code"], frame.geometry.to_numpy())
    names = [
        n if n else DISTRICT_BY_CODE[c].name
        for c, n in zip(frame["code"], frame["source_name"], strict=True)
    ]
    out = gpd.GeoDataFrame(
        {
            "code": frame["code"].to_numpy(object),
            "name": names,
            "division": [DISTRICT_BY_CODE[c].division for c in frame["code"]],
        },
        geometry=frame.geometry.to_numpy(),
        crs=WGS84,
    )
    return out.sort_values("code").reset_index(drop=True)


def _standard_frame(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``code``, ``source_name`` and geometry in WGS84, whatever the source called them."""
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise BoundaryError(f"boundaries must be a GeoDataFrame, got {type(gdf).__name__}")
    if gdf.crs is None:
        raise BoundaryError(
            "the boundaries have no coordinate reference system (CRS), so their position is "
            "unknown. Save them with a CRS (GeoJSON is EPSG:4326) or call set_crs(). " + HINT
        )
    code_col = _source_column(gdf.columns, "code", _CODE_COLUMN)
    if code_col is None:
        raise BoundaryError(
            "the boundaries have no district code column: expected 'code' or an ONS column "
            f"such as 'LAD24CD'; found columns {list(map(str, gdf.columns))}. " + HINT
        )
    name_col = _source_column(gdf.columns, "name", _NAME_COLUMN)
    geom = gdf.geometry
    return gpd.GeoDataFrame(
        {
            "code": gdf[code_col].astype("string").str.strip().fillna("").to_numpy(object),
            "source_name": (
                gdf[name_col].astype("string").str.strip().fillna("").to_numpy(object)
                if name_col is not None
                else ""
            ),
        },
        geometry=geom.to_numpy(),
        crs=gdf.crs,
    ).to_crs(WGS84)


def _check_codes(codes: pd.Series) -> None:
    """Exactly the 14 district codes, once each."""
    expected = {d.code for d in DISTRICTS}
    found = set(codes)
    missing = sorted(expected - found)
    unexpected = sorted(found - expected)
    duplicated = sorted(set(codes[codes.duplicated()]))
    if missing or unexpected or duplicated:
        parts = []
        if missing:
            names = [f"{c} ({DISTRICT_BY_CODE[c].name})" for c in missing]
            parts.append(f"missing districts: {', '.join(names)}")
        if unexpected:
            parts.append(f"unexpected codes: {', '.join(c or '<blank>' for c in unexpected)}")
        if duplicated:
            parts.append(f"codes appearing more than once: {', '.join(duplicated)}")
        raise BoundaryError(
            "the boundaries must hold exactly the 14 Lancashire Constabulary districts; "
            + "; ".join(parts)
            + ". Filter the file to the 14 district codes (one feature each). "
            + HINT
        )


def _check_geometries(codes: pd.Series, geoms: np.ndarray) -> None:
    """Non-empty, valid polygons; refused rather than repaired (a repair can move an edge)."""
    kinds = shapely.get_type_id(geoms)
    bad_kind = ~(
        (kinds == shapely.GeometryType.POLYGON) | (kinds == shapely.GeometryType.MULTIPOLYGON)
    )
    bad_kind |= shapely.is_empty(geoms) | shapely.is_missing(geoms)
    if bad_kind.any():
        what = [
            f"{c} ({'empty' if g is None or g.is_empty else g.geom_type})"
            for c, g in zip(codes[bad_kind], geoms[bad_kind], strict=True)
        ]
        raise BoundaryError(
            "every district must be a non-empty Polygon or MultiPolygon; not so for "
            + ", ".join(what)
            + ". "
            + HINT
        )
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        reasons = shapely.is_valid_reason(geoms[invalid])
        what = [f"{c} ({r})" for c, r in zip(codes[invalid], reasons, strict=True)]
        raise BoundaryError(
            "invalid district geometries (they are not repaired automatically because a repair "
            "can move a boundary): "
            + ", ".join(what)
            + ". Fix them in a GIS (e.g. QGIS 'Fix geometries' after checking the result) or "
            "use the ONS download. " + HINT
        )
