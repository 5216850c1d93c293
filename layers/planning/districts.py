"""District names for everything a person reads: grids, the board, panels and run sheets.

Locations store the district's GSS code (``E07000123``), which is what joins and exports need;
people know districts by name (Preston). The names come from the loaded boundaries, so they are
the ones the map draws.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from geodata.districts import OUTSIDE_NAME
from geodata.force import OUTSIDE


def district_names(boundaries: pd.DataFrame) -> dict[str, str]:
    """GSS code -> district name, plus the force-area outside."""
    names = {str(c): str(n) for c, n in zip(boundaries["code"], boundaries["name"], strict=True)}
    names[OUTSIDE] = OUTSIDE_NAME
    return names


def name_districts(codes: pd.Series, names: dict[str, str]) -> pd.Series:
    """Each code's district name (an unknown code is shown as it is, never dropped)."""
    plain = codes.astype("object")
    return plain.map(names).fillna(plain).fillna("")


def with_district_names(rows: list[dict[str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    """Records (e.g. the board's rows by district) with a ``district`` name beside the code."""
    return [
        {**r, "district": names.get(str(r.get("district_code")), r.get("district_code"))}
        for r in rows
    ]
