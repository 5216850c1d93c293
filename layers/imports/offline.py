"""GDAL and PROJ with their network access switched off, for the whole process.

OpsMap runs offline: no import may ever open a network connection. GDAL can, in several ways:
``/vsicurl/`` and the cloud file systems (``/vsis3/`` ...), and its HTTP client, which drivers
call to resolve references inside a file (a GeoJSON ``crs`` of type ``link`` made it fetch any
URL an analyst wrote, even on a dry run). So, once per process, before any file is read:

- GDAL's documented ``CPL_VSIL_CURL_ALLOWED_FILENAME`` and ``CPL_VSIL_CURL_ALLOWED_EXTENSIONS``
  options allow no remote file name at all, which shuts every ``/vsicurl/``-based file system;
  retries are off and time-outs short, should anything still try;
- GDAL's HTTP client is replaced by a callback (GDAL's documented
  ``CPLHTTPSetFetchCallback``) that refuses every request without touching the network, for
  every driver;
- PROJ's network (grid downloads) is off, in GDAL's PROJ and in pyproj's.

:func:`network_state` says what could be switched off, so a test (and the health check) can
fail loudly rather than assume. GDAL's configuration is process state by nature; the callback
object is kept alive here for as long as the process runs.
"""

from __future__ import annotations

import ctypes
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyogrio
import pyproj.network

logger = logging.getLogger(__name__)

GDAL_OFFLINE_OPTIONS: dict[str, str] = {
    "CPL_VSIL_CURL_ALLOWED_FILENAME": "/opsmap/network-access-is-disabled",
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".opsmap-network-access-is-disabled",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_HTTP_CONNECTTIMEOUT": "1",
    "GDAL_HTTP_TIMEOUT": "1",
    "CPL_CURL_ENABLE_VSIMEM": "NO",
}
REFUSAL = b"network access is disabled in OpsMap: imports never fetch anything"


class _HTTPResult(ctypes.Structure):
    """GDAL's ``CPLHTTPResult`` (cpl_http.h), enough of it to answer with an error."""

    _fields_ = [
        ("nStatus", ctypes.c_int),
        ("pszContentType", ctypes.c_void_p),
        ("pszErrBuf", ctypes.c_void_p),
        ("nDataLen", ctypes.c_int),
        ("nDataAlloc", ctypes.c_int),
        ("pabyData", ctypes.c_void_p),
        ("papszHeaders", ctypes.c_void_p),
        ("nMimePartCount", ctypes.c_int),
        ("pasMimePart", ctypes.c_void_p),
    ]


_FETCH = ctypes.CFUNCTYPE(
    ctypes.c_void_p,
    ctypes.c_char_p,
    ctypes.c_void_p,
    ctypes.c_void_p,
    ctypes.c_void_p,
    ctypes.c_void_p,
    ctypes.c_void_p,
    ctypes.c_void_p,
)


@dataclass
class NetworkState:
    """What :func:`disable_network` switched off in this process."""

    config_options: bool = False
    http_refused: bool = False
    proj_off: bool = False
    refused_requests: int = 0
    library: str | None = None
    problem: str | None = None


_STATE = NetworkState()
_KEEP: list[Any] = []
"""The installed callback and library handle, which must outlive every GDAL call."""


def network_state() -> NetworkState:
    """What is switched off (and how many requests GDAL has been refused so far)."""
    return _STATE


def disable_network() -> NetworkState:
    """Switch GDAL's and PROJ's network access off for this process (idempotent)."""
    if not _STATE.config_options:
        pyogrio.set_gdal_config_options(GDAL_OFFLINE_OPTIONS)
        _STATE.config_options = True
    if not _STATE.proj_off:
        os.environ["PROJ_NETWORK"] = "OFF"
        pyproj.network.set_network_enabled(active=False)
        _STATE.proj_off = True
    if not _STATE.http_refused:
        _refuse_http()
    return _STATE


def _gdal_library() -> Path | None:
    """The GDAL library pyogrio loaded (its wheel bundles one; otherwise the system's)."""
    package = Path(pyogrio.__file__).resolve().parent
    for pattern in ("../pyogrio.libs/libgdal*", ".dylibs/libgdal*", "../pyogrio.libs/gdal*.dll"):
        found = sorted(package.glob(pattern))
        if found:
            return found[0]
    maps = Path("/proc/self/maps")
    if maps.exists():
        for line in maps.read_text().splitlines():
            path = line.split()[-1] if line.split() else ""
            if "libgdal" in Path(path).name:
                return Path(path)
    return None


def _refuse_http() -> None:
    path = _gdal_library()
    if path is None:
        _STATE.problem = "GDAL's library was not found, so its HTTP client could not be refused"
        logger.warning("offline: %s; relying on GDAL configuration options", _STATE.problem)
        return
    lib = ctypes.CDLL(str(path))
    lib.VSICalloc.restype = ctypes.c_void_p
    lib.VSICalloc.argtypes = [ctypes.c_size_t, ctypes.c_size_t]
    lib.CPLStrdup.restype = ctypes.c_void_p
    lib.CPLStrdup.argtypes = [ctypes.c_char_p]
    lib.CPLHTTPSetFetchCallback.argtypes = [_FETCH, ctypes.c_void_p]

    def refuse(url: bytes | None, *_ignored: object) -> int | None:
        _STATE.refused_requests += 1
        logger.warning("offline: GDAL asked to fetch %r; refused", (url or b"")[:200])
        result = lib.VSICalloc(1, ctypes.sizeof(_HTTPResult))
        answer = _HTTPResult.from_address(result)
        answer.nStatus = 1
        answer.pszErrBuf = lib.CPLStrdup(REFUSAL)
        return int(result)

    callback = _FETCH(refuse)
    lib.CPLHTTPSetFetchCallback(callback, None)
    if hasattr(lib, "OSRSetPROJEnableNetwork"):
        lib.OSRSetPROJEnableNetwork.argtypes = [ctypes.c_int]
        lib.OSRSetPROJEnableNetwork(0)
    _KEEP.extend([lib, callback])
    _STATE.http_refused = True
    _STATE.library = str(path)
    logger.info("offline: GDAL's network access is off (%s)", path.name)
