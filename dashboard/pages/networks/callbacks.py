"""Callbacks of the networks pages: rebuild on demand with progress, and analysts' decisions.

Glue only: the rebuild is a background job (:mod:`layers.networks.rebuild`), its progress read
from the job queue; decisions are :func:`layers.networks.review.decide`.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import Dash, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.access import ADMIN, ANALYST, current_principal, require
from dashboard.context import services
from dashboard.pages.networks.ids import Ids
from dashboard.pages.networks.layout import grid_rows
from layers.core.errors import NotFound, RuleError
from layers.jobs import queue
from layers.jobs.models import DONE, FAILED
from layers.networks.decisions import CONFIRM, DISMISS, MERGE, REVIEW, SPLIT
from layers.networks.reads import network_rows
from layers.networks.rebuild import submit_rebuild
from layers.networks.review import decide

logger = logging.getLogger(__name__)

DECIDERS = (ADMIN, ANALYST)
BUTTONS = {Ids.CONFIRM: CONFIRM, Ids.DISMISS: DISMISS, Ids.SPLIT: SPLIT, Ids.MERGE: MERGE}


def job_text(job: queue.JobView) -> str:
    """A job's progress in words."""
    if job.state == FAILED:
        return f"Rebuild failed: {job.message}"
    if job.state == DONE:
        return f"Rebuilt: {(job.result or {}).get('networks', 0)} networks."
    return f"Rebuilding ({job.progress}%): {job.message}"


def register_callbacks(app: Dash) -> None:
    """Register the pages' callbacks on ``app``."""
    _register_rebuild(app)
    _register_decisions(app)


def _register_rebuild(app: Dash) -> None:
    @app.callback(
        output=dict(job=Output(Ids.JOB, "data"), off=Output(Ids.POLL, "disabled")),
        inputs=dict(clicks=Input(Ids.REBUILD, "n_clicks")),
        prevent_initial_call=True,
    )
    @require(*DECIDERS)
    def rebuild(clicks: int | None) -> dict[str, Any]:
        """Queue a rebuild and start following its progress."""
        if not clicks:
            raise PreventUpdate
        with services().db.write(bump=False) as session:
            job_id = submit_rebuild(session, current_principal().username)
        return dict(job=job_id, off=False)

    @app.callback(
        output=dict(
            status=Output(Ids.JOB_STATUS, "children"),
            off=Output(Ids.POLL, "disabled", allow_duplicate=True),
            rows=Output(Ids.GRID, "rowData"),
        ),
        inputs=dict(_tick=Input(Ids.POLL, "n_intervals")),
        state=dict(job_id=State(Ids.JOB, "data")),
        prevent_initial_call=True,
    )
    @require(*DECIDERS)
    def follow(_tick: int | None, job_id: int | None) -> dict[str, Any]:
        """Show the job's progress; refresh the grid when it is done."""
        if job_id is None:
            raise PreventUpdate
        job = queue.get(services().db, int(job_id))
        finished = job.state in (DONE, FAILED)
        rows: Any = no_update
        if job.state == DONE:
            with services().db.read() as session:
                rows = grid_rows(network_rows(session))
        return dict(status=job_text(job), off=finished, rows=rows)


def _register_decisions(app: Dash) -> None:
    @app.callback(
        output=dict(said=Output(Ids.DECIDED, "children"), review=Output(Ids.REVIEW, "children")),
        inputs=dict(
            _confirm=Input(Ids.CONFIRM, "n_clicks"),
            _dismiss=Input(Ids.DISMISS, "n_clicks"),
            _split=Input(Ids.SPLIT, "n_clicks"),
            _merge=Input(Ids.MERGE, "n_clicks"),
        ),
        state=dict(
            network=State(Ids.NETWORK, "data"),
            note=State(Ids.NOTE, "value"),
            other=State(Ids.MERGE_WITH, "value"),
            selected=State(Ids.ADVERTS, "selectedRows"),
        ),
        prevent_initial_call=True,
    )
    @require(*DECIDERS)
    def decided(
        network: int,
        note: str | None,
        other: int | None,
        selected: list[dict[str, Any]] | None,
        **_clicks: int | None,
    ) -> dict[str, Any]:
        """Record the decision of the button pressed (split: the selected adverts)."""
        action = BUTTONS.get(Ids(ctx.triggered_id)) if ctx.triggered_id else None
        if action is None:
            raise PreventUpdate
        adverts = [int(r["id"]) for r in selected or []]
        try:
            with services().db.write() as session:
                done = decide(
                    session,
                    int(network),
                    action,
                    current_principal().username,
                    note,
                    adverts,
                    other,
                )
        except (RuleError, NotFound) as exc:
            return dict(said=html.Span(str(exc), className="error"), review=no_update)
        if done.job_id is None:
            return dict(said=f"Recorded: {action}.", review=REVIEW[action])
        return dict(
            said=f"Recorded: {action}; the networks are being rebuilt (job {done.job_id}).",
            review=no_update,
        )
