"""Briefing benchmarks on the demo week: the pack build and the screen's data refresh.

Prints:
- building the briefing pack (HTML with inlined Leaflet, plotly.js and four maps, CSV, PDF)
  for a day of the demo week (target: under 5 s);
- the briefing screen's data refresh, server time: reading the redacted briefing and building
  every panel's components and figures, as the refresh callback does on a data change (target:
  under 300 ms); and the refresh when nothing changed (only the clock is sent).
Run: ``python bench/bench_briefing.py`` (reads OPSMAP_BOUNDARIES / OPSMAP_CACHE_DIR like the app;
builds the demo week in a temporary SQLite store).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import timings  # noqa: E402
from config import Config  # noqa: E402
from dashboard.pages.briefing.refresh import (  # noqa: E402
    refresh_key,
    refresh_outputs,
    screen_briefing,
)
from layers.briefing.model import BriefingOptions  # noqa: E402
from layers.briefing.pack import build_pack  # noqa: E402
from layers.core.demo import monday_of, seed_demo  # noqa: E402
from layers.services import Services  # noqa: E402

PACK_TARGET_S = 5.0
REFRESH_TARGET_MS = 300.0


def main() -> int:
    """Seed the demo week, then time the pack and the refresh; non-zero if a target is missed."""
    shared = ROOT.parent / "shared" / "geodata" / "lancashire_districts.geojson"
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "OPSMAP_INSTANCE": tmp,
            "OPSMAP_CACHE_DIR": os.environ.get("OPSMAP_CACHE_DIR",
                                               str(ROOT / "instance" / "cache")),
            "OPSMAP_BOUNDARIES": os.environ.get("OPSMAP_BOUNDARIES", str(shared)),
            "OPSMAP_SECRET_KEY": "bench",
            "OPSMAP_PHONE_KEY": "bench",
        }
        svc = Services(Config.from_env(env))
        svc.db.upgrade()
        week = monday_of(dt.date.today())
        with svc.db.write() as session:
            seed_demo(session, svc.postcodes, svc.districts, week, svc.config.phone_key)
        day = week + dt.timedelta(days=3)
        options = BriefingOptions(day=day)
        build_pack(svc.db, options, svc.boundaries, svc.config.marking)  # warm the caches

        pack_times = timings(
            lambda: build_pack(svc.db, options, svc.boundaries, svc.config.marking), 3)
        _, files = build_pack(svc.db, options, svc.boundaries, svc.config.marking)
        html_only = timings(lambda: build_pack(svc.db, options, svc.boundaries,
                                               svc.config.marking, with_pdf=False), 3)

        screen, _, _ = screen_briefing(svc, day.isoformat(), None)
        refresh_outputs(svc, day.isoformat(), None, None)  # warm up (imports)
        changed = []
        for _ in range(10):
            with svc.db.write():  # a colleague's change: a new data revision, nothing cached
                pass
            changed += timings(lambda: refresh_outputs(svc, day.isoformat(), None, None), 1)
        other_screen = timings(lambda: refresh_outputs(svc, day.isoformat(), None, None), 10)
        seen = refresh_key(screen, svc.db.revision())
        unchanged = timings(lambda: refresh_outputs(svc, day.isoformat(), None, seen), 10)
        svc.db.dispose()

    pack_s = min(pack_times)
    refresh_ms = statistics.median(changed) * 1000
    print(f"briefing pack (HTML {len(files.html) / 1e6:.1f} MB, CSV {len(files.csv) / 1e3:.0f} kB, "
          f"PDF {len(files.pdf or b'') / 1e3:.0f} kB): best {pack_s:.2f} s of 3 "
          f"(HTML+CSV only {min(html_only):.2f} s)  target < {PACK_TARGET_S:.0f} s")
    print(f"briefing screen refresh on a data change: median {refresh_ms:.0f} ms, "
          f"best {min(changed) * 1000:.0f} ms of 10  target < {REFRESH_TARGET_MS:.0f} ms")
    print(f"briefing screen refresh, another screen after the same change (cached build): "
          f"median {statistics.median(other_screen) * 1000:.0f} ms of 10")
    print(f"briefing screen refresh with no change: median "
          f"{statistics.median(unchanged) * 1000:.1f} ms of 10")
    ok = pack_s < PACK_TARGET_S and refresh_ms < REFRESH_TARGET_MS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
