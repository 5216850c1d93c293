"""Planning in time: teams on shifts, visits with windows, durations and skills, solved by VROOM.

``model`` holds the problem and the plan (seconds from the plan's origin), ``horizon`` turns
wall-clock times into those seconds, ``travel`` answers driving times, ``engine`` is the only
code that speaks to VROOM, ``reasons`` explains what is left out and ``replan`` re-plans one
team's remaining day.
"""

from layers.planning.solver.engine import SolveOptions, solve
from layers.planning.solver.horizon import Horizon, parse_clock
from layers.planning.solver.model import (
    BreakRule,
    BreakTaken,
    Fixed,
    Key,
    Plan,
    Point,
    Problem,
    Reason,
    Route,
    Stop,
    Team,
    Unplanned,
    Visit,
    Window,
)
from layers.planning.solver.replan import replan_team, rest_of_day
from layers.planning.solver.travel import GridTravelTimes, SpeedModel, TravelTimes

__all__ = [
    "BreakRule",
    "BreakTaken",
    "Fixed",
    "GridTravelTimes",
    "Horizon",
    "Key",
    "Plan",
    "Point",
    "Problem",
    "Reason",
    "Route",
    "SolveOptions",
    "SpeedModel",
    "Stop",
    "Team",
    "TravelTimes",
    "Unplanned",
    "Visit",
    "Window",
    "parse_clock",
    "replan_team",
    "rest_of_day",
    "solve",
]
