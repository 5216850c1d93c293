"""Component ids of the networks pages (the grid and one network's view)."""

from enum import StrEnum


class Ids(StrEnum):
    """Every id on the networks pages."""

    GRID = "net-grid"
    REBUILD = "net-rebuild"
    JOB = "net-job"
    JOB_STATUS = "net-job-status"
    POLL = "net-poll"
    NETWORK = "net-network"
    REVIEW = "net-review"
    NOTE = "net-note"
    CONFIRM = "net-confirm"
    DISMISS = "net-dismiss"
    SPLIT = "net-split"
    MERGE = "net-merge"
    MERGE_WITH = "net-merge-with"
    DECIDED = "net-decided"
    MAP = "net-map"
    TIMELINE = "net-timeline"
    GRAPH = "net-graph"
    ADVERTS = "net-adverts"
