"""An import from file to store: read, locate, validate, de-duplicate, then preview or commit.

:func:`import_file` is the one entry point for the CLI, the upload page and the HTTP API. A dry
run does everything but write. A commit is one :meth:`layers.core.db.Database.write` transaction:
the :class:`~layers.core.models.ImportBatch`, every accepted row (bulk) and the processing-log entry
commit together or not at all, and duplicates against the store are checked inside that same
transaction, so two analysts importing the same file cannot both store it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from geodata.force import OUTSIDE
from layers.audit import processing_log
from layers.core.kinds import ADVERTS, KINDS, PREMISES, TIPOFFS
from layers.core.locations import insert_locations, place
from layers.core.models import CustomFeature, CustomLayer, ImportBatch, Location, utcnow
from layers.imports.locate import Located, PostcodeLookup, detect_roles, locate
from layers.imports.mapping import CUSTOM, ColumnMapping, resolve_mapping, validate_fields
from layers.imports.readers import RawTable, read_table
from layers.imports.report import MAX_LISTED, ImportReport, Problems, RowProblem
from layers.imports.safety import ImportRefused, safe_file_name, staged_upload
from layers.maplayers.store import default_style, geometry_family, layer_exists
from layers.services import Services

logger = logging.getLogger(__name__)

IMPORT_KINDS: tuple[str, ...] = (PREMISES, TIPOFFS, ADVERTS, CUSTOM)
PREVIEW_POINTS = 5000
"""Points (or shapes) sent to the map preview; the counts always cover every row."""


@dataclass
class ImportResult:
    """The report, plus a small preview of what would be (or was) stored."""

    report: ImportReport
    preview: pd.DataFrame | None = None
    """``lon``, ``lat``, ``district_code`` of accepted rows (a sample of at most
    :data:`PREVIEW_POINTS`), or for custom layers ``geometry`` (shapely, EPSG:4326)."""


@dataclass
class _Prepared:
    rows: pd.DataFrame
    keys: pd.Series | None
    key_label: str
    problems: Problems
    table: RawTable


def import_file(
    services: Services,
    source: bytes | BinaryIO | Path,
    file_name: str,
    kind: str,
    username: str,
    *,
    name: str | None = None,
    mapping: dict[str, str] | None = None,
    dry_run: bool = True,
) -> ImportResult:
    """Import one file as ``kind`` (``premises``, ``tipoffs``, ``adverts`` or ``custom``).

    Never raises for a bad file: a refused file comes back with ``report.refused`` set to the
    message for the analyst, and nothing stored.
    """
    shown = safe_file_name(file_name)
    report = ImportReport(file_name=shown, kind=kind, dry_run=dry_run)
    try:
        if kind not in IMPORT_KINDS:
            raise ImportRefused(f"unknown kind {kind!r}: use one of {', '.join(IMPORT_KINDS)}")
        max_bytes = services.config.max_upload_mb * 1024 * 1024
        with staged_upload(source, shown, max_bytes) as staged:
            table = read_table(staged, max_bytes)
        report.row_label = table.row_label
        report.notes.extend(table.notes)
        report.read = len(table.frame)
        if kind == CUSTOM:
            return _import_custom(services, table, report, name, mapping or {}, username, dry_run)
        return _import_kind(services, table, report, kind, mapping or {}, username, dry_run)
    except ImportRefused as exc:
        report.refused = str(exc)
        logger.info("import of %s as %s refused: %s", shown, kind, exc)
        return ImportResult(report)


# --- built-in kinds ---------------------------------------------------------------------------


def _locate(
    services: Services,
    table: RawTable,
    mapping: ColumnMapping,
    problems: Problems,
    report: ImportReport,
) -> Located:
    exclude = {c for f, c in mapping.fields.items() if f != "postcode"}
    roles = detect_roles(table.frame, mapping.location, exclude)
    located = locate(table, roles, problems, PostcodeLookup(lambda: services.postcodes))
    report.location = located.method
    report.hints.extend(located.hints)
    return located


class _Timer:
    """Stage timings for the debug log (how a slow import is diagnosed)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        logger.debug("import stage %s: %.2f s", stage, now - self.last)
        self.last = now


def _import_kind(
    services: Services,
    table: RawTable,
    report: ImportReport,
    kind_name: str,
    explicit: dict[str, str],
    username: str,
    dry_run: bool,
) -> ImportResult:
    kind = KINDS[kind_name]
    problems = Problems(table.rows)
    mapping = resolve_mapping(list(table.frame.columns), kind_name, explicit)
    timer = _Timer()
    located = _locate(services, table, mapping, problems, report)
    timer.lap("locate")
    if located.point_mask is not None and located.geometry is not None:
        names = pd.Series(shapely.get_type_id(located.geometry)).map(_TYPE_NAMES).astype(object)
        problems.add(
            np.isfinite(located.lon) & ~located.point_mask,
            None,
            f"the feature is a {{value}}; {kind.label.lower()} need a point location",
            names,
        )
    values = validate_fields(table.frame, kind, mapping, problems, services.config.phone_key)
    timer.lap("validate")
    report.columns = {**{f: c for f, c in mapping.fields.items()}, **located.columns}
    unused = [c for c in mapping.unused if c not in set(located.columns.values())]
    if unused:
        report.notes.append("columns not imported: " + ", ".join(f"'{c}'" for c in unused[:30]))
    rows = values.assign(kind=kind_name, lon=located.lon, lat=located.lat)
    if kind_name == PREMISES and located.postcodes is not None and "postcode" not in mapping.fields:
        rows["postcode"] = located.postcodes
    rows = rows.loc[~problems.bad]
    rows = place(rows, services.districts)
    timer.lap("place")
    keys, label = duplicate_keys(rows, kind_name)
    prepared = _Prepared(rows, keys, label, problems, table)
    _within_file_duplicates(prepared, report)
    timer.lap("duplicates in file")
    if dry_run:
        with services.db.read() as session:
            _check_store(session, prepared, report, kind_name)
        return _finish(prepared, report)
    with services.db.write() as session:
        _check_store(session, prepared, report, kind_name)
        timer.lap("duplicates in store")
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
        _commit_rows(session, prepared.rows, report, username)
        timer.lap("store")
    timer.lap("commit")
    return result


_TYPE_NAMES = {
    0: "Point",
    1: "LineString",
    2: "LinearRing",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}


def duplicate_keys(rows: pd.DataFrame, kind_name: str) -> tuple[pd.Series, str]:
    """What makes two rows of ``kind_name`` the same thing, as one text key per row.

    Adverts: site and advert id. Premises: reference. Tip-offs: reference when given, otherwise
    the same place (to about a metre) at the same time.
    """
    ref = rows["ref"].astype("string")
    if kind_name == ADVERTS:
        codes, sites = pd.factorize(rows["site"].to_numpy(dtype=object), use_na_sentinel=True)
        lower = np.append(
            pd.Series(sites, dtype=object).astype("string").str.lower().to_numpy(), ""
        )
        site = pd.Series(lower[codes], index=rows.index, dtype="string")  # few sites, many rows
        return site + "\x1f" + ref, "advert id"
    if kind_name == PREMISES:
        return ref, "reference"
    observed = pd.to_datetime(rows["observed_at"], utc=True, errors="coerce", format="mixed")
    seconds = (observed.astype("int64") // 1_000_000_000).where(observed.notna())
    place_time = (
        rows["lon"].round(5).astype("string")
        + ","
        + rows["lat"].round(5).astype("string")
        + "@"
        + seconds.astype("Int64").astype("string")
    )
    return ref.where(ref.notna(), "\x1e" + place_time), "reference, or location and time"


def _within_file_duplicates(prepared: _Prepared, report: ImportReport) -> None:
    keys = prepared.keys
    if keys is None or keys.empty:
        return
    dup = (keys.duplicated(keep="first") & keys.notna()).to_numpy(dtype=bool)
    if not dup.any():
        return
    rows_seen = prepared.table.rows[~prepared.problems.bad]
    first = (
        pd.Series(rows_seen, index=keys.index)
        .groupby(keys.to_numpy(), sort=False)
        .transform("first")
    )
    listed = np.flatnonzero(dup)[:MAX_LISTED]
    report.duplicate_rows.extend(
        RowProblem(
            int(rows_seen[i]),
            None,
            f"same {prepared.key_label} as {report.row_label} {int(first.iloc[i])}",
        )
        for i in listed
    )
    report.duplicates += int(dup.sum())
    _drop(prepared, dup)


def _drop(prepared: _Prepared, mask: np.ndarray) -> None:
    keep = ~mask
    prepared.rows = prepared.rows.loc[keep]
    if prepared.keys is not None:
        prepared.keys = prepared.keys.loc[keep]
    accepted_positions = np.flatnonzero(~prepared.problems.bad)
    gone = accepted_positions[mask]
    prepared.problems.bad = prepared.problems.bad.copy()
    prepared.problems.bad[gone] = True  # removed from "accepted"; counted as duplicates


def _check_store(
    session: Session, prepared: _Prepared, report: ImportReport, kind_name: str
) -> None:
    """Drop rows already stored (same key) and reject tip-offs linked to unknown premises."""
    rows = prepared.rows
    if kind_name == TIPOFFS and rows["linked_premises_id"].notna().any():
        wanted = {int(v) for v in rows["linked_premises_id"].dropna().unique()}
        known = set(
            session.scalars(
                select(Location.id).where(Location.kind == PREMISES, Location.id.in_(wanted))
            )
        )
        missing = rows["linked_premises_id"].notna() & ~rows["linked_premises_id"].isin(known)
        if missing.any():
            _reject_accepted(
                prepared,
                missing.to_numpy(dtype=bool),
                "linked_premises_id",
                "linked premises {value} is not a stored premises id",
                rows["linked_premises_id"],
            )
    if prepared.keys is None or prepared.rows.empty:
        return
    stored = _stored_keys(session, kind_name)
    if stored.empty:
        return
    hit = prepared.keys.isin(stored).to_numpy(dtype=bool)
    if not hit.any():
        return
    rows_seen = prepared.table.rows[~prepared.problems.bad]
    room = max(0, MAX_LISTED - len(report.duplicate_rows))
    report.duplicate_rows.extend(
        RowProblem(int(rows_seen[i]), None, f"already stored (same {prepared.key_label})")
        for i in np.flatnonzero(hit)[:room]
    )
    report.duplicates += int(hit.sum())
    _drop(prepared, hit)


def _reject_accepted(
    prepared: _Prepared, mask: np.ndarray, column: str, reason: str, values: pd.Series
) -> None:
    positions = np.flatnonzero(~prepared.problems.bad)
    full = np.zeros(len(prepared.problems.bad), dtype=bool)
    full[positions[mask]] = True
    full_values = pd.Series(index=range(len(full)), dtype=object)
    full_values.iloc[positions[mask]] = values.to_numpy(dtype=object)[mask]
    prepared.problems.add(full, column, reason, full_values)
    prepared.rows = prepared.rows.loc[~mask]
    if prepared.keys is not None:
        prepared.keys = prepared.keys.loc[~mask]


_KEY_COLUMNS = {
    ADVERTS: ("ref", "site"),
    PREMISES: ("ref",),
    TIPOFFS: ("ref", "lon", "lat", "observed_at"),
}


def _stored_keys(session: Session, kind_name: str) -> pd.Series:
    """Duplicate keys of what is already stored for the kind (only the columns the key needs)."""
    columns = _KEY_COLUMNS[kind_name]
    result = session.execute(
        select(*(getattr(Location, c) for c in columns)).where(Location.kind == kind_name)
    )
    frame = pd.DataFrame(result.all(), columns=list(columns))
    if frame.empty:
        return pd.Series([], dtype="string")
    keys, _ = duplicate_keys(frame, kind_name)
    return keys.dropna()


def _finish(prepared: _Prepared, report: ImportReport) -> ImportResult:
    problems = prepared.problems
    rows = prepared.rows
    report.rejected = report.read - len(rows) - report.duplicates
    report.accepted = len(rows)
    report.rejected_rows = problems.sorted_entries()
    report.reasons = dict(problems.counts)
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


def _new_batch(
    session: Session, report: ImportReport, username: str, layer_name: str | None
) -> ImportBatch:
    batch = ImportBatch(
        file_name=report.file_name[:255],
        kind=report.kind,
        layer_name=layer_name,
        created_by=username,
        created_at=utcnow(),
        rows_accepted=report.accepted,
        status="committed",
    )
    session.add(batch)
    session.flush()
    return batch


def _commit_rows(session: Session, rows: pd.DataFrame, report: ImportReport, username: str) -> None:
    batch = _new_batch(session, report, username, None)
    report.dry_run = False
    report.committed = True
    report.import_id = batch.id
    batch.report = json.dumps(_stored_report(report))
    now = utcnow()
    rows = rows.assign(
        import_id=batch.id, source=report.file_name[:255], created_by=username, created_at=now
    )
    stored = insert_locations(session, rows)
    first_ids = session.scalars(
        select(Location.id)
        .where(Location.import_id == batch.id)
        .order_by(Location.id)
        .limit(processing_log.MAX_RECORD_IDS)
    ).all()
    processing_log.record(
        session,
        username,
        processing_log.COLLECTION,
        f"import #{batch.id} of '{report.file_name}': {stored} {report.kind}",
        records=first_ids,
        count=stored,
    )
    logger.info(
        "import #%d: %s stored %d %s for %s",
        batch.id,
        report.file_name,
        stored,
        report.kind,
        username,
    )


def _stored_report(report: ImportReport) -> dict[str, object]:
    data = report.as_dict()
    data["rejected_rows"] = data["rejected_rows"][:200]
    data["duplicate_rows"] = data["duplicate_rows"][:200]
    return data


# --- custom layers ----------------------------------------------------------------------------


def _import_custom(
    services: Services,
    table: RawTable,
    report: ImportReport,
    name: str | None,
    explicit: dict[str, str],
    username: str,
    dry_run: bool,
) -> ImportResult:
    layer_name = (name or PurePosixPath(report.file_name).stem).strip()[:120] or "Imported layer"
    report.layer_name = layer_name
    problems = Problems(table.rows)
    mapping = resolve_mapping(list(table.frame.columns), CUSTOM, explicit)
    located = _locate(services, table, mapping, problems, report)
    geoms = located.geometry
    if geoms is None:
        geoms = shapely.points(located.lon, located.lat)
        geoms = np.where(np.isfinite(located.lon), geoms, None)
    keep = ~problems.bad & ~shapely.is_missing(geoms)
    problems.add(~keep & ~problems.bad, None, "no geometry")
    location_columns = set(located.columns.values())
    attributes = table.frame.drop(columns=[c for c in table.frame.columns if c in location_columns])
    props = _properties(attributes.loc[keep])
    kept = geoms[keep]
    wkb = shapely.to_wkb(kept, hex=False)
    lon, lat = located.lon[keep], located.lat[keep]
    codes, _divisions = services.districts.assign_codes(lon, lat)
    features = pd.DataFrame({"geometry_wkb": wkb, "properties": props, "district_code": codes})
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
    features = features.loc[~dup]
    kept = kept[~dup]
    report.accepted = len(features)
    report.rejected = report.read - report.accepted - report.duplicates
    report.rejected_rows = problems.sorted_entries()
    report.reasons = dict(problems.counts)
    report.outside_area = int((features["district_code"] == OUTSIDE).sum())
    report.by_district = {
        str(k): int(v) for k, v in features["district_code"].value_counts().items()
    }
    report.geometry_type = geometry_family(kept)
    report.columns = {c: c for c in attributes.columns}
    preview = pd.DataFrame({"geometry": kept[:PREVIEW_POINTS]})
    result = ImportResult(report, preview)
    with services.db.read() if dry_run else services.db.write() as session:
        if layer_exists(session, layer_name):
            raise ImportRefused(
                f"a layer called '{layer_name}' already exists: choose another name (--name) "
                "or remove it first."
            )
        if report.accepted == 0:
            raise ImportRefused(f"no feature of '{report.file_name}' has a usable geometry.")
        if dry_run:
            return result
        batch = _new_batch(session, report, username, layer_name)
        report.dry_run = False
        report.committed = True
        report.import_id = batch.id
        batch.report = json.dumps(_stored_report(report))
        layer = CustomLayer(
            name=layer_name,
            geometry_type=report.geometry_type or "Geometry",
            style=json.dumps(default_style(report.geometry_type)),
            visible=True,
            import_id=batch.id,
            created_by=username,
            created_at=utcnow(),
        )
        session.add(layer)
        session.flush()
        records = features.assign(layer_id=layer.id).to_dict("records")
        session.execute(insert(CustomFeature), records)
        count = session.scalar(select(func.count()).where(CustomFeature.layer_id == layer.id))
        processing_log.record(
            session,
            username,
            processing_log.COLLECTION,
            f"import #{batch.id} of '{report.file_name}': custom layer '{layer_name}' "
            f"({count} features)",
            records=[layer.id],
        )
    return result


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
