"""Component ids of the planning page, shared by its layout and callbacks."""

from enum import StrEnum

from dashboard.components.status_form import StatusFormIds


class Ids(StrEnum):
    """Every id on the planning page (one place, so layout and callbacks agree)."""

    MAP = "pln-map"
    GRID = "pln-grid"
    TEAM = "pln-team"
    DAY = "pln-day"
    REASON = "pln-reason"
    SAFETY = "pln-safety"
    OVER_CAPACITY = "pln-over-capacity"
    ASSIGN = "pln-assign"
    UNASSIGN = "pln-unassign"
    OPTIMISE = "pln-optimise"
    REPLAN = "pln-replan"
    REPLAN_PROPOSAL = "pln-replan-proposal"
    REPLAN_SUMMARY = "pln-replan-summary"
    REPLAN_ACCEPT = "pln-replan-accept"
    REPLAN_REJECT = "pln-replan-reject"
    SUGGEST = "pln-suggest"
    ACCEPT = "pln-accept"
    SUGGESTION = "pln-suggestion"
    SUGGESTION_SUMMARY = "pln-suggestion-summary"
    MESSAGE = "pln-message"
    REFRESH = "pln-refresh"
    REVISION = "pln-revision"
    GRID_FILTERS = "pln-grid-filters"
    POLL = "pln-poll"
    STOPS = "pln-stops"
    ROUTE_INFO = "pln-route-info"
    RUNSHEETS = "pln-runsheets"
    CAPACITY = "pln-capacity"
    TEAM_FORM = "pln-team-form"
    TEAM_CALL_SIGN = "pln-team-call-sign"
    TEAM_DIVISION = "pln-team-division"
    TEAM_CAPACITY = "pln-team-capacity"
    TEAM_MEMBERS = "pln-team-members"
    TEAM_PARTNERS = "pln-team-partners"
    TEAM_START = "pln-team-start"
    TEAM_PICK = "pln-team-pick"
    TEAM_LABEL = "pln-team-label"
    TEAM_SHIFT = "pln-team-shift"
    TEAM_BREAK = "pln-team-break"
    TEAM_SKILLS = "pln-team-skills"
    TEAM_MESSAGE = "pln-team-message"
    ADD_TEAM = "pln-add-team"


TEAM_FIELDS: dict[str, Ids] = {
    "call_sign": Ids.TEAM_CALL_SIGN,
    "division": Ids.TEAM_DIVISION,
    "members": Ids.TEAM_MEMBERS,
    "capacity": Ids.TEAM_CAPACITY,
    "shift": Ids.TEAM_SHIFT,
    "break": Ids.TEAM_BREAK,
    "skills": Ids.TEAM_SKILLS,
    "partners": Ids.TEAM_PARTNERS,
    "start": Ids.TEAM_START,
    "label": Ids.TEAM_LABEL,
}
"""The team form's fields (as :func:`layers.planning.teams.team_form` names them) and inputs."""
TEAM_DEFAULTS: dict[str, object] = {"members": 2, "capacity": 6, "shift": "08:00-16:00",
                                    "break": 0}
"""What a cleared team form shows again."""
MOVE_UP = "pln-move-up"
"""Pattern-matching id type of a stop's "earlier" button: ``{"type": MOVE_UP, "index": id}``."""
MOVE_DOWN = "pln-move-down"
TEAM_ERROR = "pln-team-error"
"""Pattern-matching id type of a team field's error: ``{"type": TEAM_ERROR, "field": name}``."""
STATUS_FORM = StatusFormIds("pln")
"""The status-change form for the one selected location (``pln-next-status``, ...)."""
