"""What one update may show: its figures after the disclosure rules, and why.

:func:`build_release` turns the period's counts by district into a :class:`Release`: the
force-wide figures, the areas (divisions, or districts when every district passes ``k``), the
values for the map, and the checks that passed or held figures back. A release holds only what
may be shown (numbers of at least ``k``, or "fewer than k"): the exact small counts never leave
this module, so neither the stored draft nor anything built from it can show them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from geodata.force import DISTRICT_BY_CODE, DISTRICTS, DIVISIONS
from layers.public.disclosure import (
    areas_below,
    district_level_allowed,
    fewer_than,
    merge_into_divisions,
    period_words,
    show_count,
    threshold,
    total_disclosable,
)
from layers.public.figures import FIGURES, Period

FORCE = "force"
DIVISION = "division"
DISTRICT = "district"
SCOPES: tuple[str, ...] = (FORCE, DIVISION, DISTRICT)
MAP_FIGURE = "visits"
"""The figure the area map shows."""
PASSED = "passed"
HELD = "held back"
WARNING = "warning"


@dataclass(frozen=True)
class Figure:
    """One figure as shown: its public text, and whether anything was recorded at all."""

    key: str
    label: str
    text: str
    exact: bool
    recorded: bool

    @property
    def phrase(self) -> str:
        """``"34 visits made"`` or ``"fewer than 5 arrests"``."""
        return f"{self.text} {self.label}"


@dataclass(frozen=True)
class Area:
    """A division or district and its figures."""

    name: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Check:
    """One disclosure check: which rule, whether it passed or held something back, and what."""

    rule: str
    outcome: str
    message: str


@dataclass(frozen=True)
class Release:
    """Everything an update may show, as decided by the disclosure rules."""

    start: str
    end: str
    period: str
    scope: str
    level: str
    k: int
    force: tuple[Figure, ...]
    areas: tuple[Area, ...]
    map_level: str | None
    map_values: tuple[tuple[str, str], ...]
    checks: tuple[Check, ...]

    def as_dict(self) -> dict[str, Any]:
        """The release as JSON-ready data (what is stored with the draft)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Release:
        """The release stored by :meth:`as_dict`."""
        def figures(items: list[dict[str, Any]]) -> tuple[Figure, ...]:
            return tuple(Figure(**f) for f in items)

        return cls(
            start=data["start"], end=data["end"], period=data["period"], scope=data["scope"],
            level=data["level"], k=int(data["k"]), force=figures(data["force"]),
            areas=tuple(Area(a["name"], figures(a["figures"])) for a in data["areas"]),
            map_level=data["map_level"],
            map_values=tuple((str(n), str(v)) for n, v in data["map_values"]),
            checks=tuple(Check(**c) for c in data["checks"]),
        )

    def released(self) -> str:
        """The figures released, in one line (what the processing log records on export)."""
        parts = ["force-wide: " + "; ".join(f.phrase for f in self.force)]
        parts += [f"{a.name}: " + "; ".join(f.phrase for f in a.figures) for a in self.areas]
        return " | ".join(parts)


def _figure(key: str, value: int, k: int) -> Figure:
    shown = show_count(value, k)
    return Figure(key, FIGURES[key], shown.text, shown.exact, value > 0)


def _area_counts(counts: pd.DataFrame) -> dict[str, dict[str, int]]:
    return {
        code: {key: int(counts.at[code, key]) for key in FIGURES}
        for code in counts.index
        if code in DISTRICT_BY_CODE
    }


def _force_figures(
    counts: pd.DataFrame, parts: dict[str, dict[str, int]] | None, k: int, checks: list[Check]
) -> tuple[Figure, ...]:
    """Force-wide figures; beside a breakdown, a total that would reveal a part is left out."""
    shown = []
    for key, label in FIGURES.items():
        total = int(counts[key].sum())
        values = [p[key] for p in parts.values()] if parts is not None else []
        if parts is not None and not total_disclosable(total, values, k):
            checks.append(Check(f"total:{key}", HELD, f"The force-wide number of {label} is left "
                                "out: with the areas shown it would reveal a small count."))
            continue
        figure = _figure(key, total, k)
        if not figure.exact:
            checks.append(Check(f"force:{key}", HELD,
                                f"Force-wide {label}: shown as '{fewer_than(k)}'."))
        shown.append(figure)
    return tuple(shown)


def _areas(rows: dict[str, dict[str, int]], k: int, checks: list[Check]) -> tuple[Area, ...]:
    areas = []
    for name, values in rows.items():
        figures = tuple(_figure(key, values[key], k) for key in FIGURES)
        held = [f.label for f in figures if not f.exact]
        if held:
            checks.append(Check(f"area:{name}", HELD, f"{name}: {', '.join(held)} shown as "
                                f"'{fewer_than(k)}'."))
        areas.append(Area(name, figures))
    return tuple(areas)


def _map(districts: dict[str, dict[str, int]], divisions: dict[str, dict[str, int]], k: int,
         checks: list[Check]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The map by district only when every district's count passes ``k``; otherwise by division."""
    if district_level_allowed(districts, [MAP_FIGURE], k):
        checks.append(Check("map", PASSED, f"Map by district: every district has at least {k} "
                            f"{FIGURES[MAP_FIGURE]}."))
        values = {DISTRICT_BY_CODE[c].name: v[MAP_FIGURE] for c, v in districts.items()}
        level = DISTRICT
    else:
        checks.append(Check("map", HELD, "Map by division: not every district has at least "
                            f"{k} {FIGURES[MAP_FIGURE]}."))
        values = {name: v[MAP_FIGURE] for name, v in divisions.items()}
        level = DIVISION
    return level, tuple((name, show_count(v, k).text) for name, v in values.items())


def build_release(counts: pd.DataFrame, period: Period, scope: str, k: int) -> Release:
    """Apply the disclosure rules to the period's counts by district (see :func:`tally`)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}: use one of {', '.join(SCOPES)}")
    k = threshold(k)
    checks = [
        Check("threshold", PASSED, f"Every count shown is at least {k}, or reads "
              f"'{fewer_than(k)}' (k = {k}; never below 3)."),
        Check("dates", PASSED, f"Dates to the day only: {period_words(period.start, period.end)}."),
        Check("places", PASSED, "No location, reference, name, address, postcode or street: "
              "figures are counted by district and shown no finer than allowed."),
    ]
    districts = _area_counts(counts)
    divisions = merge_into_divisions(
        districts, {d.code: d.division for d in DISTRICTS}, DIVISIONS
    )
    level, map_level = FORCE, None
    areas: tuple[Area, ...] = ()
    map_values: tuple[tuple[str, str], ...] = ()
    if scope == FORCE:
        force = _force_figures(counts, None, k, checks)
    else:
        parts = divisions
        level = DIVISION
        if scope == DISTRICT:
            below = areas_below(districts, FIGURES, k)
            if district_level_allowed(districts, FIGURES, k):
                level, parts = DISTRICT, districts
                checks.append(Check("districts", PASSED,
                                    f"Shown by district: every district count is at least {k}."))
            else:
                checks.append(Check("districts", HELD, f"Districts merged into divisions: "
                                    f"{len(below)} of {len(districts)} districts have a count "
                                    f"below {k}."))
        named = parts if level == DIVISION else {
            DISTRICT_BY_CODE[c].name: v for c, v in parts.items()
        }
        force = _force_figures(counts, parts, k, checks)
        areas = _areas(named, k, checks)
        map_level, map_values = _map(districts, divisions, k, checks)
    return Release(
        start=period.start.isoformat(), end=period.end.isoformat(),
        period=period_words(period.start, period.end), scope=scope, level=level, k=k,
        force=force, areas=areas, map_level=map_level, map_values=map_values,
        checks=tuple(checks),
    )
