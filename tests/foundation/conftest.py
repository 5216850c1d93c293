"""Helpers for the foundation tests: small hand-made locations placed on real districts."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from layers.core.locations import insert_locations, place
from layers.core.models import Location
from layers.services import Services

PRESTON = (-2.7035, 53.7590)  # Preston city centre
BLACKPOOL = (-3.0500, 53.8170)
MANCHESTER = (-2.2400, 53.4800)  # outside the force area


@pytest.fixture
def add_locations(services: Services) -> Callable[..., list[int]]:
    """Insert locations of one kind at the given lon/lat points; returns their ids."""

    def _add(kind: str, points: list[tuple[float, float]], **columns: object) -> list[int]:
        frame = pd.DataFrame(
            {"kind": kind, "lon": [p[0] for p in points], "lat": [p[1] for p in points]}
        ).assign(source="test", created_by="tester", **columns)
        placed = place(frame, services.districts)
        with services.db.write() as session:
            insert_locations(session, placed)
        with services.db.read() as session:
            rows = session.query(Location.id).order_by(Location.id.desc()).limit(len(points)).all()
        return sorted(r.id for r in rows)

    return _add
