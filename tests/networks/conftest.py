"""Hand-made adverts for the linking tests: texts, phones and photos chosen per case."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from geodata.crs import to_wgs84
from layers.core.models import Location
from layers.imports import import_file
from layers.jobs.runner import run_pending
from layers.networks.adverts import prepare_adverts
from layers.networks.evidence import AdvertInputs
from layers.networks.models import NetworkMember
from layers.networks.synthetic import synthetic_week
from layers.services import Services

KEY = "test-phone-key"


def _hash(photo: int) -> str:
    return f"{photo:016x}"


@pytest.fixture
def adverts() -> Callable[..., AdvertInputs]:
    """``adverts(rows)`` with rows of (text, phone, photos) -> linker inputs."""

    def build(rows: list[tuple[str, str, list[int]]]) -> AdvertInputs:
        frame = pd.DataFrame(
            {
                "text": [r[0] for r in rows],
                "phone": [r[1] for r in rows],
                "image_hashes": [";".join(_hash(p) for p in r[2]) for r in rows],
            }
        )
        return prepare_adverts(frame, KEY).inputs

    return build


def words(tag: str, n: int = 14) -> str:
    """A run of words no other network uses (a writer's own wording)."""
    return " ".join(f"{tag}{k}" for k in range(n))


def advert_export(n: int, seed: int) -> tuple[bytes, pd.DataFrame, np.ndarray]:
    """A labelled synthetic week as a scraped-advert export (lat/lon, posted, body ...)."""
    week = synthetic_week(n, seed)
    frame = week.adverts
    lon, lat = to_wgs84(frame["easting"].to_numpy(), frame["northing"].to_numpy())
    export = pd.DataFrame(
        {
            "site": frame["site"],
            "advert_id": frame["ref"],
            "title": frame["title"],
            "body": frame["text"],
            "phone": frame["phone"],
            "image_hashes": frame["image_hashes"],
            "posted": frame["observed_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "latitude": lat.round(6),
            "longitude": lon.round(6),
        }
    )
    return export.to_csv(index=False).encode(), frame, week.network


def import_and_link(services: Services, n: int = 400, seed: int = 5) -> pd.DataFrame:
    """Import a synthetic week of ``n`` adverts, run the queued rebuild; the export's frame."""
    data, frame, truth = advert_export(n, seed)
    result = import_file(services, data, "adverts.csv", "adverts", "analyst1", dry_run=False)
    assert result.report.accepted == n, result.report.as_dict()
    run_pending(services)
    return frame.assign(truth=truth)


def members(services: Services) -> pd.DataFrame:
    """Stored members: advert ``location_id``, ``ref`` and ``network_id``."""
    with services.db.read() as session:
        rows = session.execute(
            select(Location.id, Location.ref, NetworkMember.network_id).join(
                NetworkMember, NetworkMember.location_id == Location.id
            )
        ).all()
    return pd.DataFrame(rows, columns=["location_id", "ref", "network_id"])


@pytest.fixture
def linked_app(app):
    """The app with an imported, linked synthetic week; the export frame."""
    svc: Services = app.extensions["opsmap"]
    data, frame, _ = advert_export(400, 5)
    result = import_file(svc, data, "adverts.csv", "adverts", "analyst1", dry_run=False)
    assert result.report.accepted == 400
    run_pending(svc)
    return app, frame
