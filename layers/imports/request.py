"""How to import one file: as what, by whom, with which mappings, and whether to store it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from layers.imports.choices import ValueMap

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportRequest:
    """How to import one file: as what, by whom, with which mappings, and whether to store it."""

    kind: str
    username: str
    name: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    """Column -> field or location role, overriding the automatic guess."""
    values: ValueMap = field(default_factory=dict)
    """Field -> {value in the file -> known value} for choice fields."""
    dry_run: bool = True
