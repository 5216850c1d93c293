"""Planning the week of action: teams, assignments, priority, allocation, routes, run sheets.

The pure parts (:mod:`.priority`, :mod:`.allocation`, :mod:`.routing`, :mod:`.capacity`) work on
numpy arrays and plain dataclasses so they are tested and benchmarked without a database. The
store parts take a SQLAlchemy session from :meth:`layers.core.db.Database.read` /
:meth:`~layers.core.db.Database.write`:

- :mod:`.teams`: teams and their checks (call signs, start points by postcode or coordinates);
- :mod:`.assignments`: assign, move and unassign one location (with capacity and versions);
- :mod:`.bulk`: many at once (the page's bulk assign, an accepted suggestion), row by row;
- :mod:`.stop_order`: a team-day's order, by hand or along the optimised route;
- :mod:`.status_changes`: the one status change every front end makes;
- :mod:`.plan_history`: how plan changes are recorded, and the conflicts they answer;
- :mod:`.candidates`, :mod:`.board`, :mod:`.runsheet`, :mod:`.location_view`: what is read.
"""
