"""The status-change form every page uses (operations map, planning page): layout and glue.

A page puts :func:`status_form` in its layout and tells the form which location it is about by
writing a *subject* (:func:`subject`) into the form's store; :func:`register_status_form` adds
the form's callbacks. The rules are the domain's: the choices, the preselected next status and
how status and outcome stay consistent come from :mod:`layers.core.status`; saving is
:func:`layers.planning.status_changes.set_status`, so choosing an outcome for a planned visit
closes it in one save on every page, with the steps in between in its history.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.access import ADMIN, COMMANDER, OPERATIONAL, current_principal, require
from dashboard.components.feedback import run_change
from dashboard.components.fields import choices, labelled
from dashboard.context import services
from layers.core.status import (
    ACTIONED,
    OUTCOMES,
    RESULT_FIELDS,
    STATUS_LABELS,
    default_next_status,
    status_choices,
    sync_choice,
)
from layers.planning.status_changes import set_status

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StatusFormIds:
    """The ids of one page's status form (a prefix keeps two pages' forms apart)."""

    prefix: str

    @property
    def subject(self) -> str:
        """Store: the location the form is about (see :func:`subject`)."""
        return f"{self.prefix}-status-subject"

    @property
    def hint(self) -> str:
        """How to choose a location (shown while there is none)."""
        return f"{self.prefix}-status-hint"

    @property
    def body(self) -> str:
        """The form's controls (shown once there is a location)."""
        return f"{self.prefix}-status-body"

    @property
    def target(self) -> str:
        """Which location, and its team, day, stop and priority."""
        return f"{self.prefix}-status-target"

    @property
    def status(self) -> str:
        """The "Move to" choice."""
        return f"{self.prefix}-next-status"

    @property
    def outcome(self) -> str:
        """The outcome (clearable)."""
        return f"{self.prefix}-outcome"

    @property
    def result(self) -> str:
        """Pattern-matching type of the result inputs: ``{"type": result, "field": key}``."""
        return f"{self.prefix}-result"

    @property
    def note(self) -> str:
        """The note kept in the history."""
        return f"{self.prefix}-note"

    @property
    def save(self) -> str:
        """The save button."""
        return f"{self.prefix}-save-status"

    @property
    def message(self) -> str:
        """What saving did."""
        return f"{self.prefix}-status-message"


def subject(
    location_id: int, version: int, status: str, label: str, facts: str = ""
) -> dict[str, Any]:
    """What a page writes into the form's store: the location and the version it shows."""
    return {"id": location_id, "version": version, "status": status, "label": label, "facts": facts}


def status_form(ids: StatusFormIds, editable: bool, hint: str = "") -> html.Div:
    """The form (hidden for roles that may not change statuses): filled in by its callbacks.

    Until the page names a location, only ``hint`` shows (say how to choose one).
    """
    results = [
        html.Label(
            [label, dcc.Input(id={"type": ids.result, "field": key}, type="number", min=0, step=1)]
        )
        for key, label in RESULT_FIELDS.items()
    ]
    outcome = dcc.Dropdown(
        id=ids.outcome,
        options=[{"label": v, "value": k} for k, v in OUTCOMES.items()],
        clearable=True,
        placeholder="No outcome",
    )
    body = html.Div(
        [
            html.H3("Change status"),
            html.Div(id=ids.target, className="status-target"),
            choices("Move to", dcc.RadioItems(id=ids.status, options=[], className="radio")),
            labelled("Outcome (closes the visit in one save)", outcome, ids.outcome),
            html.Div(results, className="results"),
            labelled("Note (kept in the history)", dcc.Input(id=ids.note, type="text"), ids.note),
            html.Button("Save status", id=ids.save, className="button primary", disabled=True),
        ],
        id=ids.body,
        hidden=True,
    )
    return html.Div(
        [
            html.P(hint, id=ids.hint, className="muted", hidden=not hint),
            body,
            html.Div(id=ids.message, role="status", className="toast"),
            dcc.Store(id=ids.subject),
        ],
        className="status-form",
        hidden=not editable,
    )


def form_state(
    about: dict[str, Any] | None, status: str | None, outcome: str | None, changed: str
) -> dict[str, Any]:
    """The form's controls for a new subject (``changed == "subject"``) or after a choice."""
    if not about:
        return {"target": "", "options": [], "status": None, "outcome": None, "disabled": True}
    current = str(about["status"])
    choices = status_choices(current)
    options = [{"label": STATUS_LABELS[s], "value": s} for s in choices]
    if changed == "subject":
        status, outcome = default_next_status(current), None
    else:
        status, outcome = sync_choice(current, status, outcome, changed)
    head = f"{about['label']} · {STATUS_LABELS.get(current, current)}"
    target = [html.Strong(head), html.Div(about.get("facts") or "", className="muted")]
    return {
        "target": target,
        "options": options,
        "status": status,
        "outcome": outcome,
        "disabled": False,
    }


def register_status_form(app: Dash, ids: StatusFormIds, refresh: str) -> None:
    """Add the form's callbacks; a save bumps the page's ``refresh`` store so it redraws."""
    _register_follow(app, ids)
    _register_save(app, ids, refresh)


def _register_follow(app: Dash, ids: StatusFormIds) -> None:
    results = {"type": ids.result, "field": ALL}

    @app.callback(
        output={
            "target": Output(ids.target, "children"),
            "options": Output(ids.status, "options"),
            "status": Output(ids.status, "value"),
            "outcome": Output(ids.outcome, "value"),
            "disabled": Output(ids.save, "disabled"),
            "hidden": Output(ids.body, "hidden"),
            "hint_hidden": Output(ids.hint, "hidden"),
            "results": Output(results, "value"),
            "results_off": Output(results, "disabled"),
        },
        inputs={
            "about": Input(ids.subject, "data"),
            "status": Input(ids.status, "value"),
            "outcome": Input(ids.outcome, "value"),
        },
        state={"result_ids": State(results, "id"), "hint": State(ids.hint, "children")},
    )
    @require(*OPERATIONAL)
    def follow(
        about: dict[str, Any] | None,
        status: str | None,
        outcome: str | None,
        result_ids: list,
        hint: str | None,
    ) -> dict[str, Any]:
        """Fill the form for its subject, and keep status and outcome consistent."""
        changed = {ids.status: "status", ids.outcome: "outcome"}.get(ctx.triggered_id, "subject")
        state = form_state(about, status, outcome, changed)
        n = len(result_ids)
        blank = [None] * n if changed == "subject" else [no_update] * n
        off = [state["outcome"] != ACTIONED] * n
        shown = {"hidden": not about, "hint_hidden": bool(about) or not hint}
        return {**state, **shown, "results": blank, "results_off": off}


def _register_save(app: Dash, ids: StatusFormIds, refresh: str) -> None:
    results = {"type": ids.result, "field": ALL}

    @app.callback(
        output={
            "message": Output(ids.message, "children"),
            "refresh": Output(refresh, "data", allow_duplicate=True),
        },
        inputs={"clicks": Input(ids.save, "n_clicks")},
        state={
            "about": State(ids.subject, "data"),
            "form": {
                "status": State(ids.status, "value"),
                "outcome": State(ids.outcome, "value"),
                "values": State(results, "value"),
                "fields": State(results, "id"),
                "note": State(ids.note, "value"),
            },
            "shown": State(refresh, "data"),
        },
        prevent_initial_call=True,
    )
    @require(ADMIN, COMMANDER)
    def save(
        clicks: int | None, about: dict[str, Any] | None, form: dict[str, Any], shown: int | None
    ) -> dict[str, Any]:
        """Save the change at the version the form was opened at (a stale one is refused)."""
        if not clicks or not about:
            raise PreventUpdate
        user = current_principal().username
        figures = {i["field"]: v for i, v in zip(form["fields"], form["values"], strict=True)}

        def work(session: Any) -> str:
            loc = set_status(
                session,
                int(about["id"]),
                form["status"],
                int(about["version"]),
                user,
                form["note"],
                form["outcome"],
                figures,
            )
            return saved_message(str(about["label"]), str(about["status"]), loc.status)

        done = run_change(services().db, work)
        return {"message": done.toast(), "refresh": (shown or 0) + 1 if done.changed else no_update}


def saved_message(label: str, before: str, after: str) -> str:
    """What the form says after a save: the new status, and what it was before."""
    was = STATUS_LABELS.get(before, before)
    return f"Saved: {label} is now {STATUS_LABELS[after]} (was {was})."
