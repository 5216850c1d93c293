"""Benchmark of analysts' imports: rows per second and peak memory.

Generates, in a temporary folder, a 1,000,000-row advert CSV (latitude/longitude) and a
100,000-row premises CSV located by postcode, then imports each (validated, district-assigned,
de-duplicated against the store, committed in one transaction) on SQLite and, when reachable,
PostgreSQL. Targets on a 2-core machine: under 20 s and under 2 GB peak for the million rows,
under 5 s for the postcodes.

Run: ``.venv/bin/python bench/bench_imports.py [--rows 1000000] [--postcodes 100000]``
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import secrets
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import Config  # noqa: E402
from layers.imports import import_file  # noqa: E402
from layers.services import Services  # noqa: E402

logger = logging.getLogger("bench.imports")

BOUNDARIES = Path(
    os.environ.get(
        "OPSMAP_BOUNDARIES",
        str(ROOT.parent / "shared" / "geodata" / "lancashire_districts.geojson"),
    )
)
PG = os.environ.get("OPSMAP_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def advert_csv(path: Path, rows: int) -> None:
    """A realistic scraped-advert export: site, advert id, phone, posted time, lat/lon."""
    rng = np.random.default_rng(1)
    lat = rng.uniform(53.55, 54.15, rows).round(6)
    lon = rng.uniform(-3.05, -2.1, rows).round(6)
    posted = pd.Timestamp("2026-11-23T00:00:00Z") + pd.to_timedelta(
        rng.integers(0, 7 * 86400, rows), "s"
    )
    frame = pd.DataFrame(
        {
            "site": rng.choice(["vivastreet", "adultwork", "massagerepublic"], rows),
            "advert_id": pd.Series(np.arange(rows)).map("AD{:08d}".format),
            "phone": pd.Series(rng.integers(7_700_900_000, 7_700_999_999, rows)).map("0{}".format),
            "posted": posted.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "latitude": lat,
            "longitude": lon,
            "accuracy": rng.choice([10, 50, 250, 1000], rows),
        }
    )
    frame.to_csv(path, index=False)


def postcode_csv(path: Path, rows: int, svc: Services) -> None:
    """A licensing spreadsheet of premises located only by (messily written) postcode."""
    rng = np.random.default_rng(2)
    index = svc.postcodes
    codes = np.asarray(index.keys[rng.integers(0, len(index.keys), rows)]).astype(str)
    spaced = pd.Series(codes).str.replace(r"^(.*)(...)$", r"\1 \2", regex=True).str.lower()
    frame = pd.DataFrame(
        {
            "Reference": pd.Series(np.arange(rows)).map("LIC-{:07d}".format),
            "Postcode": spaced,
            "Premises type": rng.choice(
                ["nail bar", "car wash", "takeaway", "massage parlour"], rows
            ),
            "Risk rating": rng.choice(["High", "medium", "LOW"], rows),
        }
    )
    frame.to_csv(path, index=False)


def peak_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(svc: Services, path: Path, kind: str, label: str) -> None:
    start = time.perf_counter()
    result = import_file(svc, path, path.name, kind, "bench", dry_run=False)
    seconds = time.perf_counter() - start
    report = result.report
    if report.refused:
        raise SystemExit(f"{label}: refused: {report.refused}")
    print(
        f"{label:<34} {report.read:>9,} rows  {seconds:6.2f} s  "
        f"{report.read / seconds:>10,.0f} rows/s  accepted {report.accepted:,} "
        f"(outside {report.outside_area:,}), rejected {report.rejected}, "
        f"peak RSS {peak_mb():,.0f} MB",
        flush=True,
    )


def services_for(folder: Path, url: str | None) -> Services:
    env = {
        "OPSMAP_INSTANCE": str(folder / "instance"),
        "OPSMAP_CACHE_DIR": os.environ.get("OPSMAP_CACHE_DIR", str(ROOT / "instance" / "cache")),
        "OPSMAP_BOUNDARIES": str(BOUNDARIES),
        "OPSMAP_SECRET_KEY": secrets.token_urlsafe(32),
        "OPSMAP_PHONE_KEY": secrets.token_urlsafe(32),
        "OPSMAP_MAX_UPLOAD_MB": "1024",
    }
    if url:
        env["DATABASE_URL"] = url
    svc = Services(Config.from_env(env))
    svc.db.upgrade()
    _ = svc.districts, svc.postcodes  # built once, outside the timings
    return svc


def postgres_url() -> str | None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(PG)
    name = f"opsmap_bench_{uuid.uuid4().hex[:8]}"
    try:
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    except Exception as exc:  # noqa: BLE001 - no server means "skip PostgreSQL"
        print(f"PostgreSQL unreachable ({exc.__class__.__name__}); skipped")
        return None
    return base.set(database=name).render_as_string(hide_password=False)


def drop_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postcodes", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="opsmap-bench-") as tmp:
        folder = Path(tmp)
        backends: list[tuple[str, str | None]] = []
        if args.backend in ("sqlite", "both"):
            backends.append(("sqlite", None))
        if args.backend in ("postgresql", "both"):
            url = postgres_url()
            if url:
                backends.append(("postgresql", url))
        adverts = folder / "adverts.csv"
        start = time.perf_counter()
        advert_csv(adverts, args.rows)
        print(
            f"generated {adverts.name}: {adverts.stat().st_size / 1e6:.0f} MB "
            f"in {time.perf_counter() - start:.1f} s"
        )
        postcodes = folder / "premises_postcodes.csv"
        for name, url in backends:
            svc = services_for(folder / name, url)
            if not postcodes.exists():
                postcode_csv(postcodes, args.postcodes, svc)
            run(svc, adverts, "adverts", f"{name}: {args.rows:,} adverts (lat/lon)")
            run(svc, postcodes, "premises", f"{name}: {args.postcodes:,} premises (postcode)")
            svc.db.dispose()
            if url:
                drop_postgres(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
