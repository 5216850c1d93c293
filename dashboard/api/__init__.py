"""The JSON API: one blueprint per capability, one error helper (:mod:`.errors`).

:func:`blueprints` lists them for ``create_app``; add a capability's blueprint here.
"""

from __future__ import annotations

from flask import Blueprint


def blueprints() -> list[Blueprint]:
    """Every API blueprint, imported when the app is built (not when the package is)."""
    from dashboard.api.briefing import briefing_blueprint
    from dashboard.api.core import api_blueprint
    from dashboard.api.errors import errors_blueprint
    from dashboard.api.field import field_api
    from dashboard.api.health import health_blueprint
    from dashboard.api.imports import imports_api
    from dashboard.api.networks import networks_api
    from dashboard.api.operation import operation_api
    from dashboard.api.plan_time import plan_time_api
    from dashboard.api.planning import planning_api
    from dashboard.api.public import public_api

    return [
        errors_blueprint,
        health_blueprint,
        api_blueprint,
        planning_api,
        plan_time_api,
        briefing_blueprint,
        imports_api,
        public_api,
        operation_api,
        networks_api,
        field_api,
    ]
