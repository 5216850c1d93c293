"""Importing a file as one of the built-in kinds (premises, tip-offs, advert geotags).

Locate every row, check the rows against the kind's schema, place them in districts, drop
duplicates, then preview or commit: :func:`import_kind`.
"""

from __future__ import annotations

import logging
import time

import numpy as np
import pandas as pd
import shapely

from geodata.force import OUTSIDE
from layers.core.kinds import ADVERTS, KINDS, PREMISES, TIPOFFS, Kind
from layers.core.locations import place
from layers.imports.choices import check_value_map
from layers.imports.commit import commit_rows
from layers.imports.detect import detect_roles
from layers.imports.duplicates import Prepared, against_store, duplicate_keys, within_file
from layers.imports.locate import Located, PostcodeLookup, locate
from layers.imports.mapping import ColumnMapping, resolve_mapping
from layers.imports.outcome import PREVIEW_POINTS, ImportResult
from layers.imports.readers import RawTable
from layers.imports.report import ImportReport, Problems
from layers.imports.request import ImportRequest
from layers.imports.safety import ImportRefused
from layers.imports.values import validate_fields
from layers.networks.rebuild import submit_rebuild
from layers.services import Services

logger = logging.getLogger(__name__)

TYPE_NAMES = {
    0: "Point",
    1: "LineString",
    2: "LinearRing",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}


class Timer:
    """Stage timings for the debug log (how a slow import is diagnosed)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        """Log the time since the previous lap under ``stage``."""
        now = time.perf_counter()
        logger.debug("import stage %s: %.2f s", stage, now - self.last)
        self.last = now


def locate_rows(
    services: Services,
    table: RawTable,
    mapping: ColumnMapping,
    problems: Problems,
    report: ImportReport,
) -> Located:
    """Detect the location columns (never a column mapped to a field) and locate every row."""
    exclude = {c for f, c in mapping.fields.items() if f != "postcode"}
    roles = detect_roles(table.frame, mapping.location, exclude)
    located = locate(table, roles, problems, PostcodeLookup(lambda: services.postcodes))
    report.location = located.method
    report.location_columns = dict(located.columns)
    report.hints.extend(located.hints)
    return located


def import_kind(
    services: Services, table: RawTable, report: ImportReport, request: ImportRequest
) -> ImportResult:
    """Import ``table`` as the built-in kind ``request.kind``; preview or commit."""
    timer = Timer()
    prepared = _prepare(services, table, report, request)
    timer.lap("locate, validate, place, duplicates in file")
    if request.dry_run:
        with services.db.read() as session:
            against_store(session, prepared, report, request.kind)
        return _finish(prepared, report)
    with services.db.write() as session:
        against_store(session, prepared, report, request.kind)
        result = _finish(prepared, report)
        if report.accepted == 0:
            if not report.duplicates:
                raise ImportRefused(
                    f"no row of '{report.file_name}' could be imported "
                    f"({report.rejected} rejected); "
                    "fix the rows listed in the report and try again."
                )
            report.notes.append("nothing new to store: every row is already stored")
            return result
        commit_rows(session, prepared.rows, report, request.username)
        if request.kind in (ADVERTS, TIPOFFS):
            submit_rebuild(session, request.username)  # networks follow each such import
    timer.lap("store and commit")
    return result


def _prepare(
    services: Services, table: RawTable, report: ImportReport, request: ImportRequest
) -> Prepared:
    kind = KINDS[request.kind]
    problems = Problems(table.rows)
    value_map = check_value_map(kind, request.values)
    mapping = resolve_mapping(
        list(table.frame.columns), request.kind, request.mapping, table.identifier
    )
    report.columns = dict(mapping.fields)
    located = locate_rows(services, table, mapping, problems, report)
    _require_points(located, kind, problems)
    validated = validate_fields(
        table.frame, kind, mapping, problems, services.config.phone_key, value_map
    )
    report.unfamiliar = validated.unfamiliar
    report.choice_values = validated.choices
    report.columns.update(located.columns)
    unused = [c for c in mapping.unused if c not in set(located.columns.values())]
    if unused:
        report.notes.append("columns not imported: " + ", ".join(f"'{c}'" for c in unused[:30]))
    rows = validated.values.assign(kind=request.kind, lon=located.lon, lat=located.lat)
    geocoded = located.postcodes is not None and "postcode" not in mapping.fields
    if request.kind == PREMISES and geocoded:
        rows["postcode"] = located.postcodes
    rows = place(rows.loc[~problems.bad], services.districts)
    keys, label = duplicate_keys(rows, request.kind)
    prepared = Prepared(rows, keys, label, problems, table)
    within_file(prepared, report)
    return prepared


def _require_points(located: Located, kind: Kind, problems: Problems) -> None:
    """Built-in kinds are points: a line or polygon from the file's geometry is rejected."""
    if located.point_mask is None or located.geometry is None:
        return
    names = pd.Series(shapely.get_type_id(located.geometry)).map(TYPE_NAMES).astype(object)
    problems.add(
        np.isfinite(located.lon) & ~located.point_mask,
        None,
        f"the feature is a {{value}}; {kind.label.lower()} need a point location",
        names,
    )


def _finish(prepared: Prepared, report: ImportReport) -> ImportResult:
    rows = prepared.rows
    report.rejected = report.read - len(rows) - report.duplicates
    report.accepted = len(rows)
    report.rejected_rows = prepared.problems.sorted_entries()
    report.reasons = dict(prepared.problems.counts)
    report.duplicate_rows.sort(key=lambda p: p.row)
    codes = rows["district_code"].astype(str) if len(rows) else pd.Series([], dtype=str)
    report.outside_area = int((codes == OUTSIDE).sum())
    report.by_district = {str(k): int(v) for k, v in codes.value_counts().items()}
    if report.accepted and report.outside_area == report.accepted:
        report.hints.append(
            "every accepted row is outside the force area: check the coordinate columns "
            "and their CRS."
        )
    sample = rows[["lon", "lat", "district_code"]]
    if len(sample) > PREVIEW_POINTS:
        sample = sample.sample(PREVIEW_POINTS, random_state=0)
    return ImportResult(report, sample.reset_index(drop=True))
