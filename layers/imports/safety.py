"""Receiving an untrusted file safely: staging, size limits, magic bytes and archive checks.

Every upload is copied into a private temporary folder under a name *we* generate
(``upload.csv``, ``layer0.shp``), so the analyst's file name never reaches GDAL or the file
system as a path (no ``/vsicurl/``, no ``../``). Archives are checked member by member before a
single byte is extracted: member count, total uncompressed size, compression ratio, ``..`` and
absolute paths, symlinks. Extraction counts bytes as it writes rather than trusting the archive's
own headers. Everything is refused with :class:`ImportRefused`, whose message is written for the
analyst.
"""

from __future__ import annotations

import logging
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

logger = logging.getLogger(__name__)

CHUNK = 1 << 20

FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".zip": "shapefile",
    ".kml": "kml",
    ".kmz": "kmz",
}
"""File extensions we accept and the reader each one goes to."""

ZIP_MAGIC = (b"PK\x03\x04",)
SQLITE_MAGIC = b"SQLite format 3\x00"
BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

MAX_MEMBERS = 200
"""Members an uploaded archive may have (a shapefile has about 8; an xlsx a few dozen)."""
MAX_RATIO = 100
"""Largest uncompressed/compressed size ratio of one member (text compresses about 10:1)."""


class ImportRefused(Exception):
    """The file cannot be imported; ``str(exc)`` tells the analyst what to fix."""


@dataclass(frozen=True)
class Staged:
    """An upload copied into a private folder: where it is, what it claims to be, its size."""

    path: Path
    folder: Path
    file_name: str
    format: str
    size: int


def safe_file_name(name: str) -> str:
    """The last component of a user-supplied name, for messages and provenance only."""
    base = PurePosixPath(str(name).replace("\\", "/")).name.strip()
    cleaned = "".join(ch for ch in base if ch.isprintable())[:200]
    return cleaned or "upload"


def format_of(file_name: str) -> str:
    """The reader for ``file_name`` by its extension; refused when we do not read that type."""
    suffix = PurePosixPath(file_name.lower()).suffix
    try:
        return FORMATS[suffix]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise ImportRefused(
            f"'{file_name}' is not a file type OpsMap imports; use one of {known} "
            "(a shapefile must be zipped together with its .shx, .dbf and .prj)."
        ) from None


@contextmanager
def staged_upload(
    source: bytes | IO[bytes] | Path, file_name: str, max_bytes: int
) -> Iterator[Staged]:
    """Copy ``source`` into a new private temporary folder and check it; removed afterwards.

    Refuses empty and oversized files (counting while copying, so a lying client cannot
    bypass the limit) and files whose first bytes do not match their extension.
    """
    name = safe_file_name(file_name)
    fmt = format_of(name)
    folder = Path(tempfile.mkdtemp(prefix="opsmap-import-"))
    try:
        suffix = PurePosixPath(name.lower()).suffix
        path = folder / f"upload{suffix}"
        size = _copy_limited(source, path, max_bytes, name)
        if size == 0:
            raise ImportRefused(f"'{name}' is empty: there is nothing to import.")
        check_magic(path, fmt, name)
        yield Staged(path=path, folder=folder, file_name=name, format=fmt, size=size)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _copy_limited(source: bytes | IO[bytes] | Path, dest: Path, max_bytes: int, name: str) -> int:
    too_big = ImportRefused(
        f"'{name}' is larger than the upload limit of {max_bytes // (1024 * 1024)} MB; "
        "split it into smaller files."
    )
    if isinstance(source, bytes | bytearray):
        if len(source) > max_bytes:
            raise too_big
        dest.write_bytes(source)
        return len(source)
    if isinstance(source, Path):
        if source.stat().st_size > max_bytes:
            raise too_big
        with source.open("rb") as fh:
            return _copy_limited(fh, dest, max_bytes, name)
    total = 0
    with dest.open("wb") as out:
        while chunk := source.read(CHUNK):
            total += len(chunk)
            if total > max_bytes:
                raise too_big
            out.write(chunk)
    return total


def check_magic(path: Path, fmt: str, name: str) -> None:
    """Refuse a file whose first bytes say it is something other than its extension claims."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    is_zip = head.startswith(ZIP_MAGIC)
    is_sqlite = head.startswith(SQLITE_MAGIC)
    text = head
    for bom in BOMS:
        if text.startswith(bom):
            text = text[len(bom) :]
            break
    first = text.lstrip()[:1]
    wrong = None
    if fmt in ("xlsx", "kmz", "shapefile") and not is_zip:
        wrong = "a zip archive"
    elif fmt == "gpkg" and not is_sqlite:
        wrong = "a GeoPackage (SQLite) database"
    elif fmt == "geojson" and (first != b"{" or is_zip or is_sqlite):
        wrong = "a GeoJSON document (text starting with '{')"
    elif fmt == "kml" and (first != b"<" or is_zip):
        wrong = "a KML document (XML text)"
    elif fmt == "csv" and (
        is_zip or is_sqlite or (b"\x00" in head and not head.startswith(BOMS[1:]))
    ):
        wrong = "a text file of rows"
    if wrong:
        raise ImportRefused(
            f"'{name}' is not what its extension says: its content is not {wrong}. "
            "Save it again in the right format, or fix its file extension."
        )


@dataclass(frozen=True)
class ZipLimits:
    """Bounds on an uploaded archive, checked before anything is extracted."""

    max_members: int = MAX_MEMBERS
    max_total: int = 1 << 30
    max_ratio: int = MAX_RATIO


def check_zip(path: Path, name: str, limits: ZipLimits) -> list[zipfile.ZipInfo]:
    """Inspect an archive without extracting it; return its file members or refuse it.

    Refused: not a readable zip, too many members, members with ``..`` or absolute paths,
    symlinks, a total uncompressed size above the limit, or a member that compresses suspiciously
    well (a zip bomb).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportRefused(
            f"'{name}' is not a readable zip archive (it may be truncated or damaged): {exc}"
        ) from None
    if len(infos) > limits.max_members:
        raise ImportRefused(
            f"'{name}' has {len(infos)} files inside; at most {limits.max_members} are accepted."
        )
    total = 0
    for info in infos:
        member = info.filename
        parts = PurePosixPath(member.replace("\\", "/")).parts
        if (
            member.startswith(("/", "\\"))
            or (len(member) > 1 and member[1] == ":")
            or ".." in parts
        ):
            raise ImportRefused(
                f"'{name}' contains a file with an unsafe path ({member!r}); "
                "archives must not point outside themselves."
            )
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise ImportRefused(
                f"'{name}' contains a symbolic link ({member!r}); links are not accepted."
            )
        total += info.file_size
        if info.file_size > 1 << 20 and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise ImportRefused(
                f"'{name}' looks like a zip bomb: {member!r} expands "
                f"{info.file_size // max(info.compress_size, 1)} times; refused."
            )
    if total > limits.max_total:
        raise ImportRefused(
            f"'{name}' would expand to {total // (1024 * 1024)} MB, more than the "
            f"{limits.max_total // (1024 * 1024)} MB allowed."
        )
    return [i for i in infos if not i.is_dir()]


def read_member(path: Path, info: zipfile.ZipInfo, limit: int, name: str) -> bytes:
    """One archive member's bytes, stopping (refused) if it inflates past ``limit``."""
    with zipfile.ZipFile(path) as archive, archive.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ImportRefused(f"'{name}' expands beyond its declared size; refused as a zip bomb.")
    return data


def extract_member(path: Path, info: zipfile.ZipInfo, dest: Path, limit: int, name: str) -> int:
    """Write one member to ``dest`` (a path we chose), counting bytes; refuse past ``limit``."""
    written = 0
    with zipfile.ZipFile(path) as archive, archive.open(info) as src, dest.open("wb") as out:
        while chunk := src.read(CHUNK):
            written += len(chunk)
            if written > limit:
                raise ImportRefused(
                    f"'{name}' expands beyond its declared size; refused as a zip bomb."
                )
            out.write(chunk)
    return written
