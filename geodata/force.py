"""The force's geography as facts: its 14 districts, the division policing each, and the one
error type boundary problems raise.

These are facts about Lancashire Constabulary, not something a boundary file can know: a file
supplies shapes and codes, this module says which codes must be there and where they belong.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class District:
    """A local authority district policed by the force, and the division that polices it."""

    code: str
    name: str
    division: str


DIVISIONS: tuple[str, ...] = ("West", "South", "East")
OUTSIDE = "outside"

DISTRICTS: tuple[District, ...] = (
    District("E06000008", "Blackburn with Darwen", "East"),
    District("E06000009", "Blackpool", "West"),
    District("E07000117", "Burnley", "East"),
    District("E07000118", "Chorley", "South"),
    District("E07000119", "Fylde", "West"),
    District("E07000120", "Hyndburn", "East"),
    District("E07000121", "Lancaster", "West"),
    District("E07000122", "Pendle", "East"),
    District("E07000123", "Preston", "South"),
    District("E07000124", "Ribble Valley", "East"),
    District("E07000125", "Rossendale", "East"),
    District("E07000126", "South Ribble", "South"),
    District("E07000127", "West Lancashire", "South"),
    District("E07000128", "Wyre", "West"),
)
DISTRICT_BY_CODE: dict[str, District] = {d.code: d for d in DISTRICTS}

HINT = (
    "Set OPSMAP_BOUNDARIES to a GeoJSON/GeoPackage of the 14 Lancashire districts "
    "(e.g. ../shared/geodata/lancashire_districts.geojson) or allow a download from the ONS."
)


class BoundaryError(Exception):
    """Boundaries are missing or unusable; the message says what is wrong and what to do."""
