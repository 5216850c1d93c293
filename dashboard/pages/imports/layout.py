"""Layout of the imports page: upload and preview, past imports, custom layers, exports."""

from __future__ import annotations

from dash import dcc, html

from dashboard.components.fields import choices, labelled
from dashboard.context import services
from dashboard.pages.imports.figures import preview_area
from dashboard.pages.imports.ids import Ids
from layers.core.kinds import KINDS
from layers.core.status import STATUS_LABELS, STATUSES
from layers.exports.files import FORMATS

KIND_OPTIONS = [{"label": k.label, "value": name} for name, k in KINDS.items()] + [
    {"label": "Custom layer (any geometry)", "value": "custom"}
]


def upload_options(kind: str) -> html.Div:
    """What to import as, the custom layer's name, and a saved mapping preset."""
    return html.Div(
        [
            labelled(
                "Import as",
                dcc.Dropdown(id=Ids.KIND, options=KIND_OPTIONS, value=kind, clearable=False),
                Ids.KIND,
            ),
            labelled(
                "Layer name (custom layers)",
                dcc.Input(id=Ids.NAME, type="text", placeholder="the file name"),
                Ids.NAME,
            ),
            labelled(
                "Saved mapping",
                dcc.Dropdown(id=Ids.PRESET, placeholder="choose a preset after uploading"),
                Ids.PRESET,
            ),
        ],
        className="import-options",
    )


def upload_actions() -> html.Div:
    """Check again, commit, cancel; and saving the current mapping as a named preset."""
    return html.Div(
        [
            html.Button("Check again", id=Ids.CHECK, className="button secondary"),
            html.Button("Commit import", id=Ids.COMMIT, className="button", disabled=True),
            html.Button("Cancel", id=Ids.CANCEL, className="button secondary"),
            html.Div(
                [
                    html.Label("Save this mapping as", htmlFor=Ids.PRESET_NAME),
                    dcc.Input(id=Ids.PRESET_NAME, type="text", placeholder="e.g. Licensing weekly"),
                    html.Button(
                        "Save mapping as preset", id=Ids.PRESET_SAVE, className="button secondary"
                    ),
                    html.Span(id=Ids.PRESET_MESSAGE, role="status"),
                ],
                className="preset-save",
            ),
        ],
        className="import-actions",
    )


def upload_panel(kind: str = "premises") -> html.Section:
    """Drag and drop, the column grid and value table, the report and the preview map."""
    return html.Section(
        [
            html.H2("Import a file"),
            html.P(
                "CSV or TSV, Excel (.xlsx), GeoJSON, GeoPackage, zipped Shapefile, KML or KMZ. "
                "Nothing is stored until you commit."
            ),
            upload_options(kind),
            html.Label("File to import", htmlFor=Ids.UPLOAD, className="upload-label"),
            dcc.Upload(
                id=Ids.UPLOAD,
                children=html.Div(["Drag and drop a file here, or ", html.A("choose one")]),
                className="upload-zone",
                multiple=False,
            ),
            upload_actions(),
            dcc.Loading(
                [
                    html.Div(id=Ids.STATUS, role="status"),
                    html.Div(id=Ids.MAPPING_AREA),
                    html.Div(id=Ids.REPORT),
                ],
                type="default",
                # Dash types target_components as an empty TypedDict; any id is valid at runtime.
                target_components={str(Ids.REPORT): "children"},  # type: ignore[arg-type]
            ),
            html.Div(preview_area(None, services().boundaries), id=Ids.PREVIEW_AREA),
            dcc.Store(id=Ids.REFRESH, data=0),
        ],
        className="panel",
    )


def imports_panel() -> html.Section:
    """The list of past imports with an undo button each, and the undo confirmation."""
    return html.Section(
        [
            html.H2("Past imports"),
            html.P(
                "Undo removes what an import stored that nobody has acted on; locations a "
                "commander has planned or visited stay, with their history.",
                className="muted",
            ),
            html.Div(id=Ids.UNDO_MESSAGE, role="status", className="undo-message"),
            html.Div(id=Ids.IMPORTS, className="table-scroll"),
            dcc.ConfirmDialog(id=Ids.UNDO_CONFIRM),
            dcc.Store(id=Ids.UNDO_PENDING),
        ],
        className="panel",
    )


def layers_panel() -> html.Section:
    """Custom layers: pick one, rename, restyle, show or hide, remove."""
    return html.Section(
        [
            html.H2("Custom layers"),
            html.Div(id=Ids.LAYERS),
            html.Div(
                [
                    labelled(
                        "Layer",
                        dcc.Dropdown(id=Ids.LAYER_PICK, placeholder="Choose a layer"),
                        Ids.LAYER_PICK,
                    ),
                    labelled("Name", dcc.Input(id=Ids.LAYER_NAME, type="text"), Ids.LAYER_NAME),
                    labelled(
                        "Colour (#rrggbb)",
                        dcc.Input(id=Ids.LAYER_COLOUR, type="text", placeholder="#7b3294"),
                        Ids.LAYER_COLOUR,
                    ),
                    labelled(
                        "Opacity (0-1)",
                        dcc.Input(id=Ids.LAYER_OPACITY, type="number", min=0, max=1, step=0.05),
                        Ids.LAYER_OPACITY,
                    ),
                    choices(
                        "On the map",
                        dcc.Checklist(
                            id=Ids.LAYER_VISIBLE, options=[{"label": "Visible", "value": "on"}]
                        ),
                    ),
                    html.Button("Save", id=Ids.LAYER_SAVE, className="button"),
                    html.Button("Remove layer", id=Ids.LAYER_REMOVE, className="button secondary"),
                ],
                className="layer-editor",
            ),
            html.Div(id=Ids.LAYER_MESSAGE, role="status"),
        ],
        className="panel",
    )


def district_options() -> list[dict[str, str]]:
    """The force's districts by name (their GSS codes are the values filters use)."""
    districts = services().districts
    pairs = zip(districts.district_names.tolist(), districts.district_codes.tolist(), strict=True)
    return [{"label": str(name), "value": str(code)} for name, code in sorted(pairs)]


def export_controls(districts: list[dict[str, str]]) -> html.Div:
    """Which layer, which format, and the district and status filters the CLI has."""
    return html.Div(
        [
            labelled(
                "Layer",
                dcc.Dropdown(
                    id=Ids.EXPORT_KIND,
                    options=KIND_OPTIONS[:3],
                    value="premises",
                    clearable=False,
                ),
                Ids.EXPORT_KIND,
            ),
            labelled(
                "Format",
                dcc.Dropdown(
                    id=Ids.EXPORT_FORMAT,
                    options=[{"label": f.upper(), "value": f} for f in FORMATS],
                    value="csv",
                    clearable=False,
                ),
                Ids.EXPORT_FORMAT,
            ),
            labelled(
                "Districts (all when empty)",
                dcc.Dropdown(id=Ids.EXPORT_DISTRICTS, options=districts, multi=True),
                Ids.EXPORT_DISTRICTS,
            ),
            labelled(
                "Statuses (all when empty)",
                dcc.Dropdown(
                    id=Ids.EXPORT_STATUSES,
                    options=[{"label": STATUS_LABELS[s], "value": s} for s in STATUSES],
                    multi=True,
                ),
                Ids.EXPORT_STATUSES,
            ),
        ],
        className="import-options",
    )


def export_panel(districts: list[dict[str, str]]) -> html.Section:
    """Export a layer (filtered like the map) to a file the analyst can open in QGIS or Excel."""
    return html.Section(
        [
            html.H2("Export"),
            html.P(
                "Every file carries the protective marking. CSV and Excel use readable column "
                "labels; coordinates have 6 decimals; district name and code are both included."
            ),
            export_controls(districts),
            choices(
                "CSV layout",
                dcc.Checklist(
                    id=Ids.EXPORT_CLEAN,
                    options=[
                        {
                            "label": " Machine-clean CSV (field names, no marking lines; the file "
                            "name carries the marking)",
                            "value": "clean",
                        }
                    ],
                    value=[],
                ),
            ),
            html.Button("Export", id=Ids.EXPORT_BUTTON, className="button"),
            html.Div(id=Ids.EXPORT_MESSAGE, role="status"),
            dcc.Download(id=Ids.EXPORT_DOWNLOAD),
        ],
        className="panel",
    )


def layout(kind: str | None = None, **_query: str) -> html.Div:
    """The imports page (``?kind=adverts`` preselects what to import as)."""
    kind = kind if kind in {o["value"] for o in KIND_OPTIONS} else "premises"
    return html.Div(
        [
            html.H1("Imports and exports"),
            upload_panel(kind),
            imports_panel(),
            layers_panel(),
            export_panel(district_options()),
        ],
        className="imports-page",
    )
