"""From an import to networks, alerts and links, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select

from geodata.crs import to_wgs84
from layers.audit.processing_log import COMBINATION, ProcessingLog
from layers.core.models import Location
from layers.imports import import_file
from layers.jobs.models import DONE, Job
from layers.jobs.runner import run_pending
from layers.networks.models import Network, NetworkAlert, NetworkMember
from layers.networks.scoring import pairwise
from layers.networks.synthetic import synthetic_week

pytestmark = pytest.mark.slow


def advert_csv(n: int, seed: int) -> tuple[bytes, pd.DataFrame, np.ndarray]:
    """A labelled synthetic week as a scraped-advert export (lat/lon, posted, text ...)."""
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


def _members(session) -> pd.DataFrame:
    rows = session.execute(
        select(Location.ref, NetworkMember.network_id).join(
            NetworkMember, NetworkMember.location_id == Location.id
        )
    ).all()
    return pd.DataFrame(rows, columns=["ref", "network_id"])


def test_net060_an_advert_import_queues_a_rebuild_that_finds_networks_and_alerts(services):
    data, frame, truth = advert_csv(600, 5)
    result = import_file(
        services, io.BytesIO(data), "adverts.csv", "adverts", "analyst1", dry_run=False
    )
    assert result.report.accepted == 600, result.report.as_dict()
    with services.db.read() as session:
        assert [j.kind for j in session.scalars(select(Job))] == ["networks.rebuild"]
        assert session.scalar(select(func.count()).select_from(Network)) == 0
        stored = session.scalars(select(Location.text).where(Location.text.is_not(None))).all()
    assert sum("[phone]" in t for t in stored) > 200
    assert not any(re.search(r"(\d[\s.\-]?){9}|double oh|O7", t) for t in stored)
    assert len(run_pending(services)) == 1
    with services.db.read() as session:
        job = session.scalars(select(Job)).one()
        members = _members(session)
        alerts = session.scalar(select(func.count()).select_from(NetworkAlert))
        networks = session.scalar(select(func.count()).select_from(Network))
        logged = session.scalars(
            select(ProcessingLog).where(ProcessingLog.action == COMBINATION)
        ).all()
    assert job.state == DONE and job.progress == 100 and job.created_by == "analyst1"
    assert networks > 20 and alerts > 0 and len(logged) == 1
    by_ref = dict(zip(members["ref"], members["network_id"], strict=True))
    predicted = np.array([by_ref.get(ref, -1 - i) for i, ref in enumerate(frame["ref"])])
    score = pairwise(truth, predicted)
    assert score.precision >= 0.95 and score.recall >= 0.9
