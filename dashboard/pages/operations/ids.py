"""Component ids of the operations page, shared by its layout and callbacks."""

from enum import StrEnum

from dashboard.components.area_filters import AreaIds
from dashboard.components.status_form import StatusFormIds


class Ids(StrEnum):
    """Every id on the operations page (one place, so layout and callbacks agree)."""

    MAP = "ops-map"
    LAYERS = "ops-layers"
    COLOUR_BY = "ops-colour-by"
    DIVISION_FILL = "ops-division-fill"
    DIVISION = AreaIds.DIVISION.value
    DISTRICT = AreaIds.DISTRICT.value
    DAY = "ops-day"
    STATUS = AreaIds.STATUS.value
    PREMISES_TYPE = "ops-premises-type"
    RISK = "ops-risk"
    CHANNEL = "ops-channel"
    GRADE_SOURCE = "ops-grade-source"
    GRADE_INTEL = "ops-grade-intel"
    RESET = "ops-reset"
    FILTERS = "ops-filters"
    FILTERS_OPEN = "ops-filters-open"
    FILTERS_CLOSE = "ops-filters-close"
    COUNTS = "ops-counts"
    TABLE = "ops-table"
    VIEW_STATE = "ops-view-state"
    REFRESH = "ops-refresh"
    POLL = "ops-poll"
    NOTICE = "ops-notice"
    PANEL = "ops-panel"
    PANEL_HEAD = "ops-panel-head"
    PANEL_BODY = "ops-panel-body"
    SELECTED = "ops-selected"
    CLOSE_PANEL = "ops-close-panel"
    FIND = "ops-find"
    LIST = "ops-list"
    LIST_SUMMARY = "ops-list-summary"
    LIST_KEY = "ops-list-key"
    PICK = "ops-pick"


STATUS_FORM = StatusFormIds("ops")
"""The status-change form in the location panel (ids ``ops-next-status``, ``ops-outcome``...)."""
