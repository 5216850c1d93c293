"""Map benchmarks: bytes per point on the wire and the server time of a filter change.

Prints:
- the size of the map update for 250,000 advert geotags (target: at most 12 bytes a point);
- the server time of a filter change on the demo week plus 250,000 extra adverts, through the
  real Dash endpoint with a signed-in commander (target: under 50 ms), and its response size;
- the end-to-end time in Chromium of that filter change (when Chromium is installed).
Run: ``python bench/bench_map.py`` (uses OPSMAP_BOUNDARIES / OPSMAP_CACHE_DIR like the app).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.io.json as pio_json

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import Config  # noqa: E402
from dashboard.pages.operations.callbacks import FILTER_IDS  # noqa: E402
from dashboard.pages.operations.figures import as_patch, layer_updates  # noqa: E402
from dashboard.pages.operations.ids import Ids  # noqa: E402
from dashboard.pages.operations.view import plan_layer  # noqa: E402
from layers.core.demo import monday_of, seed_demo  # noqa: E402
from layers.core.locations import insert_locations, place  # noqa: E402
from layers.core.queries import Filters, current_frame, filter_mask  # noqa: E402
from layers.services import Services  # noqa: E402

EXTRA_ADVERTS = 250_000


def _config(tmp: Path) -> Config:
    env = dict(os.environ)
    env.setdefault(
        "OPSMAP_BOUNDARIES",
        str(ROOT.parent / "shared" / "geodata" / "lancashire_districts.geojson"),
    )
    env.setdefault("OPSMAP_CACHE_DIR", str(ROOT / "instance" / "cache"))
    env.update(
        OPSMAP_INSTANCE=str(tmp),
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        OPSMAP_SECRET_KEY=secrets.token_urlsafe(32),
        OPSMAP_PHONE_KEY=secrets.token_urlsafe(32),
    )
    return Config.from_env(env)


def _extra_adverts(svc: Services, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    lon = rng.uniform(-3.05, -2.05, n)
    lat = rng.uniform(53.55, 54.15, n)
    frame = pd.DataFrame(
        {
            "kind": "adverts",
            "lon": lon,
            "lat": lat,
            "site": rng.choice(["site-a.example", "site-b.example"], n),
            "ref": [f"BENCH-{i}" for i in range(n)],
            "observed_at": pd.Timestamp.now(tz="UTC")
            - pd.to_timedelta(rng.integers(0, 7 * 24, n), unit="h"),
            "accuracy_m": 50.0,
            "source": "bench",
            "created_by": "bench",
        }
    )
    return place(frame, svc.districts)


def bytes_per_point(frame: pd.DataFrame) -> float:
    """Size of the map update carrying every advert as a point, per point."""
    mask = filter_mask(frame, Filters(kinds=("adverts",)))
    view = plan_layer(frame, mask, "adverts", None, limit=10**9)
    patch = as_patch(layer_updates(frame, {"adverts": view}, colour_by_status=False))
    payload = pio_json.to_json_plotly(patch.to_plotly_json())
    return len(payload) / view.total, view.total


def dash_filter_change(svc: Services, server) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    """Time the real map callback for alternating status filters, as a signed-in commander."""
    from layers.accounts import create_user

    password = secrets.token_urlsafe(12)
    with svc.db.write() as session:
        create_user(session, "bench-commander", "commander", password)
    client = server.test_client()
    client.post("/login", data={"username": "bench-commander", "password": password})
    props = [
        (Ids.MAP, "figure"),
        (Ids.COUNTS, "children"),
        (Ids.TABLE, "children"),
        (Ids.VIEW_STATE, "data"),
        (Ids.NOTICE, "children"),
    ]
    outputs = ".." + "...".join(f"{i}.{p}" for i, p in props) + ".."
    times, size, state = [], 0, None
    for i in range(12):
        statuses = ["unplanned"] if i % 2 else ["planned", "unplanned"]
        inputs = [
            {"id": Ids.LAYERS, "property": "value", "value": ["premises", "tipoffs", "adverts"]},
            {"id": Ids.COLOUR_BY, "property": "value", "value": "layer"},
            *[
                {"id": i_, "property": "value", "value": statuses if key == "statuses" else None}
                for key, i_ in FILTER_IDS.items()
            ],
            {"id": Ids.MAP, "property": "relayoutData", "value": None},
            {"id": Ids.REFRESH, "property": "data", "value": 0},
            {"id": Ids.POLL, "property": "n_intervals", "value": None},
        ]
        body = {
            "output": outputs,
            "outputs": [
                {"id": Ids.MAP, "property": "figure"},
                {"id": Ids.COUNTS, "property": "children"},
                {"id": Ids.TABLE, "property": "children"},
                {"id": Ids.VIEW_STATE, "property": "data"},
                {"id": Ids.NOTICE, "property": "children"},
            ],
            "inputs": inputs,
            "changedPropIds": [f"{Ids.STATUS}.value"],
            "state": [{"id": Ids.VIEW_STATE, "property": "data", "value": state}],
        }
        start = time.perf_counter()
        response = client.post(
            "/_dash-update-component",
            data=json.dumps(body),
            content_type="application/json",
            headers={"Origin": "http://localhost"},
        )
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.data[:300]
        if i >= 2:  # the first calls fill the per-revision frame cache
            times.append(elapsed)
        size = len(response.data)
        state = response.json["response"][Ids.VIEW_STATE]["data"]
    return times, size


def main() -> int:
    """Build the data, then print each figure."""
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        config = _config(tmp)
        svc = Services(config)
        svc.db.upgrade()
        with svc.db.write() as session:
            seed_demo(
                session, svc.postcodes, svc.districts, monday_of(dt.date.today()), config.phone_key
            )
        extra = _extra_adverts(svc, EXTRA_ADVERTS)
        with svc.db.write() as session:
            insert_locations(session, extra)
        _rev, frame = current_frame(svc.db)
        print(f"locations: {len(frame):,} (demo week + {EXTRA_ADVERTS:,} extra adverts)")

        per_point, n = bytes_per_point(frame)
        print(f"map update for {n:,} advert points: {per_point:.1f} bytes/point (target <= 12)")

        from app import create_app

        server = create_app(config)
        times, size = dash_filter_change(svc, server)
        print(
            "filter change via /_dash-update-component: "
            f"median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms "
            f"server time (target < 50 ms); response {size / 1024:.0f} KiB"
        )
        if Path("/usr/bin/chromium").exists():
            from bench.browser_timing import filter_change_in_chromium

            ms = filter_change_in_chromium(config, svc)
            print(f"filter change end to end in Chromium: median {ms:.0f} ms")
        svc.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
