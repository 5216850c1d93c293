"""The planning and operations pages' glue and view rules without a browser: the team form,
the status form, what a bulk change reads from the grid, zooming, opening a location, run sheets
for days outside the operation and the not-found page."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from dash import no_update
from flask import g
from sqlalchemy import select

from dashboard.access import Principal
from dashboard.components.status_form import form_state
from dashboard.components.zoom import district_view, fit_view
from dashboard.pages.not_found import layout as not_found_layout
from dashboard.pages.planning.callbacks import keep_grid_filters, restore_grid_filters
from dashboard.pages.planning.ids import TEAM_DEFAULTS, TEAM_ERROR, TEAM_FIELDS
from dashboard.pages.planning.team_callbacks import add_team
from layers.audit.processing_log import ProcessingLog
from layers.core.locations import insert_locations, place
from layers.core.models import Location, Operation
from layers.planning.assignments import assign
from layers.planning.bulk import visible_selection
from layers.planning.candidates import in_area
from layers.planning.districts import district_names
from layers.planning.location_view import open_location

from .conftest import MONDAY, PLACES
from .conftest import add_team as add_team_row

ERROR_IDS = [{"type": TEAM_ERROR, "field": name} for name in TEAM_FIELDS]


def _as(app, role: str):
    context = app.test_request_context("/_dash-update-component")
    context.push()
    g.principal = Principal(f"{role}-1", role)
    return context


def test_pgs001_team_form_errors_by_field_then_selected_and_cleared(app) -> None:
    context = _as(app, "commander")
    try:
        bad = {
            **dict.fromkeys(TEAM_FIELDS),
            "call_sign": "Alpha\n1",
            "division": "South",
            "start": "nowhere",
        }
        refused = add_team(clicks=1, values=bad, error_ids=ERROR_IDS)
        errors = dict(zip(TEAM_FIELDS, refused["errors"], strict=True))
        assert "line breaks" in errors["call_sign"] and "postcode" in errors["start"]
        assert errors["division"] == "" and errors["label"] == ""
        assert refused["message"].children == "Not added: see the fields marked."
        good = {**bad, "call_sign": "Alpha 1", "start": "PR1 2RH", "label": "Preston nick"}
        added = add_team(clicks=1, values=good, error_ids=ERROR_IDS)
    finally:
        context.pop()
    assert added["errors"] == [""] * len(TEAM_FIELDS)
    assert added["message"].children == "Team Alpha 1 added and selected."
    new = next(o for o in added["options"] if o["label"].startswith("Alpha 1"))
    assert added["team"] == new["value"]  # the new team is selected
    assert added["fields"] == {name: TEAM_DEFAULTS.get(name) for name in TEAM_FIELDS}


def test_pgs002_status_form_follows_its_subject_and_keeps_choices_consistent() -> None:
    empty = form_state(None, None, None, "subject")
    assert empty["disabled"] and empty["options"] == []
    about = {"id": 7, "version": 3, "status": "planned", "label": "P-7", "facts": "Alpha 1"}
    fresh = form_state(about, "visited", "actioned", "subject")
    assert (fresh["status"], fresh["outcome"]) == ("in_progress", None)  # reset for a new one
    assert [o["value"] for o in fresh["options"]] == [
        "unplanned",
        "in_progress",
        "actioned",
        "no_further_action",
    ]
    chose = form_state(about, "in_progress", "no_trace", "outcome")
    assert (chose["status"], chose["outcome"]) == ("no_further_action", "no_trace")
    changed = form_state(about, "in_progress", "no_trace", "status")
    assert (changed["status"], changed["outcome"]) == ("in_progress", None)


def test_pgs003_a_bulk_change_reads_only_visible_rows_as_shown_now() -> None:
    shown = [{"id": 1, "version": 3}, {"id": 2, "version": 1}, {"id": 3, "version": 1}]
    ticked = [{"id": 1, "version": 2}, {"id": 2, "version": 1}, {"id": 4, "version": 1}]
    assert visible_selection(ticked, shown, None) == [shown[0], shown[1]]  # 4 is filtered out
    assert visible_selection(ticked, shown, [{"id": 2}, {"id": 3}]) == [shown[1]]
    assert visible_selection(None, shown, []) == []
    frame = pd.DataFrame(
        {
            "division": ["West", "South", "South"],
            "district_code": ["E06000009", "E07000123", "E07000126"],
            "status": ["unplanned", "planned", "unplanned"],
        }
    )
    assert in_area(frame).tolist() == [True, True, True]
    assert in_area(frame, districts=["E07000123", "E06000009"]).tolist() == [True, True, False]
    assert in_area(frame, ["South"], None, ["unplanned"]).tolist() == [False, False, True]


def test_pgs004_grid_filters_are_kept_only_once_the_grid_has_rows() -> None:
    from dash.exceptions import PreventUpdate

    model = {"district": {"filterType": "text", "type": "contains", "filter": "Preston"}}
    assert keep_grid_filters.__wrapped__(model, [{"id": 1}]) == model
    assert keep_grid_filters.__wrapped__({}, [{"id": 1}]) == {}  # cleared by the user: kept
    assert keep_grid_filters.__wrapped__({}, []) is no_update  # the grid starting: not kept
    assert restore_grid_filters.__wrapped__([{"id": 1}], model, {}) == model
    with pytest.raises(PreventUpdate):
        restore_grid_filters.__wrapped__([{"id": 1}], model, model)
    with pytest.raises(PreventUpdate):
        restore_grid_filters.__wrapped__([], model, {})


def test_pgs005_choosing_districts_fits_the_map_to_them(app) -> None:
    centre, zoom = fit_view(-3.06, 53.77, -2.99, 53.88)
    assert -3.06 < centre["lon"] < -2.99 and 53.77 < centre["lat"] < 53.88
    assert 10 < zoom < 12
    boundaries = app.extensions["opsmap"].boundaries
    blackpool = district_view(boundaries, ["E06000009"])
    force = district_view(boundaries, [])
    assert blackpool["zoom"] > force["zoom"] + 2
    assert blackpool["uirevision"] == "districts:E06000009" and force["uirevision"] == "districts:"


def test_pgs006_opening_a_location_reads_its_plan_and_logs_it(services, team) -> None:
    lon, lat, _district, _division = PLACES["preston"]
    frame = pd.DataFrame(
        {
            "kind": ["premises", "tipoffs"],
            "lon": [lon, lon + 0.0005],
            "lat": [lat, lat],
            "ref": ["P-1", "T-1"],
            "risk": ["high", None],
            "grade_intel": [None, "A"],
            "source": "test",
            "created_by": "tester",
        }
    )
    with services.db.write() as s:
        insert_locations(s, place(frame, services.districts))
    with services.db.read() as s:
        premises = s.scalars(select(Location).where(Location.ref == "P-1")).one().id
    alpha = team("Alpha 1")
    with services.db.write() as s:
        assign(s, premises, 1, alpha, MONDAY, "commander-a")
    view = open_location(services.db, premises, "commander-b", district_names(services.boundaries))
    assert view is not None and view.district == "Preston"
    assert view.plan is not None and view.plan.describe() == "Alpha 1 · Mon 30 Nov · stop 1"
    assert view.priority == pytest.approx(60 + 8 * 1.5)
    assert view.priority_why == "high risk 60 + 1 tip-off (grade A) 12 + no adverts"
    assert len(view.tipoffs) == 1 and view.adverts.empty
    with services.db.read() as s:
        logged = s.scalars(
            select(ProcessingLog).where(ProcessingLog.username == "commander-b")
        ).all()
    assert sorted(e.action for e in logged) == ["combination", "consultation"]
    assert open_location(services.db, 999_999, "commander-b", {}) is None


def test_pgs007_run_sheet_for_a_day_outside_the_operation_says_so(app, client_as) -> None:
    svc = app.extensions["opsmap"]
    with svc.db.write() as s:
        s.add(
            Operation(
                name="Op", start_date=MONDAY, end_date=MONDAY + dt.timedelta(days=6), is_demo=False
            )
        )
    alpha = add_team_row(svc, "Alpha 1")
    answer = client_as("commander").get(f"/runsheets/{alpha}/2030-01-07.csv")
    assert answer.status_code == 404
    assert answer.json["error"] == (
        "Mon 07 Jan 2030 is outside the operation (Mon 30 Nov to Sun 06 Dec 2026): there is no "
        "run sheet for it"
    )
    inside = client_as("commander").get(f"/runsheets/{alpha}/{MONDAY.isoformat()}.csv")
    assert inside.status_code == 200


def test_pgs008_not_found_page_links_back_to_the_users_start(app) -> None:
    for role, link in (("analyst", "/"), ("briefing", "/briefing")):
        context = _as(app, role)
        try:
            text = str(not_found_layout())
        finally:
            context.pop()
        assert "Page not found" in text and f"href='{link}'" in text, (role, text)


def test_pgs009_map_hover_says_why_a_premises_is_high_priority() -> None:
    from dashboard.pages.operations.figures import hover_text

    frame = pd.DataFrame(
        {
            "id": [11, 12],
            "kind": ["premises", "premises"],
            "premises_type": ["nail bar", None],
            "risk": ["high", None],
            "status": pd.Categorical(["unplanned", "planned"]),
        }
    )
    priorities = pd.DataFrame(
        {"priority": [84.4], "priority_why": ["high risk 60 + 1 tip-off (grade A) 12 + ..."]},
        index=pd.Index([11], name="id"),
    )
    first, second = hover_text(frame, pd.RangeIndex(2).to_numpy(), "premises", priorities)
    assert "<br>Priority 84: high risk 60 + 1 tip-off (grade A) 12 + ...<br>" in first
    assert "Priority" not in second  # no score, no claim


def test_pgs010_unknown_address_answers_404_but_every_page_answers_200(client_as) -> None:
    client = client_as("admin")
    for path in ("/nonexistent", "/planning/nope", "/404"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert "text/html" in answer.content_type  # the app's shell, which shows "Page not found"
    for path in ("/", "/planning", "/board", "/imports", "/admin", "/networks", "/networks/7"):
        assert client.get(path).status_code == 200, path
