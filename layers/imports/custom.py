"""Importing a file as an analyst's own layer: any geometry, every attribute kept.

Rows without a usable geometry are rejected; exact repeats (same geometry and attributes) are
dropped as duplicates. The layer's name must be new (names are unique, ignoring case).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import PurePosixPath

import numpy as np
import pandas as pd
import shapely

from geodata.force import OUTSIDE
from layers.imports.builtin import locate_rows
from layers.imports.commit import commit_layer
from layers.imports.mapping import CUSTOM, resolve_mapping
from layers.imports.outcome import PREVIEW_POINTS, ImportResult
from layers.imports.readers import RawTable
from layers.imports.report import MAX_LISTED, ImportReport, Problems, RowProblem
from layers.imports.request import ImportRequest
from layers.imports.safety import ImportRefused
from layers.maplayers.store import geometry_family, layer_exists
from layers.services import Services

logger = logging.getLogger(__name__)

MAX_NAME = 120


def layer_name_for(name: str | None, file_name: str) -> str:
    """The layer's name: the one given, else the file's name without its extension."""
    return (name or PurePosixPath(file_name).stem).strip()[:MAX_NAME] or "Imported layer"


def import_custom(
    services: Services, table: RawTable, report: ImportReport, request: ImportRequest
) -> ImportResult:
    """Import ``table`` as a new custom layer; preview or commit."""
    report.layer_name = layer_name_for(request.name, report.file_name)
    features, kept = _features(services, table, report, request)
    result = ImportResult(report, pd.DataFrame({"geometry": kept[:PREVIEW_POINTS]}))
    with services.db.read() if request.dry_run else services.db.write() as session:
        if layer_exists(session, report.layer_name):
            raise ImportRefused(
                f"a layer called '{report.layer_name}' already exists: give the layer another "
                "name, or remove the existing layer first."
            )
        if report.accepted == 0:
            raise ImportRefused(f"no feature of '{report.file_name}' has a usable geometry.")
        if not request.dry_run:
            commit_layer(session, features, report, request.username)
    return result


def _features(
    services: Services, table: RawTable, report: ImportReport, request: ImportRequest
) -> tuple[pd.DataFrame, np.ndarray]:
    """The features to store (WKB, attributes, district) and their geometries; fills ``report``."""
    problems = Problems(table.rows)
    mapping = resolve_mapping(list(table.frame.columns), CUSTOM, request.mapping)
    located = locate_rows(services, table, mapping, problems, report)
    geoms = located.geometry
    if geoms is None:
        geoms = np.asarray(shapely.points(located.lon, located.lat), dtype=object)
        geoms[~np.isfinite(located.lon)] = None
    keep = ~problems.bad & ~shapely.is_missing(geoms)
    problems.add(~keep & ~problems.bad, None, "no geometry")
    location_columns = set(located.columns.values())
    attributes = table.frame.drop(columns=[c for c in table.frame.columns if c in location_columns])
    props = _properties(attributes.loc[keep])
    kept = geoms[keep]
    codes, _divisions = services.districts.assign_codes(located.lon[keep], located.lat[keep])
    features = pd.DataFrame(
        {
            "geometry_wkb": shapely.to_wkb(kept, hex=False),
            "properties": props,
            "district_code": codes,
        }
    )
    signature = pd.Series(shapely.to_wkb(kept, hex=True), dtype=object) + pd.Series(
        props, dtype=object
    )
    dup = signature.duplicated(keep="first").to_numpy(dtype=bool)
    rows_kept = table.rows[keep]
    report.duplicate_rows = [
        RowProblem(int(rows_kept[i]), None, "same geometry and attributes as an earlier feature")
        for i in np.flatnonzero(dup)[:MAX_LISTED]
    ]
    report.duplicates = int(dup.sum())
    features, kept = features.loc[~dup], kept[~dup]
    _summarise(report, problems, features, kept)
    report.columns = {c: c for c in attributes.columns}
    return features, kept


def _summarise(
    report: ImportReport, problems: Problems, features: pd.DataFrame, kept: np.ndarray
) -> None:
    report.accepted = len(features)
    report.rejected = report.read - report.accepted - report.duplicates
    report.rejected_rows = problems.sorted_entries()
    report.reasons = dict(problems.counts)
    report.outside_area = int((features["district_code"] == OUTSIDE).sum())
    report.by_district = {
        str(k): int(v) for k, v in features["district_code"].value_counts().items()
    }
    report.geometry_type = geometry_family(kept)


def _properties(attributes: pd.DataFrame) -> list[str]:
    """Each row's attributes as a JSON object (dates as ISO text, empty cells as null)."""
    clean = attributes.astype(object).where(attributes.notna(), None)
    return [
        json.dumps({str(k): _plain(v) for k, v in rec.items()}, ensure_ascii=False)
        for rec in clean.to_dict("records")
    ]


def _plain(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, bytes):
        return value.hex()
    return value
