"""Geodata benchmarks: district assignment, postcode index build and bulk geocoding.

Prints:
- assigning 1,000,000 random lon/lat points in the force's bounding box to districts
  (target: under 0.5 s);
- building the Code-Point Open postcode index from the CSVs (one-off, then cached);
- geocoding 100,000 postcodes, a mix of real and unknown ones (target: under 1 s once built).
Run: ``python bench/bench_geodata.py`` (reads OPSMAP_BOUNDARIES / OPSMAP_CACHE_DIR like the app).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import best_of  # noqa: E402
from geodata.boundaries import read_boundaries  # noqa: E402
from geodata.districts import DistrictIndex  # noqa: E402
from geodata.postcodes import INDEX_FILE, PostcodeIndex  # noqa: E402

POINTS = 1_000_000
POSTCODES = 100_000
SEED = 20260


def main() -> int:
    """Run the three benchmarks and print their figures; non-zero if a target is missed."""
    boundaries_path = Path(
        os.environ.get(
            "OPSMAP_BOUNDARIES",
            str(ROOT.parent / "shared" / "geodata" / "lancashire_districts.geojson"),
        )
    )
    cache_dir = Path(os.environ.get("OPSMAP_CACHE_DIR", str(ROOT / "instance" / "cache")))
    rng = np.random.default_rng(SEED)
    missed = 0

    index = DistrictIndex.from_boundaries(read_boundaries(boundaries_path))
    minx, miny = index.bounds[:, :2].min(axis=0)
    maxx, maxy = index.bounds[:, 2:].max(axis=0)
    lon = rng.uniform(minx, maxx, POINTS)
    lat = rng.uniform(miny, maxy, POINTS)
    seconds = best_of(lambda: index.assign(lon, lat), 3)
    inside = float((index.assign(lon, lat) >= 0).mean())
    ok = seconds < 0.5
    missed += not ok
    print(
        f"district assignment: {POINTS:,} points in {seconds:.3f} s "
        f"({inside:.0%} inside the force) target < 0.5 s: {'ok' if ok else 'MISSED'}"
    )

    start = time.perf_counter()
    built = PostcodeIndex.build()
    build_s = time.perf_counter() - start
    print(f"postcode index build: {len(built):,} postcodes in {build_s:.1f} s (one-off)")
    if not (cache_dir / INDEX_FILE).is_file():
        built.save(cache_dir / INDEX_FILE)
    start = time.perf_counter()
    postcodes = PostcodeIndex.load(cache_dir / INDEX_FILE)
    print(f"postcode index load: {time.perf_counter() - start:.2f} s from {cache_dir / INDEX_FILE}")

    real = postcodes.keys[rng.integers(0, len(postcodes), POSTCODES)].astype("U7")
    spaced = np.char.add(np.char.add(np.char.lower(real), "  "), "")  # messy but valid input
    queries = spaced.astype(object)
    unknown = rng.random(POSTCODES) < 0.2
    queries[unknown] = "ZZ9 9ZZ"
    seconds = best_of(lambda: postcodes.lookup(queries), 3)
    found = postcodes.lookup(queries).found.mean()
    ok = seconds < 1.0
    missed += not ok
    print(
        f"geocoding: {POSTCODES:,} postcodes ({found:.0%} found) in {seconds:.3f} s "
        f"target < 1 s: {'ok' if ok else 'MISSED'}"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
