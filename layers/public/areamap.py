"""The optional area map of an update: districts or divisions shaded by a released figure.

Areas only, never points: the map is drawn from the district boundaries (projected to British
National Grid, so shapes are true), dissolved into divisions unless the release allows
districts. Each area is labelled with its released value ("fewer than 5" areas are grey), so the
map shows nothing the approved text does not.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import shapely

from geodata.crs import to_bng_gdf
from geodata.force import DISTRICT_BY_CODE
from layers.public.cards import SQUARE_CARD, Canvas, Rendered
from layers.public.release import DIVISION, Release
from layers.public.wording import HASHTAGS, map_legend, map_title

logger = logging.getLogger(__name__)

BACKGROUND = (244, 247, 250)
INK = (11, 37, 69)
SMALL = (200, 200, 200)
SHADES = ((178, 223, 219), (77, 182, 172), (0, 121, 107))
SIMPLIFY_M = 150.0


def _areas(boundaries: gpd.GeoDataFrame, level: str) -> gpd.GeoDataFrame:
    """Area polygons in BNG metres: the districts, or dissolved into their divisions.

    Names and divisions come from the force's district table by code, never from the file.
    """
    bng = to_bng_gdf(boundaries[["code", "geometry"]])
    known = bng["code"].isin(DISTRICT_BY_CODE.keys())
    bng = bng.loc[known].assign(
        name=lambda f: [DISTRICT_BY_CODE[c].name for c in f["code"]],
        division=lambda f: [DISTRICT_BY_CODE[c].division for c in f["code"]],
    )
    if level == DIVISION:
        bng = bng.dissolve(by="division", as_index=False).assign(area=lambda f: f["division"])
    else:
        bng = bng.assign(area=bng["name"])
    return bng.assign(geometry=bng.geometry.simplify(SIMPLIFY_M))[["area", "geometry"]]


def shade_for(values: dict[str, str]) -> dict[str, tuple[int, int, int]]:
    """A colour per area: grey for "fewer than k", else one of three shades by rank."""
    numbers = {
        name: int(text.replace(",", "")) for name, text in values.items()
        if text.replace(",", "").isdigit()
    }
    ranked = sorted(set(numbers.values()))
    shades: dict[str, tuple[int, int, int]] = {name: SMALL for name in values}
    for name, number in numbers.items():
        step = ranked.index(number) * len(SHADES) // max(1, len(ranked))
        shades[name] = SHADES[min(step, len(SHADES) - 1)]
    return shades


def _rings(geometry: shapely.Geometry) -> list[tuple[np.ndarray, bool]]:
    """Exterior and interior rings of a (multi)polygon, flagged ``True`` for holes."""
    rings: list[tuple[np.ndarray, bool]] = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        rings.append((np.asarray(polygon.exterior.coords), False))
        rings += [(np.asarray(r.coords), True) for r in polygon.interiors]
    return rings


def render_map(boundaries: gpd.GeoDataFrame, release: Release) -> Rendered:
    """The area map (1080x1080) of ``release``; refused for a release without one."""
    if release.map_level is None:
        raise ValueError("this update has no area map (force-wide updates have none)")
    values = dict(release.map_values)
    areas = _areas(boundaries, release.map_level)
    canvas = Canvas(SQUARE_CARD, background=BACKGROUND)
    width, height = SQUARE_CARD
    y = canvas.text((50, 36), map_title(release), 38, width - 100, INK, 2, bold=True)
    left, top, right, bottom = 50, y + 20, width - 50, height - 150
    minx, miny, maxx, maxy = areas.total_bounds
    scale = min((right - left) / (maxx - minx), (bottom - top) / (maxy - miny))
    offset_x = left + ((right - left) - (maxx - minx) * scale) / 2

    def pixels(coords: np.ndarray) -> list[tuple[float, float]]:
        xs = offset_x + (coords[:, 0] - minx) * scale
        ys = bottom - (coords[:, 1] - miny) * scale
        return list(zip(xs.tolist(), ys.tolist(), strict=True))

    shades = shade_for(values)
    for area, geometry in zip(areas["area"], areas.geometry, strict=True):
        for ring, hole in _rings(geometry):
            fill = BACKGROUND if hole else shades.get(area, SMALL)
            canvas.draw.polygon(pixels(ring), fill=fill, outline=INK, width=2)
    for area, geometry in zip(areas["area"], areas.geometry, strict=True):
        point = geometry.representative_point()
        px, py = pixels(np.array([[point.x, point.y]]))[0]
        label = f"{area}: {values.get(area, '')}"
        canvas.text((int(px) - 90, int(py) - 14), label, 20, 180, INK, 2, anchor_centre=True)
    y = canvas.text((50, height - 130), map_legend(release), 22, width - 100, INK, 2)
    canvas.text((50, y + 8), HASHTAGS, 26, width - 100, INK, 1, bold=True)
    return canvas.png()
