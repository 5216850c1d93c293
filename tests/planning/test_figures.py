"""The planning map and stop list as plain objects: nothing that makes MapLibre fetch assets."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from dashboard.pages.planning.figures import grid_rows, planning_figure, route_traces, stop_list
from dashboard.pages.planning.ids import MOVE_DOWN, MOVE_UP


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [1, 2, 3],
            "version": [1, 2, 1],
            "lon": [-2.70, -2.69, -2.68],
            "lat": [53.76, 53.75, 53.77],
            "easting": [354_000.0, 354_500.0, 355_000.0],
            "northing": [429_000.0, 428_000.0, 430_000.0],
            "status": ["unplanned", "planned", "actioned"],
            "priority": [72.0, 40.5, 10.0],
            "risk_points": [60.0, 30.0, 10.0],
            "tipoffs_near": [1, 0, 0],
            "adverts_near": [3, 0, 0],
            "priority_why": [
                "high risk 60 + 1 tip-off (grade B) 10 + 3 adverts 12",
                "medium risk 30 + no tip-offs + no adverts",
                "low risk 10 + no tip-offs + no adverts",
            ],
            "ref": ["P-1", "P-2", None],
            "address": ["1 A St", None, "3 C St"],
            "district_code": "E07000123",
            "division": "South",
            "risk": ["high", "medium", "low"],
            "team_id": pd.array([None, 7, 7], dtype="Int64"),
            "call_sign": [None, "Alpha 1", "Alpha 1"],
            "day": [None, dt.date(2026, 11, 30), dt.date(2026, 11, 30)],
            "position": pd.array([None, 0, 1], dtype="Int64"),
            "assignment_id": pd.array([None, 11, 12], dtype="Int64"),
            "assignment_version": pd.array([None, 1, 3], dtype="Int64"),
            "eta": [None, dt.datetime(2026, 11, 30, 9, 5, tzinfo=dt.UTC), None],
            "etd": [None, dt.datetime(2026, 11, 30, 9, 50, tzinfo=dt.UTC), None],
        }
    )


def test_fig001_map_is_circles_and_lines_only(app) -> None:
    svc = app.extensions["opsmap"]
    frame = _frame()
    stops = frame[frame["team_id"] == 7].sort_values("position")
    route = route_traces((-2.70, 53.76), stops, "Alpha 1")
    fig = planning_figure(svc.boundaries, None, frame, route, selectable=True)
    style = fig.layout.map.style
    assert "glyphs" not in style and "sprite" not in style
    assert "http" not in json.dumps(style)  # no tiles, glyphs or icons from anywhere
    assert all(t.type == "scattermap" for t in fig.data)  # no district fill to lasso
    assert all(t.marker.symbol in (None, "circle") for t in fig.data)
    assert not any("text" in (t.mode or "") for t in fig.data)
    assert fig.layout.dragmode == "lasso"
    line = next(t for t in fig.data if t.name == "Route Alpha 1")
    assert len(line.lon) == 2 + 2  # start, two stops, back to start
    stops_trace = next(t for t in fig.data if t.name.startswith("Stops"))
    assert list(stops_trace.text) == ["<b>Stop 1</b> · P-2", "<b>Stop 2</b> · 3"]
    # Numbered stops in route order (HTML labels over the map), and the legend below the map.
    numbered = planning_figure(svc.boundaries, None, frame, route, stops=stops)
    labels = [x for x in numbered.layout.meta["labels"] if x.get("cls") == "stop-number"]
    assert [(x["name"], x["lon"]) for x in labels] == [("1", -2.69), ("2", -2.68)]
    assert numbered.layout.legend.orientation == "h" and numbered.layout.legend.yanchor == "top"
    assert numbered.layout.legend.y <= 0 and numbered.layout.margin.b >= 40
    hover = next(t for t in fig.data if t.name == "Unplanned").text[0]
    assert "Why: high risk 60 + 1 tip-off (grade B) 10 + 3 adverts 12" in hover


def test_fig002_grid_rows_and_stop_list() -> None:
    rows = grid_rows(_frame(), {"E07000123": "Preston"})
    assert rows[0]["district"] == "Preston" and rows[0]["district_code"] == "E07000123"
    assert rows[0]["priority_why"].startswith("high risk 60 + 1 tip-off (grade B)")
    assert rows[1]["stop"] == 1 and rows[1]["call_sign"] == "Alpha 1"
    assert rows[0]["assignment_id"] is None and rows[0]["status_label"] == "Unplanned"
    stops = _frame().iloc[1:]
    listing = stop_list(stops, MOVE_UP, MOVE_DOWN, editable=True)
    assert len(listing.children) == 2
    assert (rows[1]["eta"], rows[1]["etd"], rows[2]["eta"]) == ("09:05", "09:50", "")
    assert "09:05-09:50" in str(listing.children[0]) and "not timed" in str(listing.children[1])
    first_buttons = listing.children[0].children[3].children
    assert first_buttons[0].disabled and not first_buttons[1].disabled
    assert "No stops" in str(stop_list(stops.iloc[0:0], MOVE_UP, MOVE_DOWN, editable=False))


def test_fig003_suggestion_review_lists_team_days_in_order() -> None:
    from dashboard.pages.planning.plan_callbacks import suggestion_review

    rows = [
        {"location_id": 5, "team_id": 1, "day": "2026-11-30", "position": 1,
         "eta": "2026-11-30T10:15:00+00:00"},
        {"location_id": 4, "team_id": 1, "day": "2026-11-30", "position": 0},
        {"location_id": 6, "team_id": 2, "day": "2026-12-01", "position": 0},
    ]
    text = str(suggestion_review(rows, {1: "Alpha 1", 2: "Bravo 2"}, {4: "P-4"}))
    assert "Alpha 1 · Mon 30 Nov: 2 (P-4, 5 at 10:15)" in text
    assert "Bravo 2 · Tue 01 Dec: 1 (6)" in text
