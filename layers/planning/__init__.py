"""Planning the week of action: teams, assignments, priority, plans in time, run sheets.

The pure parts (:mod:`.priority`, :mod:`.capacity`, :mod:`.visit_rules`, :mod:`.solver`) work
on numpy arrays and plain dataclasses so they are tested and benchmarked without a database.
The store parts take a SQLAlchemy session from :meth:`layers.core.db.Database.read` /
:meth:`~layers.core.db.Database.write`:

- :mod:`.teams`, :mod:`.team_time`: teams, their checks, shifts, breaks, bases and skills;
- :mod:`.visit_rules`: each premises' visit window, duration, skills and days;
- :mod:`.assignments`: assign, move and unassign one location (with capacity and versions);
- :mod:`.bulk`: many at once (the page's bulk assign, an accepted plan), row by row;
- :mod:`.plan_build`, :mod:`.plan_time`: the routing engine's problem, suggested and accepted
  plans with their times; :mod:`.replan_day`: re-planning (or optimising) one team-day;
- :mod:`.status_changes`: the one status change every front end makes;
- :mod:`.plan_history`: how plan changes are recorded, and the conflicts they answer;
- :mod:`.candidates`, :mod:`.board`, :mod:`.day_view`, :mod:`.runsheet`,
  :mod:`.location_view`: what is read.
"""
