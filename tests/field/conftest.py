"""Field test helpers: two teams, today's stops for each, and a clock the test moves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from layers.accounts import create_user
from layers.core.clock import LONDON
from layers.field.clock import ManualClock
from layers.field.links import link_user
from layers.planning.assignments import assign
from layers.services import Services
from tests.planning.conftest import add_premises, add_team

DAY = dt.date(2026, 12, 2)
TEN_AM = dt.datetime(2026, 12, 2, 10, 0, tzinfo=LONDON).astimezone(dt.UTC)


@dataclass
class FieldDay:
    """What the field tests act on."""

    clock: ManualClock
    alpha: int
    bravo: int
    alpha_stops: list[int]
    bravo_stops: list[int]
    tomorrow: int


def plan_day(services: Services, day: dt.date, clock: ManualClock) -> FieldDay:
    """Alpha gets three stops today and one tomorrow; Bravo one today; users alpha1, bravo1."""
    services.clock = clock
    alpha, bravo = add_team(services, "ALPHA1"), add_team(services, "BRAVO1", "chorley")
    ids = add_premises(services, "preston", 5)
    with services.db.write() as session:
        for position, location_id in enumerate(ids[:3]):
            assign(session, location_id, 1, alpha, day, "commander-a", position,
                         safety_note=f"Dog at stop {position + 1}")
        assign(session, ids[3], 1, bravo, day, "commander-a")
        assign(session, ids[4], 1, alpha, day + dt.timedelta(days=1), "commander-a")
        for name, sign in (("alpha1", "ALPHA1"), ("bravo1", "BRAVO1")):
            create_user(session, name, "team", "a-long-test-password-1")
            link_user(session, name, sign, "admin-a")
    return FieldDay(clock, alpha, bravo, ids[:3], [ids[3]], ids[4])


@pytest.fixture
def field_day(services: Services) -> FieldDay:
    """A planned day on either backend with the clock at 10:00 London on :data:`DAY`."""
    return plan_day(services, DAY, ManualClock(TEN_AM))
