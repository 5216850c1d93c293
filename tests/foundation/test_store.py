"""The store on real SQLite and real PostgreSQL: placement, statuses, history, conflicts."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from layers.core.locations import NotFound, VersionConflict, change_status
from layers.core.models import HistoryEntry, Location
from layers.core.queries import current_frame, district_summary, geojson, history
from layers.core.status import TransitionError
from layers.services import Services
from tests.foundation.conftest import BLACKPOOL, MANCHESTER, PRESTON


def test_fnd001_points_land_in_their_district_and_outside_is_kept(services, add_locations):
    ids = add_locations("premises", [PRESTON, BLACKPOOL, MANCHESTER], risk="high", ref="R1")
    with services.db.read() as session:
        rows = {r.id: r for r in session.scalars(select(Location).where(Location.id.in_(ids)))}
    assert [rows[i].district_code for i in ids] == ["E07000123", "E06000009", "outside"]
    assert [rows[i].division for i in ids] == ["South", "West", "outside"]
    assert all(r.status == "unplanned" and r.version == 1 for r in rows.values())
    # Metric coordinates in British National Grid: Preston centre is around (354000, 429000).
    assert 350_000 < rows[ids[0]].easting < 358_000
    assert 426_000 < rows[ids[0]].northing < 433_000


def test_fnd002_status_change_and_history_commit_together(services, add_locations):
    (loc_id,) = add_locations("premises", [PRESTON], risk="high", ref="R2")
    with services.db.write() as session:
        loc = change_status(session, loc_id, "planned", 1, "cmdr1", note="Team A on Tuesday")
    assert (loc.status, loc.version) == ("planned", 2)
    with services.db.read() as session:
        entries = history(session, loc_id)
    assert len(entries) == 1
    assert entries[0]["username"] == "cmdr1"
    assert (entries[0]["from_status"], entries[0]["to_status"]) == ("unplanned", "planned")
    assert entries[0]["note"] == "Team A on Tuesday"


def test_fnd003_stale_version_is_refused_and_names_the_colleague(services, add_locations):
    (loc_id,) = add_locations("premises", [PRESTON], risk="low", ref="R3")
    with services.db.write() as session:
        change_status(session, loc_id, "planned", 1, "alice", note="first")
    with pytest.raises(VersionConflict) as exc, services.db.write() as session:
        change_status(session, loc_id, "no_further_action", 1, "bob")
    assert exc.value.changed_by == "alice"
    assert "alice" in exc.value.message() and "Planned" in exc.value.message()
    with services.db.read() as session:
        loc = session.get(Location, loc_id)
        count = session.scalar(select(func.count()).select_from(HistoryEntry))
    assert (loc.status, loc.version, count) == ("planned", 2, 1)


def test_fnd004_failed_transition_changes_nothing(services, add_locations):
    (loc_id,) = add_locations("premises", [PRESTON], risk="low", ref="R4")
    with pytest.raises(TransitionError), services.db.write() as session:
        change_status(session, loc_id, "actioned", 1, "bob")
    with pytest.raises(NotFound), services.db.write() as session:
        change_status(session, 999_999, "planned", 1, "bob")
    with services.db.read() as session:
        assert session.get(Location, loc_id).version == 1
        assert session.scalar(select(func.count()).select_from(HistoryEntry)) == 0


def test_fnd005_two_sessions_same_version_exactly_one_wins(services: Services, add_locations):
    (loc_id,) = add_locations("premises", [PRESTON], risk="high", ref="R5")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def commander(name: str, status: str) -> None:
        barrier.wait()
        try:
            with services.db.write() as session:
                change_status(session, loc_id, status, 1, name)
            outcomes.append("ok")
        except VersionConflict:
            outcomes.append("conflict")

    threads = [
        threading.Thread(target=commander, args=("alice", "planned")),
        threading.Thread(target=commander, args=("bob", "no_further_action")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["conflict", "ok"]
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(HistoryEntry)) == 1
        assert session.get(Location, loc_id).version == 2


def test_fnd006_map_frame_follows_every_write(services, add_locations):
    (loc_id,) = add_locations("tipoffs", [PRESTON], channel="101")
    rev1, frame1 = current_frame(services.db)
    assert frame1.loc[frame1["id"] == loc_id, "status"].item() == "unplanned"
    with services.db.write() as session:
        change_status(session, loc_id, "planned", 1, "cmdr")
    rev2, frame2 = current_frame(services.db)
    assert rev2 > rev1
    assert frame2.loc[frame2["id"] == loc_id, "status"].item() == "planned"


def test_fnd007_summary_and_geojson_contract(services, add_locations):
    add_locations("premises", [PRESTON, PRESTON], risk="high", ref="R7")
    add_locations("adverts", [BLACKPOOL], site="s", ref="A1")
    add_locations("tipoffs", [MANCHESTER], channel="999")
    _rev, frame = current_frame(services.db)
    rows = district_summary(frame, services.boundaries[["code", "name", "division"]])
    by_code = {r["code"]: r for r in rows}
    assert len(rows) == 15  # 14 districts and "outside"
    assert by_code["E07000123"]["counts"] == {"premises": 2, "tipoffs": 0, "adverts": 0}
    assert by_code["E06000009"]["counts"]["adverts"] == 1
    assert by_code["outside"]["counts"]["tipoffs"] == 1
    assert by_code["E07000123"]["status"]["unplanned"] == 2
    with services.db.read() as session:
        fc = geojson(session, "premises", districts=("E07000123",))
    assert len(fc["features"]) == 2
    props = fc["features"][0]["properties"]
    assert {"id", "kind", "district_code", "status", "version"} <= set(props)
    assert fc["features"][0]["geometry"]["coordinates"] == pytest.approx(list(PRESTON))


def test_sto090_no_boundary_download_unless_an_administrator_configures_one(
    tmp_path, monkeypatch
) -> None:
    """Offline by default: with no file and no cache, nothing is fetched; the error says how."""
    import socket

    from config import Config
    from geodata.force import BoundaryError

    config = Config.from_env({
        "OPSMAP_INSTANCE": str(tmp_path / "instance"),
        "OPSMAP_CACHE_DIR": str(tmp_path / "empty-cache"),
        "OPSMAP_SECRET_KEY": "k" * 32,
        "OPSMAP_PHONE_KEY": "p" * 32,
    })
    opened: list[object] = []
    real = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", lambda s, a: opened.append(a) or real(s, a))
    with pytest.raises(BoundaryError, match="downloading is not allowed"):
        _ = Services(config).boundaries
    assert opened == []
