"""From an import to networks, alerts and links; decisions surviving rebuilds (both backends)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from sqlalchemy import func, select

from layers.audit.processing_log import ALTERATION, COMBINATION, ProcessingLog
from layers.core.models import Location
from layers.imports import import_file
from layers.jobs.models import DONE, Job
from layers.jobs.runner import run_pending
from layers.networks.models import CONFIRMED, DISMISSED, Network, NetworkAlert, NetworkLink
from layers.networks.rebuild import rebuild_networks
from layers.networks.review import decide, history
from layers.networks.scoring import pairwise
from tests.networks.conftest import advert_export, import_and_link, members

pytestmark = pytest.mark.slow


def test_net060_an_advert_import_queues_a_rebuild_that_finds_networks_and_alerts(services):
    data, frame, truth = advert_export(600, 5)
    result = import_file(services, data, "adverts.csv", "adverts", "analyst1", dry_run=False)
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
        alerts = session.scalar(select(func.count()).select_from(NetworkAlert))
        networks = session.scalar(select(func.count()).select_from(Network))
        logged = session.scalars(
            select(ProcessingLog).where(ProcessingLog.action == COMBINATION)
        ).all()
    assert job.state == DONE and job.progress == 100 and job.created_by == "analyst1"
    assert networks > 20 and alerts > 0 and len(logged) == 1
    stored_members = members(services)
    by_ref = dict(zip(stored_members["ref"], stored_members["network_id"], strict=True))
    predicted = np.array([by_ref.get(ref, -1 - i) for i, ref in enumerate(frame["ref"])])
    score = pairwise(truth, predicted)
    assert score.precision >= 0.95 and score.recall >= 0.9


def _biggest(services, k: int) -> list[int]:
    with services.db.read() as session:
        return list(
            session.scalars(
                select(Network.id).where(Network.state == "active").order_by(Network.size.desc())
            ).all()[:k]
        )


def test_net061_decisions_survive_rebuilds_with_history_and_log(services):
    import_and_link(services)
    a, b, c, d, e = _biggest(services, 5)
    before = members(services)
    split_off = sorted(before.loc[before["network_id"] == b, "location_id"])[:2]
    with services.db.write() as session:
        decide(session, a, "confirm", "analyst1", "same photos throughout")
        decide(session, d, "dismiss", "analyst1", "legitimate agency")
        decide(session, b, "split", "analyst2", "two women, two controllers", adverts=split_off)
        decide(session, c, "merge", "analyst2", "same template", other=e)
    assert len(run_pending(services)) == 1  # split and merge queued one rebuild
    for _ in range(2):  # ... and every later rebuild applies them again
        after = members(services)
        group = after.set_index("location_id")["network_id"]
        a_members = before.loc[before["network_id"] == a, "location_id"]
        assert group[a_members].nunique() == 1
        rest_of_b = before.loc[(before["network_id"] == b) & ~before["location_id"].isin(split_off)]
        assert group[split_off].nunique() == 1
        assert group[split_off].iloc[0] != group[rest_of_b["location_id"]].iloc[0]
        merged = before.loc[before["network_id"].isin([c, e]), "location_id"]
        assert group[merged].nunique() == 1
        with services.db.read() as session:
            review = dict(session.execute(select(Network.id, Network.review)).all())
        assert review[group[a_members].iloc[0]] == CONFIRMED
        d_members = before.loc[before["network_id"] == d, "location_id"]
        assert review[group[d_members].iloc[0]] == DISMISSED
        rebuild_networks(services.db, "analyst1")
    group = members(services).set_index("location_id")["network_id"]
    with services.db.read() as session:
        logged = session.scalars(
            select(ProcessingLog.detail).where(ProcessingLog.action == ALTERATION)
        ).all()
        said = history(session, int(group[merged].iloc[0]))
    assert len(logged) == 4 and any("merge" in line for line in logged)
    assert [h["action"] for h in said] == ["merge"] and said[0]["by"] == "analyst2"
    assert group[a_members].iloc[0] == a  # a network found again keeps its number


def test_net062_tipoffs_sharing_a_phone_link_to_networks_and_their_premises(services):
    frame = import_and_link(services, 300, 9)
    number = frame.loc[frame["phone"] != "", "phone"].iloc[0]
    tips = (
        "ref,received,channel,summary,latitude,longitude\n"
        f"T-1,2026-12-01T10:00:00Z,online,caller gave {number} from an advert,53.76,-2.70\n"
        "T-2,2026-12-01T11:00:00Z,online,nothing to link,53.76,-2.70\n"
    )
    result = import_file(services, tips.encode(), "t.csv", "tipoffs", "analyst1", dry_run=False)
    assert result.report.accepted == 2, result.report.as_dict()
    run_pending(services)
    with services.db.read() as session:
        linked = session.execute(
            select(Location.ref, NetworkLink.reason)
            .join(NetworkLink, NetworkLink.location_id == Location.id)
            .where(NetworkLink.kind == "tipoff")
        ).all()
    assert [ref for ref, _ in linked] == ["T-1"]
    assert re.fullmatch(r"shares a phone ending \d{3}", linked[0][1])
