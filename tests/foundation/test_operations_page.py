"""The operations page without a browser: its component tree and its callbacks' glue."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from flask import g

from dashboard.access import Principal
from dashboard.pages.operations.figures import (
    POINT_TRACE,
    as_patch,
    layer_updates,
    operations_figure,
)
from dashboard.pages.operations.ids import Ids
from dashboard.pages.operations.layout import layout
from dashboard.pages.operations.view import plan_layer
from layers.core.locations import insert_locations, place
from layers.core.queries import Filters, current_frame, filter_mask
from tests.conftest import components
from tests.foundation.conftest import BLACKPOOL, PRESTON


def _ids(component) -> set[str]:
    return {node.id for node in components(component) if isinstance(getattr(node, "id", None), str)}


def test_ops001_layout_has_every_control_and_the_week(app):
    with app.test_request_context("/"):
        g.principal = Principal("cmdr", "commander")
        tree = layout()
    ids = _ids(tree)
    for wanted in (
        Ids.MAP,
        Ids.LAYERS,
        Ids.DIVISION,
        Ids.DISTRICT,
        Ids.DAY,
        Ids.STATUS,
        Ids.PREMISES_TYPE,
        Ids.RISK,
        Ids.CHANNEL,
        Ids.GRADE_SOURCE,
        Ids.COUNTS,
        Ids.TABLE,
        Ids.PANEL,
    ):
        assert str(wanted) in ids


def test_ops002_figure_has_no_third_party_style_and_typed_points(app):
    svc = app.extensions["opsmap"]
    fig = operations_figure(svc.boundaries, None)
    style = fig.layout.map.style
    assert isinstance(style, dict) and list(style["sources"]) == ["blank"]
    assert "http" not in json.dumps(style)
    assert "glyphs" not in style and "sprite" not in style
    layers = sorted(fig.data[2:5], key=lambda t: t.legendrank)  # legend order
    assert [t.name for t in layers] == ["Suspected premises", "Tip-offs", "Advert geotags"]
    assert fig.data[4].name == "Suspected premises"  # drawn last, on top of thousands of adverts
    assert all(t.marker.symbol in (None, "circle") for t in fig.data[2:])
    assert len(fig.layout.meta["labels"]) == 14


@pytest.mark.parametrize("backend", ["sqlite"])
def test_ops003_patch_sends_float32_base64_and_counts_in_legend(services):
    frame = pd.DataFrame(
        {
            "kind": ["premises", "tipoffs"],
            "lon": [PRESTON[0], BLACKPOOL[0]],
            "lat": [PRESTON[1], BLACKPOOL[1]],
            "risk": ["high", None],
            "channel": [None, "101"],
            "source": "t",
            "created_by": "t",
        }
    )
    with services.db.write() as session:
        insert_locations(session, place(frame, services.districts))
    _rev, loaded = current_frame(services.db)
    mask = filter_mask(loaded, Filters())
    views = {k: plan_layer(loaded, mask, k, None, 1000) for k in ("premises", "tipoffs", "adverts")}
    patch = json.loads(json.dumps(as_patch(layer_updates(loaded, views, False)).to_plotly_json()))
    ops = {(tuple(o["location"]), o["operation"]): o["params"] for o in patch["operations"]}
    lon = ops[(("data", POINT_TRACE["premises"], "lon"), "Assign")]["value"]
    assert lon["dtype"] == "f4" and isinstance(lon["bdata"], str)
    name = ops[(("data", POINT_TRACE["premises"], "name"), "Assign")]["value"]
    assert name == "Suspected premises (1)"
    hover = ops[(("data", POINT_TRACE["tipoffs"], "hovertext"), "Assign")]["value"]
    assert "101" in hover[0] and "Unplanned" in hover[0]


def test_ops004_custom_polygon_layer_is_drawn_with_its_style(app):
    from layers.imports import import_file
    from layers.maplayers.store import list_layers, set_style, set_visible
    from tests.imports.conftest import WARDS

    svc = app.extensions["opsmap"]
    result = import_file(svc, WARDS, WARDS.name, "custom", "ana", name="Wards 2013", dry_run=False)
    assert result.report.accepted == 302
    with svc.db.write() as session:
        (info,) = list_layers(session)
        set_style(
            session,
            info.id,
            {"colour": "#009E73", "fill": "#009E73", "opacity": 0.2},
            username="ana",
        )
    with app.test_request_context("/"):
        g.principal = Principal("ana", "analyst")
        fig = _figure(layout())
    names = [t.get("name") for t in fig["data"]]
    assert "Wards 2013 (302)" in names
    fill = next(t for t in fig["data"] if t.get("name") == "Wards 2013 (302)")
    assert fill["type"] == "choroplethmap" and len(fill["locations"]) == 302
    assert fill["colorscale"][0][1] == "#009E73" and fill["marker"]["opacity"] == 0.2
    with svc.db.write() as session:
        set_visible(session, info.id, False, username="ana")
    with app.test_request_context("/"):
        g.principal = Principal("ana", "analyst")
        hidden = _figure(layout())
    assert not any(str(t.get("name", "")).startswith("Wards 2013") for t in hidden["data"])


def _figure(tree) -> dict:
    node = next((n for n in components(tree) if getattr(n, "id", None) == Ids.MAP), None)
    if node is None:
        raise AssertionError("no map in the layout")
    return node.figure.to_plotly_json() if hasattr(node.figure, "to_plotly_json") else node.figure
