"""Planning the week of action: teams, assignments, priority, allocation, routes, run sheets.

The pure parts (:mod:`.priority`, :mod:`.allocation`, :mod:`.routing`, :mod:`.capacity`) work on
numpy arrays and plain dataclasses so they are tested and benchmarked without a database. The
store parts (:mod:`.store`, :mod:`.board`, :mod:`.candidates`, :mod:`.runsheet`) take a SQLAlchemy
session from :meth:`layers.core.db.Database.read` / :meth:`~layers.core.db.Database.write`.
"""
