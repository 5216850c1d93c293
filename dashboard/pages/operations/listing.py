"""The map as a list: the same locations as rows a keyboard or screen reader can reach.

Each row names the location in words (kind, reference, status, district, where) and has a
button that opens it in the side panel, exactly as clicking its point on the map does: its
details, what is within 250 m, its history and (commander, admin) the status form. The rows
follow the map's filters and visible area (:func:`layers.core.listing.list_locations`).
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.components.fields import labelled
from dashboard.pages.operations.ids import Ids
from layers.core.kinds import KINDS
from layers.core.listing import SEARCH_MAX, LocationList
from layers.core.status import STATUS_LABELS

HEADERS = ("Location", "Kind", "Status", "District", "Where")


def list_section() -> html.Section:
    """The search box, what the list shows (announced), and the table."""
    return html.Section(
        [
            html.H2("Locations on the map"),
            labelled(
                "Find by reference, address or postcode",
                dcc.Input(id=Ids.FIND, type="search", debounce=True, maxLength=SEARCH_MAX),
                Ids.FIND,
            ),
            html.P(id=Ids.LIST_SUMMARY, role="status", className="muted"),
            html.Div(id=Ids.LIST, className="table-scroll"),
            dcc.Store(id=Ids.LIST_KEY),
        ],
        className="location-list",
    )


def summary(listed: LocationList) -> str:
    """How many locations the list shows of how many match, and where it looked."""
    where = "matching the search" if listed.searched else "in the visible area"
    if listed.total == 0:
        return f"No location {where} passes the filters."
    if listed.total == len(listed.rows):
        plural = "" if listed.total == 1 else "s"
        return f"{listed.total:,} location{plural} {where}."
    return (
        f"Showing the first {len(listed.rows):,} of {listed.total:,} locations {where}: zoom "
        "the map, filter or search to list the others."
    )


def list_table(listed: LocationList, district_names: dict[str, str]) -> html.Table | str:
    """One row per location; its button opens the location in the side panel."""
    if not listed.rows:
        return ""
    body: list[Any] = [
        html.Tr(
            [
                html.Th(
                    html.Button(
                        row.ref,
                        id={"type": Ids.PICK, "id": row.id},
                        className="link-button",
                        title=f"Open {KINDS[row.kind].singular} {row.ref} in the side panel",
                    ),
                    scope="row",
                ),
                html.Td(KINDS[row.kind].singular.capitalize()),
                html.Td(STATUS_LABELS.get(row.status, row.status)),
                html.Td(district_names.get(row.district_code, row.district_code)),
                html.Td(row.where),
            ]
        )
        for row in listed.rows
    ]
    head = html.Tr([html.Th(h, scope="col") for h in HEADERS])
    return html.Table([html.Thead(head), html.Tbody(body)], className="table")
