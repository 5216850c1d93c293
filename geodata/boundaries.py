"""The 14 district boundaries of the Lancashire Constabulary area: facts, checks and loading.

Every location is tagged with its district and division, so wrong boundaries mean wrong
tasking. Boundaries are therefore validated strictly (exact set of GSS codes, valid polygons,
known CRS) and refused with a message that says what to do, rather than repaired silently.
They can come from a configured file (``OPSMAP_BOUNDARIES``), the cache folder, or a download
from the ONS Open Geography Portal.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geodata.crs import WGS84

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class District:
    """A local authority district policed by the force, and the division that polices it."""

    code: str
    name: str
    division: str


DIVISIONS: tuple[str, ...] = ("West", "South", "East")
OUTSIDE = "outside"

DISTRICTS: tuple[District, ...] = (
    District("E06000008", "Blackburn with Darwen", "East"),
    District("E06000009", "Blackpool", "West"),
    District("E07000117", "Burnley", "East"),
    District("E07000118", "Chorley", "South"),
    District("E07000119", "Fylde", "West"),
    District("E07000120", "Hyndburn", "East"),
    District("E07000121", "Lancaster", "West"),
    District("E07000122", "Pendle", "East"),
    District("E07000123", "Preston", "South"),
    District("E07000124", "Ribble Valley", "East"),
    District("E07000125", "Rossendale", "East"),
    District("E07000126", "South Ribble", "South"),
    District("E07000127", "West Lancashire", "South"),
    District("E07000128", "Wyre", "West"),
)
DISTRICT_BY_CODE: dict[str, District] = {d.code: d for d in DISTRICTS}

DEFAULT_ONS_URL = (
    "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services/"
    "Local_Authority_Districts_December_2024_Boundaries_UK_BGC/FeatureServer/0/query"
)
CACHE_FILE = "districts.geojson"
MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024

_CODE_COLUMN = re.compile(r"(?i)^lad\d{2}cd$")
_NAME_COLUMN = re.compile(r"(?i)^lad\d{2}nm$")
_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HINT = (
    "Set OPSMAP_BOUNDARIES to a GeoJSON/GeoPackage of the 14 Lancashire districts "
    "(e.g. ../shared/geodata/lancashire_districts.geojson) or allow a download from the ONS."
)


class BoundaryError(Exception):
    """Boundaries are missing or unusable; the message says what is wrong and what to do."""


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
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise BoundaryError(f"boundaries must be a GeoDataFrame, got {type(gdf).__name__}")
    if gdf.crs is None:
        raise BoundaryError(
            "the boundaries have no coordinate reference system (CRS), so their position is "
            "unknown. Save them with a CRS (GeoJSON is EPSG:4326) or call set_crs(). " + _HINT
        )
    code_col = _source_column(gdf.columns, "code", _CODE_COLUMN)
    if code_col is None:
        raise BoundaryError(
            "the boundaries have no district code column: expected 'code' or an ONS column "
            f"such as 'LAD24CD'; found columns {list(map(str, gdf.columns))}. " + _HINT
        )
    name_col = _source_column(gdf.columns, "name", _NAME_COLUMN)
    geom = gdf.geometry
    frame = gpd.GeoDataFrame(
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

    expected = {d.code for d in DISTRICTS}
    codes = frame["code"]
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
            + _HINT
        )

    geoms = frame.geometry.to_numpy()
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
            + _HINT
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
            "use the ONS download. " + _HINT
        )

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
            + _HINT
        ) from exc
    try:
        return validate_boundaries(gdf)
    except BoundaryError as exc:
        raise BoundaryError(f"{path}: {exc}") from exc


def _query_url(url: str, code_field: str) -> str:
    """The ArcGIS REST query URL selecting the 14 districts as GeoJSON in EPSG:4326."""
    if not _FIELD_NAME.match(code_field):
        raise BoundaryError(f"invalid code field name {code_field!r}: expected e.g. 'LAD24CD'")
    codes = ",".join(f"'{d.code}'" for d in DISTRICTS)
    params = {
        "where": f"{code_field} IN ({codes})",
        "outFields": "*",
        "outSR": "4326",
        "f": "geojson",
    }
    return f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(params)}"


def _fetch(full_url: str, timeout: float, max_bytes: int) -> bytes:
    """GET ``full_url`` with a timeout and a size cap (a portal error page can be huge)."""
    scheme = urllib.parse.urlsplit(full_url).scheme
    if scheme not in ("http", "https"):
        raise BoundaryError(f"boundary download URL must be http(s), got {full_url!r}")
    request = urllib.request.Request(full_url, headers={"User-Agent": "OpsMap"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise BoundaryError(
            f"the boundary service answered HTTP {exc.code} ({exc.reason}) for {full_url}. "
            "Check OPSMAP_BOUNDARIES_URL points at a FeatureServer layer '/query' endpoint. "
            + _HINT
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise BoundaryError(
            f"could not download boundaries from {full_url}: {exc}. Check network/proxy "
            "access. " + _HINT
        ) from exc
    if len(data) > max_bytes:
        raise BoundaryError(
            f"the boundary download exceeded {max_bytes // (1024 * 1024)} MB; the URL probably "
            "selects the wrong (full-resolution or national) layer. Use a generalised (BGC/BUC) "
            "layer. " + _HINT
        )
    return data


def download_boundaries(
    url: str,
    dest: Path,
    timeout: float = 30,
    code_field: str = "LAD24CD",
    max_bytes: int = MAX_DOWNLOAD_BYTES,
) -> Path:
    """Download current boundaries of the 14 districts from an ONS ArcGIS FeatureServer.

    The answer is validated before anything is written, then written atomically, so a failed
    or partial download never leaves a file that later runs would trust.

    Parameters
    ----------
    url
        The layer query endpoint, e.g. :data:`DEFAULT_ONS_URL`.
    dest
        Where to write the validated GeoJSON.
    timeout
        Socket timeout in seconds.
    code_field
        The layer's GSS code field (``LAD24CD`` for the December 2024 layer).
    max_bytes
        Refuse larger answers.

    Returns
    -------
    pathlib.Path
        ``dest``.

    Raises
    ------
    BoundaryError
        Network/HTTP failure, an answer that is not GeoJSON, or invalid boundaries.
    """
    full_url = _query_url(url, code_field)
    logger.info("downloading district boundaries from %s", url)
    data = _fetch(full_url, timeout, max_bytes)
    try:
        payload = json.loads(data)
    except ValueError as exc:
        raise BoundaryError(
            f"the boundary service at {url} did not answer JSON; check the URL is a "
            "FeatureServer '/query' endpoint. " + _HINT
        ) from exc
    if isinstance(payload, dict) and "error" in payload:
        raise BoundaryError(
            f"the boundary service reported an error: {payload['error']}. Check the URL and "
            f"that the layer has a field {code_field!r} (set code_field). " + _HINT
        )
    if not isinstance(payload, dict) or not isinstance(payload.get("features"), list):
        raise BoundaryError(
            f"the boundary service at {url} did not answer a GeoJSON FeatureCollection. " + _HINT
        )
    try:
        gdf = gpd.GeoDataFrame.from_features(payload["features"], crs=WGS84)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise BoundaryError(f"the downloaded boundaries are not readable GeoJSON: {exc}") from exc
    try:
        valid = validate_boundaries(gdf)
    except BoundaryError as exc:
        raise BoundaryError(f"downloaded boundaries from {url} are unusable: {exc}") from exc

    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".districts-", suffix=".tmp", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(valid.to_json(drop_id=True))
        tmp.replace(dest)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BoundaryError(f"cannot write boundaries to {dest}: {exc}") from exc
    logger.info("saved %d district boundaries to %s", len(valid), dest)
    return dest


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
