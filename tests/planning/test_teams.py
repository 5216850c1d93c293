"""Teams: call signs checked where they enter, start points by postcode or coordinates, the form's
errors next to each field, and the pure helpers the pages share (days, district names)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from layers.planning.districts import district_names, name_districts
from layers.planning.teams import (
    CallSignError,
    TeamError,
    add_team_from_form,
    check_call_sign,
    list_teams,
    parse_start,
)
from layers.planning.week import default_day

HOSTILE_CALL_SIGNS = [
    "Alpha\";filename*=UTF-8''runsheet.html;x=\"",
    "Alpha\r\nSet-Cookie: x=1",
    "Alpha\tOne",
    "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://x")',
    "A" * 41,
    "   ",
    "-Alpha",
]


def test_tem001_call_signs_are_checked_where_they_enter() -> None:
    assert check_call_sign("  Alpha 1 ") == "Alpha 1"
    assert check_call_sign("E2E Bravo-2/North.") == "E2E Bravo-2/North."
    for hostile in HOSTILE_CALL_SIGNS:
        with pytest.raises(CallSignError) as caught:
            check_call_sign(hostile)
        assert isinstance(caught.value, ValueError)  # malformed input: HTTP 400
    with pytest.raises(CallSignError, match="line breaks"):
        check_call_sign("Alpha\r\n1")
    with pytest.raises(CallSignError, match="at most 40"):
        check_call_sign("A" * 41)
    with pytest.raises(CallSignError, match="letters, digits, spaces"):
        check_call_sign('Alpha";x')


def test_tem002_start_point_by_postcode_or_either_coordinate_order(sqlite_services) -> None:
    postcodes = sqlite_services.postcodes
    by_postcode = parse_start("pr1 2rh", postcodes)
    assert by_postcode.label == "PR1 2RH"
    assert -2.72 < by_postcode.lon < -2.68 and 53.75 < by_postcode.lat < 53.77
    assert parse_start("-2.7035, 53.759", postcodes).lon == -2.7035
    swapped = parse_start("53.759,-2.7035", None)  # lat, lon as copied from a phone map
    assert (swapped.lon, swapped.lat) == (-2.7035, 53.759)
    with pytest.raises(TeamError, match="not a postcode we know") as caught:
        parse_start("ZZ9 9ZZ", postcodes)
    assert caught.value.field == "start"
    with pytest.raises(TeamError, match="not in Great Britain"):
        parse_start("40.7, -74.0", postcodes)


def test_tem003_form_errors_come_back_next_to_their_fields(sqlite_services) -> None:
    svc = sqlite_services
    form = {
        "call_sign": "Alpha\n1",
        "division": "South",
        "members": 2.5,
        "capacity": 6,
        "shift": "08:00",
        "break": -5,
        "skills": "warrant, " + "x" * 80,
        "start": "nowhere",
    }
    with svc.db.write() as s:
        result = add_team_from_form(s, form, svc.postcodes, "cmdr")
    assert result.team_id is None
    assert set(result.errors) == {"call_sign", "members", "shift", "break", "skills", "start"}
    assert "0 to 120" in result.errors["break"]
    assert "line breaks" in result.errors["call_sign"]
    assert "whole number" in result.errors["members"]
    good = {**form, "call_sign": "Alpha 1", "members": 2, "shift": "07:00-15:00", "break": 30,
            "skills": "warrant, interpreter: Romanian"}
    good["start"] = "PR1 2RH"
    with svc.db.write() as s:
        made = add_team_from_form(s, good, svc.postcodes, "cmdr")
    assert made.errors == {} and made.call_sign == "Alpha 1" and made.team_id
    with svc.db.write() as s:
        again = add_team_from_form(s, good, svc.postcodes, "cmdr")
    assert again.errors == {"call_sign": "there is already a team 'Alpha 1'"}
    with svc.db.write() as s:
        wrong = add_team_from_form(s, {**good, "call_sign": "B", "division": ""}, None, "cmdr")
    assert "division" in wrong.errors and "start" in wrong.errors  # no postcode index given
    with svc.db.read() as s:
        (team,) = list_teams(s)
        assert (team.start_label, team.shift_start, team.shift_end) == ("PR1 2RH", "07:00", "15:00")
        assert team.break_minutes == 30
        assert team.skills == '["interpreter: Romanian", "warrant"]'


def test_tem004_day_defaults_to_today_or_the_first_day() -> None:
    week = [dt.date(2026, 11, 30) + dt.timedelta(days=i) for i in range(7)]
    assert default_day(week, dt.date(2026, 12, 2)) == dt.date(2026, 12, 2)
    assert default_day(week, dt.date(2027, 1, 5)) == week[0]
    assert default_day([], dt.date(2027, 1, 5)) is None


def test_tem005_district_names_for_codes_keep_unknown_codes() -> None:
    boundaries = pd.DataFrame(
        {"code": ["E06000009", "E07000123"], "name": ["Blackpool", "Preston"]}
    )
    names = district_names(boundaries)
    codes = pd.Series(["E07000123", "outside", "E99999999", None], dtype="category")
    assert name_districts(codes, names).tolist() == [
        "Preston",
        "Outside force area",
        "E99999999",
        "",
    ]
