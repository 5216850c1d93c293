"""Component ids of the progress board, shared by its layout and callbacks."""

from enum import StrEnum


class Ids(StrEnum):
    """Every id on the progress board."""

    MAP = "brd-map"
    TOTALS = "brd-totals"
    LATE = "brd-late"
    BY_DAY = "brd-by-day"
    BY_TEAM = "brd-by-team"
    BY_DISTRICT = "brd-by-district"
    BY_DIVISION = "brd-by-division"
    LEFT_SCOPE = "brd-left-scope"
    LEFT = "brd-left"
    LEFT_TITLE = "brd-left-title"
    DAY = "brd-day"
    POLL = "brd-poll"
    REVISION = "brd-revision"
    UPDATED = "brd-updated"
