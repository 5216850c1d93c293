"""Format readers: every accepted file type becomes one :class:`RawTable`.

A reader's job ends at "rows and columns, maybe geometries with their CRS, and the row number
the analyst would use to find each row". Which columns hold the location and which kind fields
they map to is decided later (:mod:`layers.imports.locate`, :mod:`layers.imports.mapping`).
GDAL (through pyogrio) only ever opens files under names we generated in a private folder.
"""

from __future__ import annotations

import csv
import itertools
import logging
import math
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from geodata.crs import WGS84
from layers.imports.detect import normalise_name
from layers.imports.geojson import check_geojson_crs
from layers.imports.kml import parse_kml
from layers.imports.safety import (
    ImportRefused,
    Staged,
    ZipLimits,
    check_zip,
    extract_member,
    read_member,
)

logger = logging.getLogger(__name__)

DELIMITERS = (",", ";", "\t", "|")
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


@dataclass
class RawTable:
    """What a reader found: attribute columns, optional geometries, and analyst row numbers.

    ``rows`` holds, for each row of ``frame``, the number the analyst sees: the CSV line, the
    spreadsheet row, or the feature's position (1-based) in a geographic file; ``row_label``
    names it ("line", "row", "feature").
    """

    frame: pd.DataFrame
    rows: np.ndarray
    row_label: str
    geometry: np.ndarray | None = None
    crs: str | None = None
    notes: list[str] = field(default_factory=list)
    identifier: str | None = None
    """The column that names each feature when the file has no reference column (KML's
    ``<name>``)."""


def zip_limits(max_bytes: int) -> ZipLimits:
    """Limits for an uploaded archive: generous for real files, far below a bomb's size."""
    return ZipLimits(max_total=min(max(20 * max_bytes, 100 << 20), 2 << 30))


def read_table(staged: Staged, max_bytes: int) -> RawTable:
    """Read a staged upload with the reader for its format."""
    readers = {
        "csv": _read_csv,
        "xlsx": _read_xlsx,
        "geojson": _read_ogr_file,
        "gpkg": _read_ogr_file,
        "shapefile": _read_shapefile_zip,
        "kml": _read_kml,
        "kmz": _read_kmz,
    }
    try:
        table = readers[staged.format](staged, max_bytes)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ImportRefused(
            f"'{staged.file_name}' is a damaged or truncated archive and cannot be read: {exc}"
        ) from None
    if len(table.frame) == 0:
        raise ImportRefused(f"'{staged.file_name}' has no rows or features to import.")
    return table


# --- delimited text ---------------------------------------------------------------------------


def sniff_encoding(head: bytes) -> str:
    """The text encoding from the byte-order mark, else UTF-8 (Windows-1252 is tried on failure)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return "utf-8"


def sniff_delimiter(header_line: str, suffix: str) -> str:
    """The delimiter most used in the header line (tab for ``.tsv`` files when present)."""
    if suffix in (".tsv", ".tab") and "\t" in header_line:
        return "\t"
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        try:
            return csv.Sniffer().sniff(header_line, delimiters="".join(DELIMITERS)).delimiter
        except csv.Error:
            return ","
    return best


def _read_csv(staged: Staged, _max_bytes: int) -> RawTable:
    with staged.path.open("rb") as fh:
        head = fh.read(65536)
    encoding = sniff_encoding(head)
    errors: list[str] = []
    for enc in (encoding, "cp1252") if encoding == "utf-8" else (encoding,):
        try:
            first = head.decode(enc, errors="ignore").lstrip("\ufeff").splitlines()
            header_line = first[0] if first else ""
            if not header_line.strip():
                raise ImportRefused(
                    f"'{staged.file_name}' has no header row on line 1: the first line must "
                    "name the columns."
                )
            sep = sniff_delimiter(header_line, staged.path.suffix)
            frame = pd.read_csv(
                staged.path,
                sep=sep,
                dtype=_text_dtypes(staged.path, sep, enc),
                encoding=enc,
                keep_default_na=False,
                na_values=[""],
                skip_blank_lines=False,
                engine="c",
            )
            break
        except UnicodeDecodeError as exc:
            errors.append(f"{enc}: {exc.reason}")
            continue
        except pd.errors.EmptyDataError:
            raise ImportRefused(f"'{staged.file_name}' has no columns: is it empty?") from None
        except pd.errors.ParserError as exc:
            raise ImportRefused(
                f"'{staged.file_name}' cannot be read as a table ({_parser_message(exc)}). "
                "It may be truncated, or a value with a line break or delimiter is not quoted."
            ) from None
    else:
        raise ImportRefused(
            f"'{staged.file_name}' is not in a text encoding OpsMap recognises "
            f"({'; '.join(errors)}); "
            "save it as CSV UTF-8."
        )
    frame.columns = [str(c).strip() for c in frame.columns]
    rows = np.arange(len(frame), dtype=np.int64) + 2
    blank = frame.isna().all(axis=1).to_numpy()
    if blank.any():
        frame = frame.loc[~blank].reset_index(drop=True)
        rows = rows[~blank]
    notes = [f"read as {enc} text, delimiter {sep!r}"]
    return RawTable(frame=frame, rows=rows, row_label="line", notes=notes)


NUMERIC_NAMES = frozenset(
    {
        "lat",
        "latitude",
        "lon",
        "long",
        "lng",
        "longitude",
        "easting",
        "northing",
        "x",
        "y",
        "accuracy",
        "accuracy_m",
        "east",
        "north",
    }
)
"""Columns left to pandas' fast numeric parsing (all others stay text: ``007`` keeps its zeros)."""


def _text_dtypes(path: Path, sep: str, encoding: str) -> dict[str, type]:
    """``str`` for every column except coordinate-like ones, read from the header alone."""
    header = pd.read_csv(path, sep=sep, nrows=0, encoding=encoding).columns
    return {c: str for c in header if normalise_name(c) not in NUMERIC_NAMES}


def _parser_message(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[-1] if str(exc).strip() else exc.__class__.__name__
    return text.replace("Error tokenizing data. C error: ", "")


# --- Excel ------------------------------------------------------------------------------------


def _read_xlsx(staged: Staged, max_bytes: int) -> RawTable:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_zip(staged.path, staged.file_name, zip_limits(max_bytes))
    try:
        workbook = load_workbook(staged.path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ImportRefused(
            f"'{staged.file_name}' is not a readable Excel workbook (.xlsx): {exc}"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        all_rows = sheet.iter_rows(values_only=True)
        head = list(itertools.islice(all_rows, HEADER_SEARCH_ROWS))
        header, header_row = _find_header(head)
        values: list[tuple] = []
        numbers: list[int] = []
        for number, row in enumerate(
            itertools.chain(head[header_row:], all_rows), start=header_row + 1
        ):
            if all(v in (None, "") for v in row):
                continue
            values.append(tuple(row))
            numbers.append(number)
    except (KeyError, ValueError, OSError, EOFError) as exc:
        raise ImportRefused(
            f"'{staged.file_name}' could not be read (damaged workbook): {exc}"
        ) from None
    finally:
        workbook.close()
    if header is None:
        raise ImportRefused(f"'{staged.file_name}' has an empty first sheet: nothing to import.")
    width = len(header)
    frame = pd.DataFrame(
        [(tuple(r) + (None,) * width)[:width] for r in values], columns=header, dtype=object
    )
    notes = [f"read sheet '{sheet.title}', header on row {header_row}"]
    return RawTable(
        frame=frame, rows=np.asarray(numbers, dtype=np.int64), row_label="row", notes=notes
    )


HEADER_SEARCH_ROWS = 20


def _find_header(rows: list[tuple]) -> tuple[list[str] | None, int]:
    """The header row (1-based number) among the first rows: the first that is about as wide
    as the widest, so a title line above the table is skipped."""
    filled = [sum(v not in (None, "") for v in row) for row in rows]
    if not filled or max(filled) == 0:
        return None, 0
    wanted = max(1, math.ceil(0.6 * max(filled)))
    index = next(i for i, n in enumerate(filled) if n >= wanted)
    header = [
        str(v).strip() if v not in (None, "") else f"column {i + 1}"
        for i, v in enumerate(rows[index])
    ]
    return header, index + 1


# --- GDAL formats -----------------------------------------------------------------------------


def _read_ogr(path: Path, file_name: str) -> RawTable:
    """Read the first layer of a file we staged under our own name, with GDAL via pyogrio."""
    import pyogrio
    from pyogrio import errors as ogr_errors

    problems = (
        ogr_errors.DataSourceError,
        ogr_errors.DataLayerError,
        ogr_errors.FieldError,
        ogr_errors.GeometryError,
        ogr_errors.FeatureError,
        ogr_errors.CRSError,
        RuntimeError,
        ValueError,
    )
    try:
        layers = pyogrio.list_layers(path)
        if len(layers) == 0:
            raise ImportRefused(f"'{file_name}' has no layers.")
        layer = str(layers[0][0])
        gdf = pyogrio.read_dataframe(path, layer=layer)
    except problems as exc:
        raise ImportRefused(
            f"'{file_name}' could not be read as geographic data (it may be truncated or damaged): "
            f"{str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__}"
        ) from None
    notes = [f"read layer '{layer}'"]
    if len(layers) > 1:
        notes.append(f"the file has {len(layers)} layers; only the first ('{layer}') was read")
    crs = gdf.crs.to_string() if gdf.crs is not None else None
    geometry = np.asarray(gdf.geometry.array, dtype=object) if "geometry" in gdf else None
    frame = pd.DataFrame(gdf.drop(columns="geometry", errors="ignore"))
    frame.columns = [str(c) for c in frame.columns]
    rows = np.arange(1, len(frame) + 1, dtype=np.int64)
    return RawTable(
        frame=frame, rows=rows, row_label="feature", geometry=geometry, crs=crs, notes=notes
    )


def _read_ogr_file(staged: Staged, _max_bytes: int) -> RawTable:
    if staged.format == "geojson":
        check_geojson_crs(staged.path, staged.file_name)
    return _read_ogr(staged.path, staged.file_name)


def _archive(
    staged: Staged, max_bytes: int, suffix: str, what: str
) -> tuple[list[zipfile.ZipInfo], list[zipfile.ZipInfo]]:
    """The uploaded archive's members (checked, never extracted) and those ending in ``suffix``:
    refused when none does."""
    members = check_zip(staged.path, staged.file_name, zip_limits(max_bytes))
    found = [m for m in members if m.filename.lower().endswith(suffix)]
    if not found:
        raise ImportRefused(f"'{staged.file_name}' holds no {what}.")
    return members, found


def _read_shapefile_zip(staged: Staged, max_bytes: int) -> RawTable:
    members, shps = _archive(staged, max_bytes, ".shp", "shapefile (.shp)")
    shp = shps[0]
    stem = shp.filename[:-4].lower()
    parts = {
        m.filename[len(stem) :].lower(): m
        for m in members
        if m.filename.lower().startswith(stem)
        and m.filename[len(stem) :].lower() in SHAPEFILE_PARTS
    }
    missing = [p for p in (".shx", ".dbf") if p not in parts]
    if missing:
        raise ImportRefused(
            f"'{staged.file_name}' is missing part of the shapefile ({', '.join(missing)}); "
            "zip the .shp, .shx, .dbf and .prj together."
        )
    folder = staged.folder / "shapefile"
    folder.mkdir()
    for suffix, info in parts.items():
        extract_member(
            staged.path, info, folder / f"layer0{suffix}", info.file_size, staged.file_name
        )
    table = _read_ogr(folder / "layer0.shp", staged.file_name)
    if ".prj" not in parts:
        table.notes.append("the shapefile has no .prj, so its coordinate system had to be guessed")
    if len(shps) > 1:
        table.notes.append(
            f"the archive holds {len(shps)} shapefiles; only {shp.filename!r} was read"
        )
    return table


# --- KML --------------------------------------------------------------------------------------


def _kml_table(data: bytes, file_name: str) -> RawTable:
    frame, geometry = parse_kml(data, file_name)
    rows = np.arange(1, len(frame) + 1, dtype=np.int64)
    return RawTable(
        frame=frame,
        rows=rows,
        row_label="feature",
        geometry=geometry,
        crs=WGS84,
        identifier="name",
    )


def _read_kml(staged: Staged, _max_bytes: int) -> RawTable:
    return _kml_table(staged.path.read_bytes(), staged.file_name)


def _read_kmz(staged: Staged, max_bytes: int) -> RawTable:
    _, kmls = _archive(staged, max_bytes, ".kml", "KML document (doc.kml)")
    kmls.sort(key=lambda m: (m.filename.lower() != "doc.kml", m.filename.count("/")))
    data = read_member(staged.path, kmls[0], kmls[0].file_size, staged.file_name)
    return _kml_table(data, staged.file_name)
