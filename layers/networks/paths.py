"""A network's path: the places it was seen, in order, and arrows between them.

A stop is a run of consecutive advertising days in the same district (the district of most
adverts each day, as for moves); it sits at the mean position of those adverts. Arrows are
drawn in British National Grid metres, where an angle is an angle, and converted to WGS84 for
the map: a line from stop to stop with a two-stroke head (map markers other than circles would
make the map library fetch icons from the internet).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geodata.crs import to_wgs84
from layers.networks.circuits import daily_places

STOP_COLUMNS = ["district_code", "first_day", "last_day", "adverts", "easting", "northing"]
HEAD_ANGLE = np.deg2rad(150.0)


def path_stops(adverts: pd.DataFrame, days: pd.Series) -> pd.DataFrame:
    """Stops of one network from its ``adverts`` (district_code, easting, northing, observed_at)
    and their London ``days``."""
    frame = adverts.reset_index(drop=True).assign(day=pd.Series(days).to_numpy())
    frame = frame[frame["day"].notna()]
    if frame.empty:
        return pd.DataFrame(columns=STOP_COLUMNS)
    order = frame["observed_at"].rank(method="first").to_numpy()
    places = daily_places(
        np.zeros(len(frame), dtype=np.int64), frame["day"], frame["district_code"], order
    ).sort_values("day")
    run = (places["district_code"] != places["district_code"].shift()).cumsum()
    places = places.assign(run=run.to_numpy())
    day_run = dict(zip(places["day"], places["run"], strict=True))
    frame = frame.assign(run=frame["day"].map(day_run))
    frame = frame[
        frame["district_code"].to_numpy()
        == frame["run"].map(places.groupby("run")["district_code"].first()).to_numpy()
    ]
    stops = frame.groupby("run").agg(
        district_code=("district_code", "first"),
        first_day=("day", "min"),
        last_day=("day", "max"),
        adverts=("day", "size"),
        easting=("easting", "mean"),
        northing=("northing", "mean"),
    )
    return stops.reset_index(drop=True)[STOP_COLUMNS]


def arrow_lines(
    easting: np.ndarray, northing: np.ndarray, head_m: float = 2000.0, gap_m: float = 700.0
) -> tuple[list[float | None], list[float | None]]:
    """Lon/lat of arrows from each point to the next (shaft and head), ``None`` between.

    The tip stops ``gap_m`` short of the next point, so the stop's marker does not hide it.
    """
    lons: list[float | None] = []
    lats: list[float | None] = []
    for i in range(len(easting) - 1):
        x0, y0, x1, y1 = easting[i], northing[i], easting[i + 1], northing[i + 1]
        length = float(np.hypot(x1 - x0, y1 - y0))
        if length == 0:
            continue
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        gap = min(gap_m, 0.2 * length)
        x1, y1 = x1 - gap * ux, y1 - gap * uy
        size = min(head_m, 0.3 * length)
        xs, ys = [x0, x1], [y0, y1]
        for angle in (HEAD_ANGLE, -HEAD_ANGLE):
            hx = x1 + size * (ux * np.cos(angle) - uy * np.sin(angle))
            hy = y1 + size * (ux * np.sin(angle) + uy * np.cos(angle))
            xs += [hx, x1]
            ys += [hy, y1]
        lon, lat = to_wgs84(np.array(xs), np.array(ys))
        lons += [*np.round(lon, 5).tolist(), None]
        lats += [*np.round(lat, 5).tolist(), None]
    return lons, lats
