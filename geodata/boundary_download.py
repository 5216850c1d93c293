"""Download of current district boundaries from the ONS Open Geography Portal.

Used only when no boundary file is configured or cached, and only where the administrator
allows it (``OPSMAP_BOUNDARIES_URL``): the answer is size-capped, validated before anything is
written, then written atomically.
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
from pathlib import Path

import geopandas as gpd

from geodata.boundary_checks import validate_boundaries
from geodata.crs import WGS84
from geodata.force import DISTRICTS, HINT, BoundaryError

logger = logging.getLogger(__name__)

DEFAULT_ONS_URL = (
    "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services/"
    "Local_Authority_Districts_December_2024_Boundaries_UK_BGC/FeatureServer/0/query"
)
MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024
_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


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
            + HINT
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise BoundaryError(
            f"could not download boundaries from {full_url}: {exc}. Check network/proxy "
            "access. " + HINT
        ) from exc
    if len(data) > max_bytes:
        raise BoundaryError(
            f"the boundary download exceeded {max_bytes // (1024 * 1024)} MB; the URL probably "
            "selects the wrong (full-resolution or national) layer. Use a generalised (BGC/BUC) "
            "layer. " + HINT
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
    valid = _validated_answer(data, url, code_field)
    dest = Path(dest)
    _write_atomically(valid, dest)
    logger.info("saved %d district boundaries to %s", len(valid), dest)
    return dest


def _validated_answer(data: bytes, url: str, code_field: str) -> gpd.GeoDataFrame:
    """The service's answer as validated boundaries, or a :class:`BoundaryError` saying why not."""
    try:
        payload = json.loads(data)
    except ValueError as exc:
        raise BoundaryError(
            f"the boundary service at {url} did not answer JSON; check the URL is a "
            "FeatureServer '/query' endpoint. " + HINT
        ) from exc
    if isinstance(payload, dict) and "error" in payload:
        raise BoundaryError(
            f"the boundary service reported an error: {payload['error']}. Check the URL and "
            f"that the layer has a field {code_field!r} (set code_field). " + HINT
        )
    if not isinstance(payload, dict) or not isinstance(payload.get("features"), list):
        raise BoundaryError(
            f"the boundary service at {url} did not answer a GeoJSON FeatureCollection. " + HINT
        )
    try:
        gdf = gpd.GeoDataFrame.from_features(payload["features"], crs=WGS84)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise BoundaryError(f"the downloaded boundaries are not readable GeoJSON: {exc}") from exc
    try:
        return validate_boundaries(gdf)
    except BoundaryError as exc:
        raise BoundaryError(f"downloaded boundaries from {url} are unusable: {exc}") from exc


def _write_atomically(valid: gpd.GeoDataFrame, dest: Path) -> None:
    """Write via a temporary file and rename, so a reader never sees half a file."""
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
