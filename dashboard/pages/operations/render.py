"""What the operations page shows for a set of filters: layer updates, counts, table.

Shared by the page's first render (its layout) and by the callback that follows every filter
change, so both show exactly the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from dash import html

from dashboard.components.network_alerts import alert_strip
from dashboard.pages.operations.figures import Update, layer_fingerprint, layer_updates
from dashboard.pages.operations.ids import Ids
from dashboard.pages.operations.view import LayerView, Viewport, plan_layer
from layers.core.kinds import KIND_NAMES, KINDS
from layers.core.queries import (
    Filters,
    counts_by_status,
    current_frame,
    district_summary,
    filter_mask,
    totals,
)
from layers.core.status import STATUS_LABELS, STATUSES
from layers.networks.reads import network_codes
from layers.planning.candidates import current_priorities
from layers.services import Services

FILTER_IDS: dict[str, Ids] = {
    "divisions": Ids.DIVISION,
    "districts": Ids.DISTRICT,
    "days": Ids.DAY,
    "statuses": Ids.STATUS,
    "premises_types": Ids.PREMISES_TYPE,
    "risks": Ids.RISK,
    "channels": Ids.CHANNEL,
    "grades_source": Ids.GRADE_SOURCE,
    "grades_intel": Ids.GRADE_INTEL,
}


@dataclass(frozen=True)
class Rendered:
    """Everything one render produces for the page."""

    updates: list[Update]
    counts: list[Any]
    table: html.Table
    state: dict[str, Any]
    notice: Any


def build_filters(kinds: list[str] | None, values: dict[str, Any]) -> Filters:
    """Filters from the page controls."""
    return Filters.from_dict({"kinds": kinds or [], **values})


def layer_views(
    frame: pd.DataFrame,
    mask: np.ndarray,
    kinds: tuple[str, ...],
    viewport: Viewport | None,
    limit: int,
) -> dict[str, LayerView | None]:
    """How each kind is drawn for the filtered rows (switched-off kinds map to ``None``)."""
    return {
        kind: plan_layer(frame, mask, kind, viewport, limit) if kind in kinds else None
        for kind in KIND_NAMES
    }


def counts_strip(frame: pd.DataFrame, mask: np.ndarray) -> list[Any]:
    """Per layer: how many pass the filters, split by status."""
    counts = counts_by_status(frame, mask)
    blocks = []
    for kind in KIND_NAMES:
        by_status = counts[kind]
        blocks.append(
            html.Div(
                [
                    html.Div(KINDS[kind].label, className="count-label"),
                    html.Div(
                        f"{sum(by_status.values()):,}", className="count-value", id=f"count-{kind}"
                    ),
                    html.Div(
                        [
                            html.Span(
                                f"{STATUS_LABELS[s]} {by_status[s]:,}",
                                className=f"chip status-{s}",
                                id=f"count-{kind}-{s}",
                            )
                            for s in STATUSES
                            if by_status[s]
                        ],
                        className="count-status",
                    ),
                ],
                className=f"count count-{kind}",
            )
        )
    return blocks


def district_table(rows: list[dict[str, Any]]) -> html.Table:
    """Per district: counts per layer and the premises' progress."""
    head = html.Tr(
        [html.Th(h) for h in ("District", "Division", "Premises", "Tip-offs", "Adverts")]
        + [html.Th(STATUS_LABELS[s]) for s in STATUSES]
    )
    body = [
        html.Tr(
            [html.Td(r["name"]), html.Td(r["division"])]
            + [html.Td(f"{r['counts'][k]:,}", className="num") for k in KIND_NAMES]
            + [html.Td(f"{r['status'][s]:,}", className="num") for s in STATUSES]
        )
        for r in rows
    ]
    t = totals(rows)
    foot = html.Tr(
        [html.Th("All"), html.Th("")]
        + [html.Th(f"{t['counts'][k]:,}", className="num") for k in KIND_NAMES]
        + [html.Th(f"{t['status'][s]:,}", className="num") for s in STATUSES]
    )
    return html.Table([html.Thead(head), html.Tbody(body), html.Tfoot(foot)], className="table")


def render(
    svc: Services,
    kinds: list[str] | None,
    colour_by: str | None,
    values: dict[str, Any],
    viewport: Viewport | None,
    previous: dict[str, Any] | None = None,
) -> Rendered:
    """Render the page's data for these controls and visible area.

    ``previous`` is the state of the last render: layers whose content is unchanged are left
    out of the updates, so a filter change sends only the traces it changed.
    """
    revision, frame = current_frame(svc.db)
    filters = build_filters(kinds, values)
    mask = filter_mask(frame, filters)
    views = layer_views(frame, mask, filters.kinds, viewport, svc.config.map_point_limit)
    by_status = colour_by == "status"
    networks = None
    if colour_by == "network":  # adverts coloured by their network (layers.networks)
        with svc.db.read() as session:
            networks = network_codes(session, frame["id"].to_numpy())
    prints = {k: layer_fingerprint(frame, views[k], colour_by, revision) for k in KIND_NAMES}
    before = (previous or {}).get("layers") or {}
    changed = tuple(k for k in KIND_NAMES if before.get(k) != prints[k])
    summary = district_summary(frame, svc.boundaries[["code", "name", "division"]], mask)
    demo = (
        html.Div(
            "Demo data: this map shows a synthetic week, not real intelligence.",
            className="demo-banner",
        )
        if bool(frame["is_demo"].any())
        else None
    )
    with svc.db.read() as session:
        alerts = alert_strip(session)  # "new in town" networks (layers.networks)
    shown = [part for part in (demo, alerts) if part is not None]
    notice = html.Div(shown) if shown else None
    state = {
        "revision": revision,
        "filters": filters.as_dict(),
        "viewport": viewport.as_list() if viewport else None,
        "layers": prints,
    }
    priorities = current_priorities(svc.db) if "premises" in changed else None
    return Rendered(
        layer_updates(frame, views, by_status, changed, priorities, networks),
        counts_strip(frame, mask),
        district_table(summary),
        state,
        notice,
    )
