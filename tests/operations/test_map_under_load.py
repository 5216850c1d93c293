"""What the load test found on the operations map: polls re-sent every layer after any write."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.pages.operations.figures import layer_fingerprint, local_time
from dashboard.pages.operations.view import plan_layer
from layers.core.queries import Filters, current_frame, filter_mask
from layers.core.status import PLANNED
from layers.planning import store
from tests.foundation.conftest import BLACKPOOL, PRESTON
from tests.foundation.conftest import add_locations as add_locations  # the fixture


def _prints(services):
    _rev, frame = current_frame(services.db)
    mask = filter_mask(frame, Filters())
    return {
        kind: layer_fingerprint(frame, plan_layer(frame, mask, kind, None, 60_000), False)
        for kind in ("premises", "adverts")
    }


def test_ops050_a_status_change_re_sends_only_its_own_layer(services, add_locations):
    (premises,) = add_locations("premises", [PRESTON])
    add_locations("adverts", [BLACKPOOL, PRESTON], site="s")
    before = _prints(services)
    with services.db.write():
        pass  # a write that changes nothing drawn: the revision moves, the layers do not
    assert _prints(services) == before
    with services.db.write() as session:
        store.set_status(session, premises, PLANNED, 1, "commander")
    after = _prints(services)
    assert after["adverts"] == before["adverts"]
    assert after["premises"] != before["premises"]


def test_ops051_hover_times_are_london_wall_clock():
    times = pd.Series(pd.to_datetime(
        ["2026-07-01T12:00:00Z", "2026-12-01T12:00:00Z", None], utc=True))
    assert local_time(times).tolist() == ["Wed 01 Jul 13:00", "Tue 01 Dec 12:00", ""]
    assert np.all(local_time(times.iloc[:0]).to_numpy() == np.array([], dtype=object))
