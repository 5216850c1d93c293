"""Analysts' imports: files in (CSV/TSV, XLSX, GeoJSON, GeoPackage, zipped Shapefile, KML/KMZ),
validated, previewed, committed as one undoable batch.

The public surface:

- :func:`import_file` reads, locates, validates and de-duplicates a file, then previews
  (``dry_run=True``) or commits it; it returns an :class:`ImportResult` whose
  :class:`ImportReport` lists what was accepted, rejected (row, column, reason) or duplicated.
- :func:`list_imports`, :func:`undo_import` treat a committed import as a unit.
- :mod:`layers.maplayers.store` manages analysts' own layers (style, visibility, name).
"""

from layers.imports.batches import (
    ImportSummary,
    UndoRefused,
    import_report,
    list_imports,
    undo_import,
)
from layers.imports.mapping import CUSTOM, parse_map_args
from layers.imports.pipeline import IMPORT_KINDS, ImportResult, import_file
from layers.imports.report import ImportReport, RowProblem
from layers.imports.safety import ImportRefused

__all__ = [
    "CUSTOM",
    "IMPORT_KINDS",
    "ImportRefused",
    "ImportReport",
    "ImportResult",
    "ImportSummary",
    "RowProblem",
    "UndoRefused",
    "import_file",
    "import_report",
    "list_imports",
    "parse_map_args",
    "undo_import",
]
