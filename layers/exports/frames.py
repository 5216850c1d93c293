"""What an export holds: a layer's rows as a GeoDataFrame, filtered as on the map.

Built-in kinds carry the common columns (district name *and* code), the kind's fields and
provenance; custom layers carry every attribute of their source file. Coordinates are rounded
to 6 decimal places (about 10 cm), which is all a GPS or a map can honestly claim.
"""

from __future__ import annotations

import logging
from dataclasses import replace as dc_replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.crs import WGS84
from geodata.districts import OUTSIDE_NAME, DistrictIndex
from geodata.force import DISTRICTS, OUTSIDE
from layers.core.db import Database
from layers.core.errors import NotFound
from layers.core.kinds import ADVERTS, KIND_NAMES, KINDS, PLACE_COLUMNS
from layers.core.models import CustomLayer, Location
from layers.core.queries import Filters, current_frame, filter_mask
from layers.maplayers.store import layer_features

logger = logging.getLogger(__name__)

DECIMALS = 6
"""Decimal places of exported longitude and latitude."""
COMMON_COLUMNS = (
    *PLACE_COLUMNS,
    "district_name",
    "district_code",
    "division",
    "status",
    "outcome",
    "version",
)
PROVENANCE_COLUMNS = (
    "original_values",
    "source",
    "created_by",
    "created_at",
    "import_id",
    "is_demo",
)


class ExportError(ValueError):
    """The export cannot be made as asked (unknown format, too many rows for Excel)."""


class ExportNotFound(ExportError, NotFound):
    """There is no such layer to export."""


def kind_columns(kind: str) -> list[str]:
    """Columns exported for a built-in kind: common, the kind's fields, provenance."""
    fields = [f.name for f in KINDS[kind].fields]
    extra = ["phone_hash"] if kind == ADVERTS else []
    return list(dict.fromkeys([*COMMON_COLUMNS, *fields, *extra, *PROVENANCE_COLUMNS]))


def district_names(districts: DistrictIndex | None, codes: pd.Series) -> pd.Series:
    """The district name for each GSS code (``Outside force area`` outside).

    Names come from the loaded boundaries when given, else from the force's own district list
    (the records pack is written without loading geography).
    """
    names = (
        dict(zip(districts.district_codes.tolist(), districts.district_names.tolist(), strict=True))
        if districts is not None
        else {d.code: d.name for d in DISTRICTS}
    )
    names[OUTSIDE] = OUTSIDE_NAME
    return codes.map(names).astype(object)


def kind_frame(
    session: Session, kind: str, districts: DistrictIndex | None, ids: np.ndarray | None = None
) -> gpd.GeoDataFrame:
    """Every location of ``kind`` (only ``ids`` when given), with point geometries."""
    if kind not in KIND_NAMES:
        raise ExportNotFound(
            f"unknown layer {kind!r}: use one of {', '.join(KIND_NAMES)} or custom"
        )
    columns = [c for c in kind_columns(kind) if c != "district_name"]
    query = (
        select(*(getattr(Location, c) for c in columns))
        .where(Location.kind == kind)
        .order_by(Location.id)
    )
    frame = pd.DataFrame(session.execute(query).all(), columns=columns)
    if ids is not None:
        frame = frame.loc[frame["id"].isin(ids)].reset_index(drop=True)
    for column in ("observed_at", "created_at"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column], utc=True, format="mixed")
    frame["lon"] = frame["lon"].astype(float).round(DECIMALS)
    frame["lat"] = frame["lat"].astype(float).round(DECIMALS)
    frame["easting"] = frame["easting"].astype(float).round(1)
    frame["northing"] = frame["northing"].astype(float).round(1)
    frame.insert(
        columns.index("district_code"),
        "district_name",
        district_names(districts, frame["district_code"]),
    )
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs=WGS84)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=WGS84)


def filtered_ids(db: Database, kind: str, filters: Filters) -> np.ndarray:
    """Ids of ``kind`` passing ``filters``, exactly as the map filters them."""
    _revision, frame = current_frame(db)
    mask = filter_mask(frame, dc_replace(filters, kinds=(kind,)))
    return frame["id"].to_numpy()[mask]


def find_layer(session: Session, layer: str | int) -> CustomLayer:
    """A custom layer by id or by name."""
    query = select(CustomLayer)
    query = (
        query.where(CustomLayer.id == int(layer))
        if str(layer).isdigit()
        else query.where(CustomLayer.name == str(layer))
    )
    found = session.scalars(query).first()
    if found is None:
        raise ExportNotFound(f"there is no custom layer {layer!r}")
    return found


def custom_frame(
    session: Session, found: CustomLayer, districts: DistrictIndex | None,
    filters: Filters | None = None
) -> gpd.GeoDataFrame:
    """A custom layer's features with their attributes (the district filter applies)."""
    geoms, props, codes = layer_features(session, found.id)
    frame = pd.DataFrame.from_records(props) if props else pd.DataFrame()
    frame["district_name"] = district_names(districts, pd.Series(codes, dtype=object)).to_numpy()
    frame["district_code"] = codes
    rounded = shapely.set_precision(np.asarray(geoms, dtype=object), 10.0**-DECIMALS)
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(rounded, crs=WGS84), crs=WGS84)
    if filters is not None and filters.districts:
        gdf = gdf.loc[gdf["district_code"].isin(filters.districts)]
    return gdf.reset_index(drop=True)


def plain_table(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """A table for CSV/XLSX: points as lon/lat columns, other shapes as WKT; times in UTC."""
    frame = pd.DataFrame(gdf.drop(columns="geometry"))
    if "lon" not in frame.columns and len(gdf):
        frame["wkt"] = shapely.to_wkt(
            np.asarray(gdf.geometry.array, dtype=object), rounding_precision=DECIMALS
        )
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.tz_convert("UTC").dt.tz_localize(None)
    return frame
