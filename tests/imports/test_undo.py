"""Issue 10 items 5 and 6: undo never destroys what others recorded; layer changes are logged.

Real imports, a real commander's status change and plan (through planning's own functions), a
real undo, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from layers.audit import processing_log
from layers.core.models import HistoryEntry, ImportBatch, Location
from layers.imports import (
    AlreadyUndone,
    ImportResult,
    Undoer,
    UndoNotPermitted,
    list_imports,
    undo_import,
)
from layers.maplayers.store import (
    LayerEdit,
    edit_layer,
    list_layers,
    merge_style,
    remove_layer,
)
from layers.planning.assignments import assign
from layers.planning.models import Assignment
from layers.planning.status_changes import set_status
from layers.planning.teams import TeamSpec, create_team
from layers.services import Services
from tests.imports.conftest import PRESTON, WARDS, stored

Run = Callable[..., ImportResult]

PREMISES = "ref,risk,lat,lon\n" + "".join(
    f"P{i},high,{PRESTON[1] + i / 1000:.5f},{PRESTON[0]:.5f}\n" for i in range(1, 6)
)


def _ids(services: Services, import_id: int) -> dict[str, int]:
    with services.db.read() as session:
        rows = session.execute(
            select(Location.ref, Location.id).where(Location.import_id == import_id)
        ).all()
    return {ref: lid for ref, lid in rows}


def _commander_acts(services: Services, ids: dict[str, int]) -> None:
    """cmdr closes P1's visit (three status steps) and plans P2 for a team."""
    with services.db.write() as session:
        for version, status in enumerate(("planned", "in_progress", "visited"), start=1):
            set_status(session, ids["P1"], status, version, "cmdr")
        set_status(
            session,
            ids["P1"],
            "actioned",
            4,
            "cmdr",
            outcome="actioned",
            results={"safeguarded": 2},
        )
        team = create_team(session, TeamSpec("Alpha 1", "West", PRESTON[0], PRESTON[1]), "cmdr")
        assign(session, ids["P2"], 1, team.id, dt.date(2026, 11, 24), "cmdr")


def _history(services: Services) -> int:
    with services.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(HistoryEntry)) or 0)


def test_und501_undo_keeps_what_a_commander_acted_on(run_import: Run, services: Services) -> None:
    report = run_import(PREMISES.encode(), "p.csv", "premises", dry_run=False).report
    ids = _ids(services, report.import_id)
    _commander_acts(services, ids)
    history = _history(services)
    assert history == 5  # four status entries for P1, one plan entry for P2

    outcome = undo_import(services.db, report.import_id, Undoer("ana"))

    assert outcome.removed == 3 and not outcome.complete
    kept = {k.ref: k for k in outcome.kept}
    assert set(kept) == {"P1", "P2"}
    assert any("actioned" in r for r in kept["P1"].reasons)
    assert any("cmdr" in r for r in kept["P1"].reasons)
    assert any(r.startswith("plan by cmdr") for r in kept["P2"].reasons)
    message = outcome.message()
    assert "3 records removed" in message and "P1" in message and "P2" in message
    assert _history(services) == history  # nothing of the commander's record is gone
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Assignment)) == 1
        assert set(_ids(services, report.import_id)) == {"P1", "P2"}
        batch = session.get(ImportBatch, report.import_id)
        assert batch is not None and batch.status == "partly undone"
        (entry,) = processing_log.entries(
            session, processing_log.LogFilter(action=processing_log.ERASURE)
        )
    assert entry.username == "ana" and entry.record_count == 3
    assert "3 records removed, 2 kept" in entry.detail
    assert sorted(entry.records) == sorted(ids[r] for r in ("P3", "P4", "P5"))
    (listed,) = [i for i in list_imports_for(services) if i.id == report.import_id]
    assert listed.rows_stored == 2 and listed.status == "partly undone"


def list_imports_for(services: Services) -> list:  # type: ignore[type-arg]
    with services.db.read() as session:
        return list_imports(session)


def test_und502_only_the_importer_or_an_admin_may_undo(run_import: Run, services: Services) -> None:
    report = run_import(PREMISES.encode(), "p.csv", "premises", dry_run=False).report
    with pytest.raises(UndoNotPermitted, match="only ana, who made import"):
        undo_import(services.db, report.import_id, Undoer("bob"))
    assert stored(services)["locations"] == 5
    assert undo_import(services.db, report.import_id, Undoer("root", admin=True)).removed == 5
    with pytest.raises(AlreadyUndone, match="already undone by root"):
        undo_import(services.db, report.import_id, Undoer("ana"))


def test_und503_history_is_never_cascaded_away(run_import: Run, services: Services) -> None:
    report = run_import(PREMISES.encode(), "p.csv", "premises", dry_run=False).report
    ids = _ids(services, report.import_id)
    _commander_acts(services, ids)
    with pytest.raises(IntegrityError), services.db.write() as session:
        session.execute(delete(Location).where(Location.id == ids["P1"]))
    assert _history(services) == 5


def test_und601_layer_rename_hide_remove_logged(run_import: Run, services: Services) -> None:
    run_import(WARDS, WARDS.name, "custom", name="Wards", dry_run=False)
    with services.db.write() as session:
        (layer,) = list_layers(session)
        edit_layer(
            session, layer.id, LayerEdit("Wards 2013", "#112233", 0.5, False), username="ana"
        )
    with services.db.write() as session:
        assert remove_layer(session, layer.id, username="ana") == 302
    with services.db.read() as session:
        log = processing_log.entries(session)
        batch = session.get(ImportBatch, layer.import_id)
    details = [(e.action, e.detail) for e in log if "custom layer" in e.detail]
    assert (
        "alteration",
        f"custom layer 'Wards 2013' (#{layer.id}): renamed from 'Wards'",
    ) in details
    assert any(a == "alteration" and "hidden from the map" in d for a, d in details)
    assert any(a == "alteration" and "#112233" in d for a, d in details)
    erasure = [e for e in log if e.action == "erasure"]
    assert len(erasure) == 1 and erasure[0].record_count == 302
    assert batch is not None and batch.status == "layer removed" and batch.undone_by == "ana"
    with pytest.raises(AlreadyUndone, match="already removed by ana"):
        undo_import(services.db, layer.import_id, Undoer("ana"))


def test_und602_failed_change_logs_nothing(run_import: Run, services: Services) -> None:
    run_import(WARDS, WARDS.name, "custom", name="Wards", dry_run=False)
    with services.db.read() as session:
        (layer,) = list_layers(session)
        before = len(processing_log.entries(session))
    with pytest.raises(ValueError), services.db.write() as session:
        edit_layer(session, layer.id, LayerEdit("Renamed", "red", 0.5, True), username="ana")
    with services.db.read() as session:
        assert len(processing_log.entries(session)) == before
        assert list_layers(session)[0].name == "Wards"  # the rename rolled back with it


def test_und603_merge_style() -> None:
    filled = {"colour": "#7b3294", "fill": "#7b3294", "symbol": "circle", "opacity": 0.35}
    assert merge_style(filled, "#112233", 0.2) == {
        "colour": "#112233",
        "fill": "#112233",
        "symbol": "circle",
        "opacity": 0.2,
    }
    lines = {"colour": "#7b3294", "fill": None, "symbol": "circle", "opacity": 0.8}
    assert merge_style(lines, None, None) == lines
    assert merge_style(lines, " #abcdef ", None)["fill"] is None
