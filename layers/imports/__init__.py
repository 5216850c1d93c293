"""Analysts' imports: files in (CSV/TSV, XLSX, GeoJSON, GeoPackage, zipped Shapefile, KML/KMZ),
validated, previewed, committed as one undoable batch.

The public surface:

- :func:`import_file` reads, locates, validates and de-duplicates a file, then previews
  (``dry_run=True``) or commits it; it returns an :class:`ImportResult` whose
  :class:`ImportReport` lists what was accepted, rejected (row, column, reason), duplicated, or
  kept with a value the vocabulary lacks.
- :func:`list_imports` and :func:`undo_import` treat a committed import as a unit; undo keeps
  whatever others have acted on.
- :mod:`layers.maplayers.store` manages analysts' own layers (style, visibility, name).

Importing this package switches GDAL's and PROJ's network access off for the process
(:mod:`layers.imports.offline`): no import may ever open a network connection.
"""

from layers.imports.offline import disable_network

disable_network()

# The public surface is imported after the network is off, so no reader ever runs before it.
from layers.imports.batches import (  # noqa: E402
    ImportNotFound,
    ImportSummary,
    get_import,
    import_report,
    list_imports,
)
from layers.imports.choices import parse_value_args  # noqa: E402
from layers.imports.mapping import CUSTOM, parse_map_args  # noqa: E402
from layers.imports.outcome import ImportResult  # noqa: E402
from layers.imports.pipeline import IMPORT_KINDS, import_file  # noqa: E402
from layers.imports.report import ImportReport, RowProblem  # noqa: E402
from layers.imports.safety import ImportRefused  # noqa: E402
from layers.imports.undo import (  # noqa: E402
    AlreadyUndone,
    Undoer,
    UndoNotPermitted,
    UndoOutcome,
    UndoRefused,
    undo_import,
)

__all__ = [
    "CUSTOM",
    "IMPORT_KINDS",
    "AlreadyUndone",
    "ImportNotFound",
    "ImportRefused",
    "ImportReport",
    "ImportResult",
    "ImportSummary",
    "RowProblem",
    "UndoNotPermitted",
    "UndoOutcome",
    "UndoRefused",
    "Undoer",
    "get_import",
    "import_file",
    "import_report",
    "list_imports",
    "parse_map_args",
    "parse_value_args",
    "undo_import",
]
