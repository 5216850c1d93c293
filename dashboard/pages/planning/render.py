"""What the planning page shows for a team, a day and an area: grid, map, route, capacity.

Built in one read from the store, so every part of the page agrees with the others.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard.components.zoom import district_view
from dashboard.pages.planning.figures import grid_rows, planning_figure, route_traces, stop_list
from dashboard.pages.planning.ids import MOVE_DOWN, MOVE_UP
from layers.core.errors import NotFound
from layers.planning.candidates import candidate_frame, in_area, planned_loads
from layers.planning.capacity import over_allocation
from layers.planning.day_view import TeamDay, hhmm, team_days
from layers.planning.districts import district_names
from layers.planning.models import Team
from layers.services import Services


@dataclass
class PlanningView:
    """Everything one redraw of the planning page produces."""

    rows: list[dict[str, Any]]
    figure: go.Figure
    stops: html.Ol
    info: list[Any]
    links: list[Any]
    capacity: list[Any]


def team_day_stops(frame: pd.DataFrame, team_id: int | None, day: dt.date | None) -> pd.DataFrame:
    """The rows of ``frame`` planned for the team-day, in stop order."""
    if team_id is None or day is None or frame.empty:
        return frame.iloc[0:0]
    mask = (frame["team_id"] == team_id) & (frame["day"] == day)
    return frame[mask.fillna(False)].sort_values(["position", "id"])


def route_info(team: Team, day: dt.date, stops: pd.DataFrame, timed: TeamDay | None
               ) -> list[Any]:
    """The team-day in one line: stops, shift, when back at base and the shift left."""
    n = len(stops)
    line = (f"{team.call_sign} · {day:%a %d %b} · {n} {'stop' if n == 1 else 'stops'} · "
            f"shift {team.shift_start}-{team.shift_end} · from {team.start_label or 'base'}")
    if timed is not None and timed.back is not None:
        line += (f" · back at base {hhmm(timed.back)} · {timed.minutes_left} min of the "
                 "shift left")
    elif n:
        line += " · not timed yet: Optimise or Suggest to plan the times"
    return [html.P(line)]


def timed_day(svc: Services, team: Team, day: dt.date) -> TeamDay | None:
    """The team-day's times (``None`` for a day outside the operation)."""
    try:
        with svc.db.read() as session:
            return team_days(session, day, svc.travel, team.id)[0]
    except NotFound:
        return None


def runsheet_links(team: Team, day: dt.date) -> list[Any]:
    """Links to the team-day's run sheet in each format."""
    base = f"/runsheets/{team.id}/{day.isoformat()}"
    return [
        html.Span("Run sheet: "),
        html.A("print", href=f"{base}.html", target="_blank"),
        " · ",
        html.A("PDF", href=f"{base}.pdf"),
        " · ",
        html.A("CSV", href=f"{base}.csv"),
    ]


def capacity_lines(team: Team, day: dt.date, planned: int) -> list[Any]:
    """How full the team-day is, and a warning when it is over capacity."""
    warnings = over_allocation(
        {(team.id, day): planned}, {team.id: team.daily_capacity}, {team.id: team.call_sign}
    )
    return [
        html.P(f"{planned} of {team.daily_capacity} visits planned on this day."),
        *[html.P(w.message(), className="warning") for w in warnings],
    ]


def zoom_in(figure: go.Figure, svc: Services, districts: list[str] | None) -> None:
    """Show the chosen districts (kept while they stay chosen, whatever the user pans)."""
    if districts:
        figure.update_layout(map=district_view(svc.boundaries, districts))


def render_planning(
    svc: Services,
    team_id: int | None,
    day: dt.date | None,
    area: dict[str, list[str] | None],
    editable: bool,
) -> PlanningView:
    """The page's data for this team-day and area (``divisions``, ``districts``, ``statuses``)."""
    with svc.db.read() as session:
        frame = candidate_frame(session)
        team = session.get(Team, team_id) if team_id is not None else None
        loads = planned_loads(session)
    shown = frame[
        in_area(frame, area.get("divisions"), area.get("districts"), area.get("statuses"))
    ]
    stops = team_day_stops(frame, team_id, day)
    names = district_names(svc.boundaries)
    if team is None or day is None:
        figure = planning_figure(svc.boundaries, svc.config.tiles, shown, [], editable)
        zoom_in(figure, svc, area.get("districts"))
        hint = [html.P("Choose a team and a day.", className="muted")]
        listing = stop_list(stops, MOVE_UP, MOVE_DOWN, editable)
        return PlanningView(grid_rows(shown, names), figure, listing, hint, [], [])
    route = route_traces((team.start_lon, team.start_lat), stops, team.call_sign)
    figure = planning_figure(svc.boundaries, svc.config.tiles, shown, route, editable, stops=stops)
    zoom_in(figure, svc, area.get("districts"))
    return PlanningView(
        rows=grid_rows(shown, names),
        figure=figure,
        stops=stop_list(stops, MOVE_UP, MOVE_DOWN, editable),
        info=route_info(team, day, stops, timed_day(svc, team, day)),
        links=runsheet_links(team, day),
        capacity=capacity_lines(team, day, loads.get((team.id, day), 0)),
    )
