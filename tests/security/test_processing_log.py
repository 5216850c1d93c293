"""The lawful-processing log: entries for each kind of processing, append-only on both backends."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from dashboard.access import Principal
from layers.audit import processing_log
from layers.audit.processing_log import ACTIONS, LogFilter, ProcessingLog
from layers.services import Services


def test_sec060_one_entry_per_kind_of_processing(services: Services) -> None:
    with services.db.write(bump=False) as session:
        for i, action in enumerate(ACTIONS):
            processing_log.record(
                session, "analyst-1", action, f"{action} test", records=[i, i + 100],
                justification="Op test" if action == processing_log.DISCLOSURE else None,
            )
        processing_log.record(session, Principal("cmdr", "commander"),
                              processing_log.CONSULTATION, "viewed one", records=7)
    with services.db.read() as session:
        rows = processing_log.entries(session)
        assert {r.action for r in rows} == set(ACTIONS)
        assert len(rows) == len(ACTIONS) + 1
        newest = rows[0]
        assert (newest.username, newest.records, newest.record_count) == ("cmdr", [7], 1)
        assert newest.at is not None
        disclosure = processing_log.entries(session, LogFilter(action="disclosure"))
        assert disclosure[0].justification == "Op test"
        assert [r.id for r in processing_log.entries(session, LogFilter(record_id=102))] == [
            rows[-3].id
        ]
        assert processing_log.entries(session, LogFilter(username="nobody")) == []
        assert len(processing_log.entries(session, LogFilter(text="test"))) == len(ACTIONS)


def test_sec061_entry_rolls_back_with_its_change(services: Services) -> None:
    with pytest.raises(RuntimeError), services.db.write() as session:
        processing_log.record(session, "u", processing_log.ALTERATION, "doomed")
        raise RuntimeError("the change failed")
    with services.db.read() as session:
        assert processing_log.entries(session) == []


def test_sec062_unknown_action_refused(services: Services) -> None:
    with pytest.raises(ValueError), services.db.write() as session:
        processing_log.record(session, "u", "peeking", "nope")


@pytest.mark.parametrize(
    "statement",
    [
        update(ProcessingLog).values(detail="rewritten"),
        delete(ProcessingLog),
    ],
    ids=["update", "delete"],
)
def test_sec063_log_refuses_update_and_delete(services: Services, statement) -> None:
    with services.db.write(bump=False) as session:
        processing_log.record(session, "u", processing_log.CONSULTATION, "original", records=1)
    with pytest.raises(DBAPIError, match="append-only"), services.db.write() as session:
        session.execute(statement)
    with pytest.raises(DBAPIError, match="append-only"), services.db.write() as session:
        session.execute(text("UPDATE processing_log SET username = 'someone else'"))
    with services.db.read() as session:
        rows = list(session.scalars(select(ProcessingLog)))
        assert [(r.detail, r.username) for r in rows] == [("original", "u")]


def test_sec064_csv_export_neutralises_formulas(services: Services) -> None:
    with services.db.write(bump=False) as session:
        processing_log.record(session, "u", processing_log.DISCLOSURE, "=HYPERLINK(\"x\")",
                              records=[1, 2, 3], justification="+risk")
    with services.db.read() as session:
        body = processing_log.to_csv(processing_log.entries(session))
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == list(processing_log.CSV_COLUMNS)
    assert rows[1][4].startswith("'=")
    assert rows[1][7] == "'+risk"
    assert rows[1][6] == "1 2 3"
    assert rows[1][1].endswith("+00:00")


ROW = "'2026-01-01 00:00:00', 'intruder', 'consultation', 'rewritten', '[]', 0"


@pytest.mark.parametrize(
    "sqlite_sql",
    [
        f"INSERT OR REPLACE INTO processing_log "
        f"(id, at, username, action, detail, record_ids, record_count) VALUES (1, {ROW})",
        f"REPLACE INTO processing_log "
        f"(id, at, username, action, detail, record_ids, record_count) VALUES (1, {ROW})",
        f"INSERT INTO processing_log "
        f"(id, at, username, action, detail, record_ids, record_count) VALUES (1, {ROW}) "
        "ON CONFLICT (id) DO UPDATE SET detail = excluded.detail",
    ],
    ids=["insert-or-replace", "replace-into", "upsert"],
)
def test_sec065_log_row_cannot_be_replaced_by_direct_sql(
    services: Services, sqlite_sql: str
) -> None:
    """Issue 10 item 12: REPLACE deletes without firing the DELETE trigger; it is refused too."""
    with services.db.write(bump=False) as session:
        processing_log.record(session, "u", processing_log.CONSULTATION, "original", records=1)
        first = session.scalar(select(ProcessingLog.id))
    sql = sqlite_sql.replace("VALUES (1,", f"VALUES ({first},")
    if services.db.dialect == "postgresql":  # no REPLACE: a plain insert and an upsert
        sql = sql.replace("INSERT OR REPLACE", "INSERT").replace("REPLACE INTO", "INSERT INTO")
    with pytest.raises(DBAPIError), services.db.write(bump=False) as session:
        session.execute(text(sql))
    with services.db.read() as session:
        rows = list(session.scalars(select(ProcessingLog)))
        assert [(r.id, r.detail, r.username) for r in rows] == [(first, "original", "u")]
    with services.db.write(bump=False) as session:  # a new entry is still accepted
        processing_log.record(session, "u", processing_log.CONSULTATION, "second", records=2)
