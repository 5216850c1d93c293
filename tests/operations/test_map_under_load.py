"""What the load test found on the operations map: polls re-sent every layer after any write."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import delete

import layers.core.frame as frame_module
from dashboard.pages.operations.figures import layer_fingerprint, local_time
from dashboard.pages.operations.view import plan_layer
from layers.core.frame import read_frame, refreshed_frame
from layers.core.models import Location
from layers.core.queries import Filters, current_frame, filter_mask
from layers.core.status import PLANNED
from layers.planning.status_changes import set_status
from tests.foundation.conftest import BLACKPOOL, PRESTON
from tests.foundation.conftest import add_locations as add_locations  # the fixture


def _prints(services):
    revision, frame = current_frame(services.db)
    mask = filter_mask(frame, Filters())
    return {
        kind: layer_fingerprint(
            frame, plan_layer(frame, mask, kind, None, 60_000), False, revision
        )
        for kind in ("premises", "adverts")
    }


def test_ops050_a_status_change_re_sends_only_its_own_layer(services, add_locations):
    (premises,) = add_locations("premises", [PRESTON])
    add_locations("adverts", [BLACKPOOL, PRESTON], site="s")
    before = _prints(services)
    with services.db.write():
        pass  # a write that changes no advert: the revision moves, the adverts layer does not
    moved = _prints(services)
    assert moved["adverts"] == before["adverts"]
    assert moved["premises"] != before["premises"], "a premises' hover depends on other rows"
    with services.db.write() as session:
        set_status(session, premises, PLANNED, 1, "commander")
    after = _prints(services)
    assert after["adverts"] == before["adverts"]
    assert after["premises"] != before["premises"]


def test_ops051_hover_times_are_london_wall_clock():
    times = pd.Series(pd.to_datetime(
        ["2026-07-01T12:00:00Z", "2026-12-01T12:00:00Z", None], utc=True))
    assert local_time(times).tolist() == ["Wed 01 Jul 13:00", "Tue 01 Dec 12:00", ""]
    assert np.all(local_time(times.iloc[:0]).to_numpy() == np.array([], dtype=object))


def _counted_refresh(session, base, monkeypatch) -> tuple[pd.DataFrame, list[int]]:
    """Refresh ``base``, noting how many rows each read of the store asked for (-1: all)."""
    rows_read: list[int] = []
    real_read = frame_module.read_frame

    def counting(session, ids=None):
        rows_read.append(-1 if ids is None else len(ids))
        return real_read(session, ids)

    with monkeypatch.context() as patched:
        patched.setattr(frame_module, "read_frame", counting)
        return refreshed_frame(session, base), rows_read


def test_ops052_a_refreshed_frame_equals_a_full_read(services, add_locations, monkeypatch):
    premises = add_locations("premises", [PRESTON, BLACKPOOL], risk="high")
    spread = [(PRESTON[0] + i / 1000, PRESTON[1]) for i in range(20)]
    adverts = add_locations("adverts", spread, site="s")
    with services.db.read() as session:
        base = read_frame(session)
    with services.db.write() as session:
        set_status(session, premises[0], PLANNED, 1, "commander")
        session.execute(delete(Location).where(Location.id == adverts[1]))
    add_locations("tipoffs", [PRESTON], channel="phone")
    with services.db.read() as session:
        refreshed, rows_read = _counted_refresh(session, base, monkeypatch)
        assert rows_read == [2], "only the changed premises and the new tip-off are read"
        pd.testing.assert_frame_equal(refreshed, read_frame(session))
        # Everything changed at once: the whole frame is read again, with the same result.
        pd.testing.assert_frame_equal(refreshed_frame(session, base.iloc[:0]),
                                      read_frame(session))


def test_ops058_a_status_change_patches_the_frame_in_place(services, add_locations, monkeypatch):
    """No row added or removed: the one changed row is read and written over, and the result
    (values, dtypes and categories) is exactly what a full read gives."""
    premises = add_locations("premises", [PRESTON, BLACKPOOL], risk="high")
    add_locations("adverts", [(PRESTON[0] + i / 1000, PRESTON[1]) for i in range(5)], site="s")
    with services.db.read() as session:
        base = read_frame(session)
    with services.db.write() as session:
        set_status(session, premises[1], PLANNED, 1, "commander")
    with services.db.read() as session:
        refreshed, rows_read = _counted_refresh(session, base, monkeypatch)
        assert rows_read == [1]
        pd.testing.assert_frame_equal(refreshed, read_frame(session))
    assert base.loc[base["id"] == premises[1], "status"].item() == "unplanned"  # base untouched


def test_ops053_each_revision_gets_the_current_frame(services, add_locations):
    (premises,) = add_locations("premises", [PRESTON])
    first_revision, first = current_frame(services.db)
    with services.db.write() as session:
        set_status(session, premises, PLANNED, 1, "commander")
    revision, frame = current_frame(services.db)
    assert revision > first_revision
    assert frame.loc[frame["id"] == premises, "status"].item() == PLANNED
    assert first.loc[first["id"] == premises, "status"].item() == "unplanned"
