"""Form fields with visible labels, the one way every page names its controls (WCAG 1.3.1, 3.3.2).

A control gets a visible ``<label for=...>`` above it (text inputs, dropdowns, uploads; for a
Dash dropdown ``assets/a11y.js`` adds the label to the button's name); a group of checkboxes
or radios gets a ``<fieldset>`` whose ``<legend>`` names the group. Placeholders are hints,
never the only label: they vanish as soon as something is typed.
"""

from __future__ import annotations

from typing import Any

from dash import html


def labelled(label: str, control: Any, control_id: str, class_name: str = "filter") -> html.Div:
    """``control`` (whose id is ``control_id``) under its visible label."""
    return html.Div([html.Label(label, htmlFor=control_id), control], className=class_name)


def choices(legend: str, control: Any, class_name: str = "filter") -> html.Fieldset:
    """A checklist or radio group named by a visible legend."""
    return html.Fieldset([html.Legend(legend), control], className=f"choices {class_name}")
