"""Today's plan for the briefing: the day's assignments, by team and order.

Only what the planning page has assigned to the day is the plan. Premises in status "planned"
without an assignment for the day are not: they may be another day's stops, and counting them
once briefed a room on 21 visits when none were planned. An empty plan says so.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from layers.briefing.redaction import redact_frame

PLAN_COLUMNS = ["team", "order", "id", "lon", "lat", "easting", "northing", "district",
                "district_code", "risk"]
"""Team, order, district and risk (plus the redacted position for the maps, and the id for the
disclosure record): who goes where, not which door."""


def todays_plan(premises: pd.DataFrame, assignments: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """The assignments of ``day``, ordered by team and stop (numbered from 1 per team)."""
    today = assignments.loc[assignments["day"] == day, ["location_id", "order", "team"]]
    plan = premises.merge(today, left_on="id", right_on="location_id")
    plan = plan.sort_values(["team", "order", "id"]).reset_index(drop=True)
    plan["order"] = plan.groupby("team").cumcount() + 1
    return redact_frame(plan)[PLAN_COLUMNS]


def no_plan_message(day: dt.date) -> str:
    """What the plan panels say when nothing is assigned to ``day``."""
    return f"No visits are planned for {day:%A %d %B}."
