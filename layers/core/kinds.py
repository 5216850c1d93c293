"""The three built-in layer kinds and their explicit schemas.

Importers map a file's columns onto these fields, the side panel shows them with their labels,
and the briefing's redaction rules read ``sensitive`` from here: one declaration serves all.
"""

from __future__ import annotations

from dataclasses import dataclass

PREMISES = "premises"
TIPOFFS = "tipoffs"
ADVERTS = "adverts"
KIND_NAMES: tuple[str, ...] = (PREMISES, TIPOFFS, ADVERTS)

CHANNELS: tuple[str, ...] = (
    "101",
    "999",
    "Crimestoppers",
    "Modern Slavery Helpline",
    "online",
    "partner agency",
)
PREMISES_TYPES: tuple[str, ...] = (
    "residential",
    "massage parlour",
    "nail bar",
    "car wash",
    "hand car wash",
    "hotel",
    "short-term let",
    "takeaway",
    "farm",
    "factory",
    "HMO",
    "brothel/sauna",
    "flat above a shop",
    "tanning salon",
    "barber",
    "warehouse",
    "agricultural",
    "other",
)
RISKS: tuple[str, ...] = ("high", "medium", "low")
GRADE_SOURCE: tuple[str, ...] = ("1", "2", "3")
GRADE_INTEL: tuple[str, ...] = ("A", "B", "C", "D", "E")
GRADE_HANDLING: tuple[str, ...] = ("P", "C")

PLACE_COLUMNS: tuple[str, ...] = ("id", "kind", "lon", "lat", "easting", "northing")
"""What every location is first: its id, its kind and its point (WGS84, then British National
Grid). Every frame of locations (map, export, briefing) starts with these."""
DESCRIPTIVE_COLUMNS: tuple[str, ...] = (
    "premises_type",
    "risk",
    "channel",
    "grade_source",
    "grade_intel",
    "grade_handling",
    "site",
)
"""The kinds' short descriptive fields: the map filters by them and the briefing may show them."""


@dataclass(frozen=True)
class Field:
    """One attribute of a kind: its column, label, type and the values it may take.

    ``sensitive`` fields (free text, names, phone information) never leave the server for the
    briefing role or the briefing pack.
    """

    name: str
    label: str
    type: str = "str"  # str | int | float | datetime | choice
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    sensitive: bool = False


@dataclass(frozen=True)
class Kind:
    """A built-in layer kind: its name, label, reference field and attribute schema."""

    name: str
    label: str
    singular: str
    ref_field: str
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field:
        """The field called ``name`` (KeyError when the kind has none)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.label} have no field {name!r}")


KINDS: dict[str, Kind] = {
    PREMISES: Kind(
        PREMISES,
        "Suspected premises",
        "premises",
        "ref",
        (
            Field("ref", "Reference", required=True, max_length=64),
            Field("address", "Address", max_length=500, sensitive=True),
            Field("postcode", "Postcode", max_length=10),
            Field("premises_type", "Premises type", "choice", choices=PREMISES_TYPES),
            Field("risk", "Risk rating", "choice", required=True, choices=RISKS),
            Field("notes", "Notes", max_length=4000, sensitive=True),
        ),
    ),
    TIPOFFS: Kind(
        TIPOFFS,
        "Tip-offs",
        "tip-off",
        "ref",
        (
            Field("ref", "Reference", max_length=64),
            Field("observed_at", "Received", "datetime", required=True),
            Field("channel", "Channel", "choice", required=True, choices=CHANNELS),
            Field("grade_source", "Source grade (1-3)", "choice", choices=GRADE_SOURCE),
            Field("grade_intel", "Intelligence grade (A-E)", "choice", choices=GRADE_INTEL),
            Field("grade_handling", "Handling (P/C)", "choice", choices=GRADE_HANDLING),
            Field("summary", "Summary", max_length=4000, sensitive=True),
            Field("linked_premises_id", "Linked premises", "int"),
        ),
    ),
    ADVERTS: Kind(
        ADVERTS,
        "Advert geotags",
        "advert",
        "ref",
        (
            Field("site", "Site", required=True, max_length=64),
            Field("ref", "Advert id", required=True, max_length=64),
            Field("phone_last3", "Phone (last 3 digits)", max_length=3, sensitive=True),
            Field("observed_at", "Posted", "datetime"),
            Field("accuracy_m", "Location accuracy (m)", "float"),
            Field("title", "Title", max_length=500, sensitive=True),
            Field("text", "Advert text (numbers masked)", max_length=20_000, sensitive=True),
            Field("image_hashes", "Photo hashes", max_length=4_000, sensitive=True),
        ),
    ),
}

SENSITIVE_COLUMNS: frozenset[str] = frozenset(
    {
        "notes",
        "summary",
        "phone_hash",
        "phone_last3",
        "phone_hashes",
        "address",
        "outcome_detail",
        "title",
        "text",
        "image_hashes",
    }
)
"""Columns the briefing role never receives (names live in free text; addresses are redacted
to street level by :func:`layers.briefing.redaction.street_level` before they are shown)."""


def kind(name: str) -> Kind:
    """The built-in kind called ``name``, with an error that lists the valid names."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown layer kind {name!r}: use one of {', '.join(KINDS)}") from None
