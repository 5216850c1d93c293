"""New intelligence for the briefing: tip-offs and adverts since the last one, hotspot squares
and an hourly timeline. Points are counted in British National Grid squares, vectorised."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from layers.briefing.model import BriefingOptions
from layers.briefing.redaction import redact_frame, snap_to_grid

HOTSPOT_COLUMNS = ["cell", "easting", "northing", "lon", "lat", "district", "tipoffs", "adverts",
                   "count"]
POINT_COLUMNS = ["id", "kind", "lon", "lat", "easting", "northing", "district_code",
                 "observed_at", "channel", "site", "accuracy_m"]


def grid_label(easting: float, northing: float) -> str:
    """The OS grid reference of a 1 km cell (``SD 53 29``), from its centre."""
    e100, n100 = int(easting // 100_000), int(northing // 100_000)
    if not (0 <= e100 < 7 and 0 <= n100 < 13):
        return f"{int(easting)} {int(northing)}"
    letters = "ABCDEFGHJKLMNOPQRSTUVWXYZ"
    l1 = (19 - n100) - (19 - n100) % 5 + (e100 + 10) // 5
    l2 = (19 - n100) * 5 % 25 + e100 % 5
    east = int(easting % 100_000) // 1000
    north = int(northing % 100_000) // 1000
    return f"{letters[l1]}{letters[l2]} {east:02d} {north:02d}"


def new_points(
    frame: pd.DataFrame, names: dict[str, str], since: dt.datetime, at: dt.datetime
) -> pd.DataFrame:
    """Tip-offs and adverts observed in ``[since, at]`` with their district's name (not yet
    redacted)."""
    observed = frame["observed_at"]
    mask = (
        frame["kind"].isin(["tipoffs", "adverts"])
        & (observed >= pd.Timestamp(since))
        & (observed <= pd.Timestamp(at))
    ).to_numpy()
    points = frame.loc[mask, POINT_COLUMNS].copy()
    points["kind"] = points["kind"].astype(str)
    points["district"] = points["district_code"].astype(str).map(names).fillna(
        points["district_code"].astype(str)
    )
    return points


def hotspots(points: pd.DataFrame, cell: float, top_n: int) -> pd.DataFrame:
    """The ``top_n`` grid squares of side ``cell`` metres with the most new points, placed at
    the centre of the square (the redaction grid's, when the squares are larger)."""
    if not len(points):
        return pd.DataFrame(columns=HOTSPOT_COLUMNS)
    e = points["easting"].to_numpy()
    n = points["northing"].to_numpy()
    keys = np.floor(e / cell).astype(np.int64) * 1_000_000 + np.floor(n / cell).astype(np.int64)
    uniq, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    top = np.argsort(-counts, kind="stable")[:top_n]
    is_tip = (points["kind"].to_numpy() == "tipoffs").astype(np.int64)
    tips = np.bincount(inverse, weights=is_tip, minlength=len(uniq))
    districts = points["district"].to_numpy()
    rows = []
    for i in top:
        cx = (uniq[i] // 1_000_000 + 0.5) * cell
        cy = (uniq[i] % 1_000_000 + 0.5) * cell
        names_in = pd.Series(districts[inverse == i]).value_counts()
        rows.append({
            "cell": grid_label(cx, cy), "easting": float(cx), "northing": float(cy),
            "lon": np.nan, "lat": np.nan, "district": str(names_in.index[0]),
            "tipoffs": int(tips[i]), "adverts": int(counts[i] - tips[i]), "count": int(counts[i]),
        })
    return snap_to_grid(pd.DataFrame(rows, columns=HOTSPOT_COLUMNS))


def timeline(points: pd.DataFrame, since: dt.datetime, at: dt.datetime) -> pd.DataFrame:
    """New tip-offs and adverts per hour from ``since`` to ``at`` (every hour, zero or not)."""
    hours = pd.date_range(pd.Timestamp(since).floor("h"), pd.Timestamp(at).ceil("h"), freq="h")
    binned = points.assign(hour=points["observed_at"].dt.floor("h"))
    counts = binned.groupby(["hour", "kind"]).size().unstack(fill_value=0)
    out = pd.DataFrame({"hour": hours})
    for kind in ("tipoffs", "adverts"):
        series = counts[kind] if kind in counts.columns else pd.Series(dtype=int)
        out[kind] = out["hour"].map(series).fillna(0).astype(int)
    return out


def new_intel(
    frame: pd.DataFrame, names: dict[str, str], since: dt.datetime, at: dt.datetime,
    options: BriefingOptions,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Tip-offs and adverts observed in ``[since, at]``: the points (redacted first, so nothing
    below is computed from a precise position), hotspot cells and the timeline."""
    points = redact_frame(new_points(frame, names, since, at)).reset_index(drop=True)
    return points, hotspots(points, options.hotspot_cell_m, options.hotspots), timeline(
        points, since, at)
