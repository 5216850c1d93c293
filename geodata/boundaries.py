"""Loading the 14 district boundaries: a configured file, the cache, or an ONS download.

Every location is tagged with its district and division, so boundaries are validated strictly
(:mod:`geodata.boundary_checks`) on every path in. A process reads each file version once
(a bounded cache keyed by path and modification time).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import geopandas as gpd

from geodata.boundary_checks import validate_boundaries
from geodata.boundary_download import download_boundaries
from geodata.force import HINT, BoundaryError

logger = logging.getLogger(__name__)

CACHE_FILE = "districts.geojson"


def read_boundaries(path: Path) -> gpd.GeoDataFrame:
    """Read boundaries from a GeoJSON or GeoPackage file (via pyogrio) and validate them.

    Raises
    ------
    BoundaryError
        The file does not exist, cannot be read, or fails :func:`validate_boundaries`.
    """
    path = Path(path)
    if not path.is_file():
        raise BoundaryError(
            f"boundary file {path} does not exist. Set OPSMAP_BOUNDARIES to the path of a "
            "GeoJSON/GeoPackage of the 14 districts, or unset it to use the cache/ONS download."
        )
    try:
        gdf = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio raises several unrelated types for unreadable files
        raise BoundaryError(
            f"cannot read boundary file {path}: {exc}. Check it is a GeoJSON or GeoPackage; "
            + HINT
        ) from exc
    try:
        return validate_boundaries(gdf)
    except BoundaryError as exc:
        raise BoundaryError(f"{path}: {exc}") from exc


def _resolve_source(path: Path | None, cache_dir: Path, download_url: str | None) -> Path:
    """The boundary file to read, downloading into the cache when that is the only option."""
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise BoundaryError(
                f"boundary file {path} (OPSMAP_BOUNDARIES) does not exist. Point "
                "OPSMAP_BOUNDARIES at the 14-district GeoJSON/GeoPackage, or unset it to use "
                "the cache or the ONS download."
            )
        return path
    cached = Path(cache_dir) / CACHE_FILE
    if cached.is_file():
        return cached
    if download_url:
        return download_boundaries(download_url, cached)
    raise BoundaryError(
        f"no district boundaries: OPSMAP_BOUNDARIES is not set, {cached} does not exist and "
        "downloading is not allowed. Set OPSMAP_BOUNDARIES to a boundary file or allow the "
        "download (OPSMAP_BOUNDARIES_URL / network access)."
    )


def load_boundaries(
    path: Path | None, cache_dir: Path, download_url: str | None
) -> gpd.GeoDataFrame:
    """Load validated boundaries: configured file, else cached file, else download.

    Parameters
    ----------
    path
        Configured file (``OPSMAP_BOUNDARIES``); an error if given but missing, because a
        typo should not silently fall back to other data.
    cache_dir
        Folder holding ``districts.geojson`` from an earlier download.
    download_url
        ONS query endpoint to download from when nothing is on disk; ``None`` forbids it.
    """
    return read_boundaries(_resolve_source(path, cache_dir, download_url))


@lru_cache(maxsize=8)
def _read_cached(path: Path, mtime_ns: int) -> gpd.GeoDataFrame:
    """Read-only cache of validated boundaries, keyed by file and modification time."""
    logger.debug("reading boundaries %s (mtime %d)", path, mtime_ns)
    return read_boundaries(path)


def load_boundaries_cached(
    path: Path | None, cache_dir: Path, download_url: str | None
) -> gpd.GeoDataFrame:
    """Like :func:`load_boundaries`, but each process reads a given file version only once.

    Returns a copy so callers cannot alter the cached frame.
    """
    source = _resolve_source(path, cache_dir, download_url).resolve()
    return _read_cached(source, source.stat().st_mtime_ns).copy()
