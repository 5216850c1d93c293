"""Every in-process cache OpsMap keeps, in one place: bounded, keyed by its source, documented.

Workers share only the database, so a cache here may hold only what can be rebuilt from it, and
its key must name the exact source (database URL and data revision, which every write moves in
the same transaction): a worker whose key is stale simply builds again. Nothing here is state
that another worker needs to see.

- :data:`FRAMES`: the operations map frame, key ``(database url, data revision)``, and the
  worker's newest frame under ``(database url, "latest")`` to refresh from.
- :data:`BRIEFINGS`: built briefings, key ``(database url, data revision, options, minute)``.
- :data:`BASE_MAPS`: the briefing screen's simplified districts, outline, labels and GeoJSON,
  and the operations map's empty figure (as plotly JSON, with the tiles setting), key: the
  boundaries' content (codes, extent, vertex count).
- :data:`ASSETS`: code the briefing pack inlines (Leaflet, plotly.js, its own script) with
  their CSP hashes, key: the file (path and modification time) or package version.
- :data:`PRIORITIES`: every premises' priority and its parts, key ``(database url, data
  revision)`` and ``(database url, "inputs", content hash of what the score reads)`` (the
  operations map's hover and panel say why a premises is high priority).
- :data:`MIGRATION_HEADS`: the newest migration ids, key: the migration files and their
  modification times (readiness asks on every probe).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """A thread-safe least-recently-used map of at most ``maxsize`` entries.

    ``get_or_build`` builds outside the lock, so a slow build never blocks readers of other
    keys; two threads missing the same key at once may both build, and the last one wins.
    """

    def __init__(self, name: str, maxsize: int) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.name = name
        self.maxsize = maxsize
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The cached value, marked as recently used, or ``None``."""
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: K, value: V) -> None:
        """Store ``value``, evicting the least recently used entries beyond ``maxsize``."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def get_or_build(self, key: K, build: Callable[[], V]) -> V:
        """The cached value for ``key``, built and stored on a miss."""
        hit = self.get(key)
        if hit is not None:
            return hit
        value = build()
        self.put(key, value)
        return value

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def clear(self) -> None:
        """Forget every entry (a database dropped and created again restarts its revisions)."""
        with self._lock:
            self._items.clear()


FRAMES: BoundedCache[tuple[str, int | str], object] = BoundedCache("map frames", maxsize=4)
BRIEFINGS: BoundedCache[tuple[object, ...], object] = BoundedCache("briefings", maxsize=8)
BASE_MAPS: BoundedCache[tuple[object, ...], object] = BoundedCache("base maps", maxsize=8)
ASSETS: BoundedCache[tuple[object, ...], object] = BoundedCache("pack assets", maxsize=8)
PRIORITIES: BoundedCache[tuple[object, ...], object] = BoundedCache("priorities", maxsize=8)
MIGRATION_HEADS: BoundedCache[tuple[object, ...], tuple[str, ...]] = BoundedCache(
    "migration heads", maxsize=2
)
