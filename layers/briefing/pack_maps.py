"""The briefing pack's four maps, as plain data for the pack's script (``pack.js``) to draw.

Maps are Leaflet, not plotly: a plotly (MapLibre) map saved as HTML is blank from ``file://``.
Each map is a dict of district outlines (GeoJSON, optionally shaded) and marker layers; no code
is written per pack, so nothing read from the store can become code. Planned and outstanding
premises are markers; the many tip-offs and adverts are counted in grid squares, which keeps the
file small and fast to build.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.crs import to_wgs84
from layers.briefing import charts
from layers.briefing.model import Briefing
from layers.briefing.outstanding import describe

TEAM_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#D55E00", "#0072B2", "#000000",
                "#999999")
KIND_COLOURS = {"tipoffs": "#0072B2", "adverts": "#CC79A7"}
MapSpec = dict[str, Any]


def district_geojson(
    boundaries: gpd.GeoDataFrame, values: dict[str, float | None] | None = None
) -> dict[str, Any]:
    """Simplified district outlines; each feature's ``tip`` names it (and its share done) and
    ``fill`` shades it by ``values`` (per cent), ``None`` where unshaded."""
    geoms = shapely.simplify(boundaries.geometry.to_numpy(), 0.001, preserve_topology=True)
    features = []
    for row, geom in zip(boundaries.itertuples(), geoms, strict=True):
        tip, fill = str(row.name), None
        if values is not None:
            value = values.get(str(row.code))
            tip += ": nothing planned" if value is None else f": {value:.0f}% done"
            fill = None if value is None else charts.cividis(value / 100.0)
        features.append({"type": "Feature", "properties": {"tip": tip, "fill": fill},
                         "geometry": shapely.geometry.mapping(geom)})
    return {"type": "FeatureCollection", "features": features}


def district_values(b: Briefing) -> dict[str, float | None]:
    """Share of planned premises done per district (``None`` where nothing is planned)."""
    return {
        str(code): (float(pct) if planned else None)
        for code, pct, planned in zip(b.by_district["district_code"], b.by_district["done_pct"],
                                      b.by_district["planned"], strict=True)
    }


def marker(lat: float, lon: float, tip: str, *, radius: float = 8.0, color: str = "#000000",
           fill: str | None = None, weight: float = 1.0, opacity: float = 0.95) -> dict[str, Any]:
    """One circle marker; ``tip`` is shown as text, never as HTML."""
    return {"lat": round(float(lat), 6), "lon": round(float(lon), 6), "tip": str(tip),
            "radius": round(float(radius), 1), "color": color, "fill": fill, "weight": weight,
            "fillOpacity": opacity}


def _map(districts: dict[str, Any], layers: list[dict[str, Any]], control: bool = False
         ) -> MapSpec:
    return {"districts": districts, "layers": layers, "control": control}


def plan_map(b: Briefing, outlines: dict[str, Any]) -> MapSpec:
    """Today's visits as markers, one colour and one switchable layer per team."""
    layers = []
    for i, (team, rows) in enumerate(b.plan.groupby("team", sort=True)):
        colour = TEAM_COLOURS[i % len(TEAM_COLOURS)]
        layers.append({"name": str(team), "markers": [
            marker(row.lat, row.lon, f"{team} #{row.order}: {row.district}, {row.risk} risk",
                   fill=colour)
            for row in rows.itertuples()
        ]})
    return _map(outlines, layers, control=True)


def intel_cells(points: pd.DataFrame, cell_m: float) -> pd.DataFrame:
    """New points counted per grid square of ``cell_m`` metres, placed at the square's centre."""
    ix = np.floor(points["easting"].to_numpy() / cell_m).astype(np.int64)
    iy = np.floor(points["northing"].to_numpy() / cell_m).astype(np.int64)
    cells = points.assign(cx=ix, cy=iy).groupby(["cx", "cy"]).agg(
        count=("kind", "size"), tipoffs=("kind", lambda k: int((k == "tipoffs").sum())),
    ).reset_index()
    lon, lat = to_wgs84((cells["cx"] + 0.5) * cell_m, (cells["cy"] + 0.5) * cell_m)
    return cells.assign(lon=lon, lat=lat)


def intel_map(b: Briefing, outlines: dict[str, Any], cell_m: float) -> MapSpec:
    """New tip-offs and adverts per square (circle area ~ count), hotspots ringed."""
    markers = []
    if len(b.new_intel):
        cells = intel_cells(b.new_intel, cell_m)
        top = max(int(cells["count"].max()), 1)
        for row in cells.itertuples():
            colour = KIND_COLOURS["tipoffs" if row.tipoffs * 2 >= row.count else "adverts"]
            markers.append(marker(row.lat, row.lon, f"{row.count} new ({row.tipoffs} tip-offs)",
                                  radius=4 + 16 * np.sqrt(row.count / top), color=colour,
                                  fill=colour, opacity=0.55))
    rings = [marker(row.lat, row.lon, f"Hotspot {row.cell}: {row.count} ({row.district})",
                    radius=24, color="#D55E00", weight=3) for row in b.hotspots.itertuples()]
    return _map(outlines, [{"name": None, "markers": markers},
                           {"name": None, "markers": rings}])


def outstanding_map(b: Briefing, outlines: dict[str, Any]) -> MapSpec:
    """High-priority premises still to visit."""
    statuses = b.outstanding.get("status", pd.Series("unplanned", index=b.outstanding.index))
    markers = [
        marker(row.lat, row.lon, tip, fill="#D55E00" if str(status) == "unplanned" else "#56B4E9")
        for row, tip, status in zip(b.outstanding.itertuples(), describe(b.outstanding),
                                    statuses, strict=True)
    ]
    return _map(outlines, [{"name": None, "markers": markers}])


def pack_maps(b: Briefing, boundaries: gpd.GeoDataFrame, cell_m: float) -> dict[str, MapSpec]:
    """Every map of the pack, by the key its ``<div data-map>`` names."""
    outlines = district_geojson(boundaries)
    return {
        "plan": plan_map(b, outlines),
        "districts": _map(district_geojson(boundaries, district_values(b)), []),
        "intel": intel_map(b, outlines, cell_m),
        "outstanding": outstanding_map(b, outlines),
    }
