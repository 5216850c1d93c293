"""Charts of the briefing (plotly figures), shared by the briefing screen and the briefing pack.

People in a briefing would rather look than read: progress over the week, outcomes by
district and a timeline of new tip-offs and adverts. Each builder takes a redacted frame from
:class:`layers.briefing.model.Briefing` and a theme: ``"screen"`` (dark, very large type,
readable at 4 m) or ``"print"`` (white paper). Colours are Okabe-Ito, distinguishable by
colour-blind viewers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from layers.briefing.results import CLOSED_OUTCOMES, NOT_RECORDED
from layers.core.clock import LONDON
from layers.core.status import OUTCOMES, RESULT_FIELDS

OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}
OUTCOME_COLOURS: dict[str, str] = {
    "actioned": OKABE_ITO["green"],
    "no_trace": OKABE_ITO["grey"],
    "no_access": OKABE_ITO["orange"],
    "refused_entry": OKABE_ITO["vermillion"],
    "postponed": OKABE_ITO["sky"],
    NOT_RECORDED: OKABE_ITO["yellow"],
}
KIND_COLOURS: dict[str, str] = {"tipoffs": OKABE_ITO["sky"], "adverts": OKABE_ITO["purple"]}
SCREEN_BG = "#101418"


def theme_layout(theme: str, title: str) -> dict[str, Any]:
    """Fonts, colours and margins for the screen (4 m away) or for print."""
    if theme == "screen":
        return {
            "title": {"text": title, "font": {"size": 34, "color": "#ffffff"}},
            "paper_bgcolor": SCREEN_BG,
            "plot_bgcolor": SCREEN_BG,
            "font": {"size": 24, "color": "#ffffff", "family": "Arial, Helvetica, sans-serif"},
            "legend": {"font": {"size": 24}, "orientation": "h", "y": -0.15},
            "margin": {"l": 90, "r": 30, "t": 80, "b": 90},
            "xaxis": {"gridcolor": "#3a4048", "linecolor": "#ffffff"},
            "yaxis": {"gridcolor": "#3a4048", "linecolor": "#ffffff", "automargin": True},
        }
    return {
        "title": {"text": title, "font": {"size": 16, "color": "#000000"}},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "font": {"size": 12, "color": "#000000", "family": "Arial, Helvetica, sans-serif"},
        "legend": {"orientation": "h", "y": -0.2},
        "margin": {"l": 60, "r": 20, "t": 50, "b": 60},
        "xaxis": {"gridcolor": "#dddddd"},
        "yaxis": {"gridcolor": "#dddddd", "automargin": True},
    }


def _figure(theme: str, title: str, **layout: Any) -> dict[str, Any]:
    """A figure as a plain dict: the screen's refresh skips plotly's (slow) validation."""
    base = theme_layout(theme, title)
    for key in ("xaxis", "yaxis", "legend", "margin"):
        base[key] = {**base[key], **layout.pop(key, {})}
    return {"data": [], "layout": {**base, **layout}}


def _by_district_layout(theme: str, axis_title: str) -> dict[str, Any]:
    """Horizontal bars per district: room for the longest name ("Blackburn with Darwen") and
    the legend below the axis title, not on it."""
    wide = theme == "screen"
    return {"xaxis": {"title": {"text": axis_title}, "rangemode": "tozero"},
            "margin": {"l": 300 if wide else 150, "b": 150 if wide else 90},
            "legend": {"y": -0.22 if wide else -0.25, "yanchor": "top"}}


def _counts(values: Any) -> list[int | None]:
    """Counts for a trace: missing values (days still to come) stay gaps, not zeros."""
    return [None if pd.isna(v) else int(v) for v in values]


def _bar(x: list[Any], y: list[Any], name: str, colour: str | list[str], **extra: Any) -> dict:
    return {"type": "bar", "x": list(x), "y": [int(v) for v in y], "name": name,
            "marker": {"color": colour}, **extra}


def _hbar(y: list[Any], x: list[Any], name: str, colour: str, **extra: Any) -> dict:
    return {"type": "bar", "orientation": "h", "y": list(y), "x": [int(v) for v in x],
            "name": name, "marker": {"color": colour}, **extra}


def progress_chart(by_day: pd.DataFrame, theme: str = "screen") -> dict[str, Any]:
    """Visits planned and made per day, with the running totals up to the briefing's day."""
    days = [d.strftime("%a %d") for d in by_day["day"]]
    fig = _figure(theme, "Progress over the week", barmode="group",
                  yaxis={"title": {"text": "visits"}, "rangemode": "tozero"})
    fig["data"] = [
        _bar(days, by_day["planned"], "Planned", OKABE_ITO["sky"]),
        _bar(days, by_day["visits"], "Visited", OKABE_ITO["green"]),
        {"type": "scatter", "x": days, "y": _counts(by_day["planned_cumulative"]),
         "name": "Planned (running total)", "mode": "lines+markers",
         "line": {"color": OKABE_ITO["sky"], "dash": "dash", "width": 4}},
        {"type": "scatter", "x": days, "y": _counts(by_day["visits_cumulative"]),
         "name": "Visited (running total)", "mode": "lines+markers",
         "line": {"color": OKABE_ITO["green"], "width": 4}},
    ]
    return fig


def district_progress_chart(by_district: pd.DataFrame, theme: str = "screen") -> dict[str, Any]:
    """Done against planned, per district (week to date)."""
    table = by_district.iloc[::-1]
    fig = _figure(theme, "Week to date: done vs planned by district", barmode="overlay",
                  **_by_district_layout(theme, "premises"))
    names = list(table["district"])
    fig["data"] = [
        _hbar(names, table["planned"], "Planned", OKABE_ITO["sky"]),
        _hbar(names, table["done"], "Done", OKABE_ITO["green"], width=0.5),
    ]
    return fig


def outcomes_chart(by_district: pd.DataFrame, theme: str = "screen") -> dict[str, Any]:
    """Outcomes of closed visits per district (stacked)."""
    table = by_district.iloc[::-1]
    fig = _figure(theme, "Outcomes by district", barmode="stack",
                  **_by_district_layout(theme, "visits"))
    names = list(table["district"])
    fig["data"] = [_hbar(names, table[outcome], label, OUTCOME_COLOURS[outcome])
                   for outcome, label in OUTCOMES.items() if outcome in table.columns]
    return fig


def yesterday_chart(yesterday: dict[str, dict[str, int]], theme: str = "screen") -> dict[str, Any]:
    """Yesterday's closed visits by outcome (the bars add up to the visits closed)."""
    outcomes = yesterday.get("outcomes", {})
    keys = [k for k in CLOSED_OUTCOMES if k != NOT_RECORDED or outcomes.get(k)]
    values = [int(outcomes.get(k, 0)) for k in keys]
    fig = _figure(theme, "Yesterday's closed visits by outcome", showlegend=False,
                  yaxis={"rangemode": "tozero", "dtick": 1})
    fig["data"] = [_bar([CLOSED_OUTCOMES[k] for k in keys], values, "Outcomes",
                        [OUTCOME_COLOURS[k] for k in keys], text=values, textposition="auto")]
    return fig


def intel_timeline(timeline: pd.DataFrame, theme: str = "screen") -> dict[str, Any]:
    """New tip-offs and adverts per hour since the previous briefing."""
    hours = pd.to_datetime(timeline["hour"], utc=True).dt.tz_convert(LONDON)
    labels = [h.strftime("%Y-%m-%d %H:%M") for h in hours]
    fig = _figure(theme, "New tip-offs and adverts per hour", barmode="stack",
                  yaxis={"title": {"text": "received"}, "rangemode": "tozero"},
                  xaxis={"type": "date", "tickformat": "%a %H:%M", "nticks": 8})
    fig["data"] = [_bar(labels, timeline[kind], label, KIND_COLOURS[kind])
                   for kind, label in (("tipoffs", "Tip-offs"), ("adverts", "Adverts"))]
    return fig


def results_rows(results: dict[str, int]) -> list[tuple[str, int]]:
    """Result figures as (label, value) rows in the order commanders report them."""
    return [(label, int(results.get(key, 0))) for key, label in RESULT_FIELDS.items()]


CIVIDIS_STOPS: tuple[str, ...] = ("#00224e", "#3d4d6b", "#7d7c78", "#bcaf6f", "#fee838")


def cividis(x: float) -> str:
    """A colour-blind-safe sequential colour (Cividis, five steps) for ``x`` in 0..1."""
    i = round(min(max(x, 0.0), 1.0) * (len(CIVIDIS_STOPS) - 1))
    return CIVIDIS_STOPS[i]
