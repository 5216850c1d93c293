"""Planning CLI: ``teams add|list``, ``plan suggest [--accept]``, ``plan day``, ``runsheet``.

For set-up scripts and for commanders who prefer a terminal; the same store functions as the
dashboard and the API, so the same rules, history and processing-log entries apply.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import logging
import sys
from pathlib import Path

from config import Config
from layers.core.clock import today_local
from layers.core.operations import current_operation, operation_days
from layers.planning.day_view import day_plan
from layers.planning.districts import district_names
from layers.planning.errors import PlanError
from layers.planning.plan_time import accept_plan, suggest_plan
from layers.planning.priority import HIGH_PRIORITY
from layers.planning.runsheet import (
    build_runsheet,
    record_disclosure,
    runsheet_csv,
    runsheet_html,
    runsheet_pdf,
)
from layers.planning.teams import (
    CallSignError,
    TeamSpec,
    create_team,
    list_teams,
    parse_start,
    team_dict,
)
from layers.planning.visit_rules import clean_skills
from layers.planning.week import OutsideOperation, days_ahead
from layers.services import Services

logger = logging.getLogger(__name__)

CLI_USER = "cli"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the planning commands to the CLI."""
    teams = sub.add_parser("teams", help="visiting teams of the week of action")
    teams_sub = teams.add_subparsers(dest="teams_command", required=True)
    add = teams_sub.add_parser("add", help="add a team")
    add.add_argument("call_sign")
    add.add_argument("--division", required=True, choices=("West", "South", "East"))
    add.add_argument("--start", required=True, help="start point: a postcode, or LON,LAT")
    add.add_argument("--start-label", default="", help="e.g. Preston police station")
    add.add_argument("--members", type=int, default=2)
    add.add_argument("--partner", action="append", default=[], help="partner agency (repeat)")
    add.add_argument("--capacity", type=int, default=6, help="visits a day")
    add.add_argument("--shift", default="08:00-16:00", help="HH:MM-HH:MM (20:00-04:00 crosses "
                     "midnight)")
    add.add_argument("--break-minutes", type=int, default=0, help="the break in each shift")
    add.add_argument("--skill", action="append", default=[],
                     help="a skill such as 'interpreter: Romanian' (repeat)")
    add.add_argument("--user", default=CLI_USER, help="who is making the change (for the log)")
    add.set_defaults(handler=cmd_teams_add)
    listing = teams_sub.add_parser("list", help="list teams")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_teams_list)

    plan = sub.add_parser("plan", help="planning of the week")
    plan_sub = plan.add_subparsers(dest="plan_command", required=True)
    suggest = plan_sub.add_parser("suggest", help="plan days with the routing engine: stops "
                                  "with arrival times, and what is left out with the reason")
    suggest.add_argument("--day", type=dt.date.fromisoformat, action="append", default=[],
                         help="YYYY-MM-DD (repeat; default: the operation's days still to come)")
    suggest.add_argument("--threshold", type=float, default=HIGH_PRIORITY, help="minimum priority")
    suggest.add_argument("--accept", action="store_true", help="apply the suggestion")
    suggest.add_argument("--user", default=CLI_USER)
    suggest.add_argument("--json", action="store_true")
    suggest.set_defaults(handler=cmd_plan_suggest)

    day = plan_sub.add_parser("day", help="a day's plan: each team's shift and timed stops")
    day.add_argument("--day", type=dt.date.fromisoformat, required=True, help="YYYY-MM-DD")
    day.add_argument("--json", action="store_true")
    day.set_defaults(handler=cmd_plan_day)

    week = plan_sub.add_parser("week", help="set the operation's name and dates")
    week.add_argument("--name", required=True)
    week.add_argument("--start", type=dt.date.fromisoformat, required=True, help="YYYY-MM-DD")
    week.add_argument(
        "--end", type=dt.date.fromisoformat, default=None, help="default: six days after start"
    )
    week.set_defaults(handler=cmd_plan_week)

    sheet = sub.add_parser("runsheet", help="write a team's run sheet for a day")
    sheet.add_argument("call_sign")
    sheet.add_argument("--day", type=dt.date.fromisoformat, required=True)
    sheet.add_argument("--format", choices=("html", "pdf", "csv"), default="pdf")
    sheet.add_argument("--out", type=Path, required=True)
    sheet.set_defaults(handler=cmd_runsheet)


def _services() -> Services:
    return Services(Config.from_env())


def cmd_teams_add(args: argparse.Namespace) -> int:
    """Add one team (start point as a postcode, LON,LAT or LAT,LON)."""
    svc = _services()
    try:
        point = parse_start(args.start, svc.postcodes)
        start, end = args.shift.split("-")
    except ValueError as exc:
        print(
            f"--start is a postcode or LON,LAT and --shift is HH:MM-HH:MM ({exc})", file=sys.stderr
        )
        return 2
    spec = TeamSpec(
        call_sign=args.call_sign,
        division=args.division,
        start_lon=point.lon,
        start_lat=point.lat,
        start_label=args.start_label or point.label,
        members=args.members,
        partners=tuple(args.partner),
        daily_capacity=args.capacity,
        shift_start=start,
        shift_end=end,
        break_minutes=args.break_minutes,
    )
    try:
        spec = dataclasses.replace(spec, skills=clean_skills(args.skill))
        with svc.db.write() as session:
            team = create_team(session, spec, args.user)
            print(f"team {team.call_sign} added (id {team.id})")
    except (PlanError, CallSignError, ValueError) as exc:
        print(f"not added: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_teams_list(args: argparse.Namespace) -> int:
    """List teams."""
    with _services().db.read() as session:
        teams = [team_dict(t) for t in list_teams(session)]
    if args.json:
        print(json.dumps(teams, indent=2))
        return 0
    for t in teams:
        partners = ", ".join(t["partners"]) or "-"
        print(
            f"{t['id']:>4}  {t['call_sign']:<14} {t['division']:<6} {t['daily_capacity']:>3}/day "
            f"{t['shift_start']}-{t['shift_end']}  {t['start_label']}  partners: {partners}"
        )
    return 0


def cmd_plan_suggest(args: argparse.Namespace) -> int:
    """Print (and with ``--accept`` apply) the suggested plan."""
    svc = _services()
    try:
        with svc.db.read() as session:
            days = args.day or days_ahead(operation_days(current_operation(session)),
                                          today_local())
            plan = suggest_plan(session, days, svc.travel, args.threshold)
    except (ValueError, OutsideOperation) as exc:
        print(f"no plan: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(plan.as_dict(), indent=2))
    else:
        for s in plan.stops:
            print(f"location {s.location_id:>6} -> team {s.team_id} {s.day.isoformat()} "
                  f"stop {s.position + 1} {s.eta:%H:%M}-{s.etd:%H:%M}")
        for left in plan.unplanned:
            print(f"location {left['location_id']:>6} not planned ({left['reason']}): "
                  f"{left['detail']}")
    if args.accept and plan.stops:
        with svc.db.write() as session:
            report = accept_plan(session, plan.as_records(), args.user)
        print(f"accepted {len(report.done)}, skipped {len(report.skipped)}", file=sys.stderr)
        for w in report.warnings:
            print(f"warning: {w}", file=sys.stderr)
    return 0


def cmd_plan_day(args: argparse.Namespace) -> int:
    """Print a day's plan: per team its shift and stops with arrival and departure."""
    svc = _services()
    try:
        with svc.db.read() as session:
            body = day_plan(session, args.day, svc.travel)
    except OutsideOperation as exc:
        print(f"no plan: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(body, indent=2))
        return 0
    for team in body["teams"]:
        shift = team["shift"]
        print(f"{team['call_sign']}: shift {shift['start'][11:16]}-{shift['end'][11:16]}, "
              f"{team['shift_left_minutes']} min left at the end")
        for stop in team["stops"]:
            eta, etd = (stop["eta"] or "")[11:16], (stop["etd"] or "")[11:16]
            print(f"  {stop['stop']:>2}. location {stop['location_id']:>6} "
                  f"{eta or '--:--'}-{etd or '--:--'} (window {stop['window_from'] or 'any'}"
                  f"-{stop['window_until'] or 'time'}) {stop['status']}")
    return 0


def cmd_plan_week(args: argparse.Namespace) -> int:
    """Record the operation (the newest one is current) with its dates."""
    from layers.core.models import Operation

    end = args.end or args.start + dt.timedelta(days=6)
    if end < args.start:
        print("--end is before --start", file=sys.stderr)
        return 2
    with _services().db.write() as session:
        session.add(Operation(name=args.name, start_date=args.start, end_date=end, is_demo=False))
    print(f"operation {args.name}: {args.start:%a %d %b} to {end:%a %d %b %Y}")
    return 0


def cmd_runsheet(args: argparse.Namespace) -> int:
    """Write one run sheet (a disclosure: logged)."""
    svc = _services()
    with svc.db.read() as session:
        team = next((t for t in list_teams(session) if t.call_sign == args.call_sign), None)
        if team is None:
            print(f"no team {args.call_sign!r}", file=sys.stderr)
            return 1
        try:
            sheet = build_runsheet(session, team.id, args.day, svc.config.marking, svc.travel,
                                   district_names(svc.boundaries))
        except OutsideOperation as exc:
            print(f"no run sheet: {exc}", file=sys.stderr)
            return 1
    with svc.db.write(bump=False) as session:
        record_disclosure(session, sheet, CLI_USER, args.format, via="CLI")
    if args.format == "pdf":
        args.out.write_bytes(runsheet_pdf(sheet))
    elif args.format == "csv":
        args.out.write_text(runsheet_csv(sheet), encoding="utf-8-sig")
    else:
        args.out.write_text(runsheet_html(sheet), encoding="utf-8")
    print(f"wrote {args.out} ({len(sheet.rows)} stops)")
    return 0
