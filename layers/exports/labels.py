"""Column labels a person reads in a spreadsheet export (``Risk rating``, not ``risk``).

Built-in columns take the label their kind declares (:mod:`layers.core.kinds`) or a common one
here; a custom layer's own attribute names are the analyst's and stay as they are. GeoJSON and
GeoPackage keep the short field names GIS tools expect.
"""

from __future__ import annotations

from layers.core.kinds import KINDS

COMMON_LABELS: dict[str, str] = {
    "id": "OpsMap id",
    "kind": "Layer",
    "lon": "Longitude",
    "lat": "Latitude",
    "easting": "Easting (BNG)",
    "northing": "Northing (BNG)",
    "district_name": "District",
    "district_code": "District code",
    "division": "Division",
    "status": "Status",
    "outcome": "Outcome",
    "version": "Version",
    "phone_hash": "Phone (hashed)",
    "original_values": "Values not in the list (as in the file)",
    "source": "Source file",
    "created_by": "Imported by",
    "created_at": "Imported at (UTC)",
    "import_id": "Import number",
    "is_demo": "Demo data",
    "wkt": "Geometry (WKT, WGS84)",
}

ADDED_TO_CUSTOM = frozenset({"district_name", "district_code", "wkt"})
"""The columns OpsMap adds to a custom layer's own attributes."""


def column_labels(columns: list[str], kind: str | None) -> list[str]:
    """Readable labels for ``columns`` of a built-in ``kind`` (or a custom layer: ``None``)."""
    if kind not in KINDS:
        return [COMMON_LABELS[c] if c in ADDED_TO_CUSTOM else c for c in columns]
    fields = {f.name: f.label for f in KINDS[kind].fields}
    labels = []
    for column in columns:
        label = fields.get(column) or COMMON_LABELS.get(column) or column
        if column == "observed_at" and kind in KINDS:
            label += " (UTC)"
        labels.append(label)
    return labels
