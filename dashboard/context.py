"""The application's :class:`layers.services.Services`, for callbacks and routes.

Callbacks ask this function for the store instead of importing a global, so each application
(and each test) brings its own configuration and database.
"""

from __future__ import annotations

from flask import current_app

from layers.services import Services


def services() -> Services:
    """The services of the application handling the current request."""
    return current_app.extensions["opsmap"]
