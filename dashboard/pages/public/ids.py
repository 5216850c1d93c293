"""Component ids of the "Public updates" page, shared by its layout and callbacks."""

from enum import StrEnum


class Ids(StrEnum):
    """Every id on the public updates page."""

    START = "pub-start"
    END = "pub-end"
    SCOPE = "pub-scope"
    DRAFT = "pub-draft"
    DRAFT_MESSAGE = "pub-draft-message"
    REFRESH = "pub-refresh"
    PICK = "pub-pick"
    CHOSEN = "pub-chosen"
    DETAIL = "pub-detail"
    NOTE = "pub-note"
    APPROVE = "pub-approve"
    REJECT = "pub-reject"
    DECIDE_MESSAGE = "pub-decide-message"
    EXPORT = "pub-export"
    EXPORT_MESSAGE = "pub-export-message"
    DOWNLOAD = "pub-download"
    STATUS = "pub-status"
    CHECKS = "pub-checks"
    X_TEXT = "pub-x-text"
    FACEBOOK_TEXT = "pub-facebook-text"
