"""The briefing's figures on a hand-counted week, and each panel against the progress board
(issue 11, items 1, 15 and 16). Every number below is counted by hand from the story told in
:func:`tests.briefing.conftest.write_counted_week`, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from layers.briefing import charts
from layers.briefing.build import build_briefing
from layers.briefing.model import Briefing, BriefingOptions
from layers.briefing.pack import build_pack
from layers.planning.board import Board, progress_board
from layers.services import Services
from tests.briefing.conftest import BRIEF_DAY, WEEK_START, write_counted_week
from tests.briefing.test_pack import pdf_text
from tests.conftest import boundaries_path

DISTRICTS = pd.DataFrame({"code": ["E07000123", "E06000009"], "name": ["Preston", "Blackpool"],
                          "division": ["South", "West"]})
WEDNESDAY = BRIEF_DAY - dt.timedelta(days=1)


@pytest.fixture
def counted(services: Services) -> tuple[Briefing, Board]:
    """The counted week's briefing for Thursday and the progress board beside it."""
    write_counted_week(services.db)
    b = build_briefing(services.db, BriefingOptions(day=BRIEF_DAY), DISTRICTS)
    with services.db.read() as session:
        board = progress_board(session)
    return b, board


def test_brf601_todays_plan_is_todays_assignments_only(counted: tuple[Briefing, Board]) -> None:
    b, _ = counted
    plan = b.plan[["team", "order", "district", "risk"]].values.tolist()
    assert plan == [["ALPHA 1", 1, "Blackpool", "high"], ["ALPHA 1", 2, "Preston", "low"],
                    ["BRAVO 2", 1, "Blackpool", "high"]]
    assert list(b.plan.columns) == ["team", "order", "id", "lon", "lat", "easting", "northing",
                                    "district", "district_code", "risk"]


def test_brf602_yesterday_outcomes_add_up_to_the_closed_visits(
    counted: tuple[Briefing, Board],
) -> None:
    b, _ = counted
    assert b.yesterday["summary"] == {"visits": 4, "closed": 4}
    assert b.yesterday["outcomes"] == {"actioned": 1, "no_trace": 1, "no_access": 1,
                                       "refused_entry": 0, "not_recorded": 1}
    assert sum(b.yesterday["outcomes"].values()) == b.yesterday["summary"]["closed"]
    assert {k: v for k, v in b.yesterday["results"].items() if v} == {"safeguarded": 2,
                                                                     "arrests": 1}
    chart = charts.yesterday_chart(b.yesterday)["data"][0]
    assert sum(chart["y"]) == 4 and "Outcome not recorded" in chart["x"]


def test_brf603_week_by_day_stops_at_today(counted: tuple[Briefing, Board]) -> None:
    b, _ = counted
    by_day = b.by_day.set_index("day")
    assert list(by_day["planned"]) == [0, 0, 5, 3, 1, 0, 0]
    assert list(by_day["visits"]) == [0, 0, 4, 0, 0, 0, 0]
    assert list(by_day["actioned"]) == [0, 0, 1, 0, 0, 0, 0]
    assert list(by_day["no_further_action"]) == [0, 0, 3, 0, 0, 0, 0]
    assert list(by_day["tipoffs"]) == [0, 2, 0, 0, 0, 0, 0]
    assert list(by_day["adverts"]) == [0, 0, 3, 0, 0, 0, 0]
    assert by_day["planned_cumulative"].tolist()[:4] == [0, 0, 5, 8]
    assert by_day["visits_cumulative"].tolist()[:4] == [0, 0, 4, 4]
    assert by_day["planned_cumulative"].iloc[4:].isna().all()
    assert by_day["visits_cumulative"].iloc[4:].isna().all()
    lines = [t for t in charts.progress_chart(b.by_day)["data"] if t["type"] == "scatter"]
    for line in lines:
        assert line["y"][4:] == [None, None, None]  # no running total drawn into Friday


def test_brf604_by_district_and_week_results_by_hand(counted: tuple[Briefing, Board]) -> None:
    b, _ = counted
    table = b.by_district.set_index("district")
    columns = ["premises", "planned", "done", "done_pct", "high_outstanding", "actioned",
               "no_trace", "no_access", "safeguarded", "arrests"]
    assert table.loc["Preston", columns].tolist() == [5, 5, 3, 60, 0, 1, 1, 0, 2, 1]
    assert table.loc["Blackpool", columns].tolist() == [5, 5, 1, 20, 2, 0, 0, 1, 0, 0]
    assert {k: v for k, v in b.week_results.items() if v} == {"safeguarded": 2, "arrests": 1}


def test_brf605_every_panel_agrees_with_the_progress_board(
    counted: tuple[Briefing, Board],
) -> None:
    b, board = counted
    days = {row["day"]: row for row in board.by_day}
    # Today's plan: the board's assignments for today, team by team.
    assert len(b.plan) == days[BRIEF_DAY.isoformat()]["total"]
    assert set(b.plan["team"]) <= {row["call_sign"] for row in board.by_team}
    # Yesterday: the board's done visits of yesterday, outcome by outcome.
    wednesday = days[WEDNESDAY.isoformat()]
    assert b.yesterday["summary"]["closed"] == wednesday["done"]
    for outcome in ("actioned", "no_trace", "no_access", "refused_entry"):
        assert b.yesterday["outcomes"][outcome] == wednesday[outcome], outcome
    assert b.yesterday["outcomes"]["not_recorded"] == wednesday["done"] - sum(
        wednesday[o] for o in ("actioned", "no_trace", "no_access", "refused_entry"))
    # Week by day: planned visits per day are the board's.
    for row in b.by_day.itertuples():
        assert row.planned == days.get(row.day.isoformat(), {"total": 0})["total"], row.day
    # Week by district: done and outcomes per district are the board's.
    by_code = {row["district_code"]: row for row in board.by_district}
    for row in b.by_district.itertuples():
        on_board = by_code[row.district_code]
        assert row.done == on_board["done"]
        assert row.planned == on_board["planned"] + on_board["in_progress"] + on_board["done"]
        assert (row.actioned, row.no_trace, row.no_access) == (
            on_board["actioned"], on_board["no_trace"], on_board["no_access"])
    assert b.week_results == board.results


def test_brf606_nothing_planned_today_says_so(services: Services) -> None:
    write_counted_week(services.db)
    saturday = WEEK_START + dt.timedelta(days=5)
    b = build_briefing(services.db, BriefingOptions(day=saturday), DISTRICTS)
    assert b.plan.empty  # P9 is "planned" but not assigned to Saturday: not on the plan
    boundaries = gpd.read_file(boundaries_path())
    _, files = build_pack(services.db, BriefingOptions(day=saturday), boundaries, "MARK")
    assert "No visits are planned for Saturday 28 November." in files.html
    assert "No visits are planned for Saturday 28 November." in pdf_text(files.pdf or b"")


def test_brf607_pdf_wraps_long_cells(services: Services, tmp_path: Path) -> None:
    write_counted_week(services.db)
    long_sign = "NO TEAM ASSIGNED YET RESERVE"
    with services.db.write() as session:
        session.connection().exec_driver_sql(
            f"UPDATE planning_teams SET call_sign = '{long_sign}' WHERE call_sign = 'BRAVO 2'")
    boundaries = gpd.read_file(boundaries_path())
    options = BriefingOptions(day=BRIEF_DAY, outstanding_shows=("street", "type", "district"))
    _, files = build_pack(services.db, options, boundaries, "MARK")
    text = pdf_text(files.pdf or b"")
    shown = " ".join(re.findall(r"\(([^()]*)\) ?Tj", text))
    for word in long_sign.split():
        assert word in shown, word  # every word is printed: the cell wraps, nothing is cut
    assert "Mill Lane, Town" in shown or {"Mill", "Lane,", "Town"} <= set(shown.split())


def test_brf608_outstanding_shows_district_and_type_unless_configured(
    services: Services,
) -> None:
    write_counted_week(services.db)
    boundaries = gpd.read_file(boundaries_path())
    default = BriefingOptions(day=BRIEF_DAY)
    assert default.outstanding_shows == ("district", "type")
    b, files = build_pack(services.db, default, boundaries, "MARK")
    assert [c for c in b.outstanding.columns if c not in ("id", "lon", "lat", "easting",
                                                          "northing")] == ["district",
                                                                           "premises_type"]
    assert len(b.outstanding) >= 2
    for text in (files.html, files.csv, pdf_text(files.pdf or b"")):
        assert "Mill Lane" not in text
    assert "outstanding,id,lon,lat,easting,northing,district,premises_type\r\n" in files.csv
    room = files.html.split("Outstanding high-priority premises")[-1]
    assert re.findall(r"<th>(.*?)</th>", room) == ["District", "Type"]
    wide = BriefingOptions(day=BRIEF_DAY, outstanding_shows=("street", "status", "district"))
    b2, files2 = build_pack(services.db, wide, boundaries, "MARK")
    assert list(b2.outstanding.columns[5:]) == ["street", "status", "district"]
    assert "Mill Lane, Town" in files2.html
    with pytest.raises(ValueError, match="unknown house; choose from district, type, street"):
        BriefingOptions(day=BRIEF_DAY, outstanding_shows=("house",))


def test_brf609_outstanding_setting_is_read_from_the_environment(tmp_path: Path) -> None:
    from config import Config

    base = {"OPSMAP_INSTANCE": str(tmp_path), "OPSMAP_SECRET_KEY": "x", "OPSMAP_PHONE_KEY": "y"}
    assert Config.from_env(base).briefing_outstanding is None
    config = Config.from_env({**base, "OPSMAP_BRIEFING_OUTSTANDING": " Street, District "})
    assert config.briefing_outstanding == ("street", "district")
