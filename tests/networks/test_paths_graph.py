"""A network's path (stops and arrows) and its graph, from hand-made adverts."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd

from geodata.crs import to_bng
from layers.networks.graph import network_graph
from layers.networks.paths import arrow_lines, path_stops

PRE, BBN = "E07000123", "E06000008"
MON = dt.date(2026, 11, 30)


def _day(n: int) -> dt.date:
    return MON + dt.timedelta(days=n)


def test_net120_stops_are_runs_of_days_in_one_district_at_their_mean_position():
    adverts = pd.DataFrame(
        {
            "district_code": [PRE, PRE, PRE, BBN, BBN, PRE, BBN],
            "easting": [354000.0, 354200.0, 354400.0, 368000.0, 368200.0, 354000.0, 368000.0],
            "northing": [429000.0] * 7,
            "observed_at": pd.date_range("2026-11-30T10:00Z", periods=7, freq="h"),
        }
    )
    days = pd.Series([_day(0), _day(0), _day(1), _day(2), _day(2), _day(3), _day(3)])
    stops = path_stops(adverts, days)
    assert stops[["district_code", "first_day", "last_day", "adverts"]].values.tolist() == [
        [PRE, _day(0), _day(1), 3],
        [BBN, _day(2), _day(2), 2],
        [PRE, _day(3), _day(3), 1],  # Thursday's one Blackburn advert is a stray: PRE first
    ]
    assert stops["easting"].round().tolist() == [354200.0, 368100.0, 354000.0]


def test_net121_arrows_have_a_shaft_and_a_head_pointing_back_from_the_tip():
    lons, lats = arrow_lines(np.array([350000.0, 360000.0]), np.array([430000.0, 430000.0]))
    assert len(lons) == len(lats) == 7 and lons[-1] is None
    e, n = to_bng(np.array(lons[:6], dtype=float), np.array(lats[:6], dtype=float))
    assert round(e[1]) == 360000 - 700  # the tip stops short of the stop marker
    assert e[2] < e[1] and e[4] < e[1] and n[2] > n[1] > n[4]  # the two strokes of the head


def test_net122_the_graph_joins_adverts_phones_photos_premises_and_tipoffs():
    phone = "123:" + "a" * 64
    adverts = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "ref": ["A-1", "A-2", "A-3"],
            "observed_at": pd.date_range("2026-11-30", periods=3, freq="D", tz="UTC"),
            "phone_hashes": [phone, phone, None],
            "image_hashes": [
                "00000000000000ff",
                "00000000000000fe",
                "00000000000000ff;ffff000000000000",
            ],
            "easting": [354000.0, 354100.0, 360000.0],
            "northing": [429000.0, 429000.0, 429000.0],
        }
    )
    premises = pd.DataFrame(
        {"id": [9], "ref": ["P-9"], "easting": [354050.0], "northing": [429000.0]}
    )
    tipoffs = pd.DataFrame({"id": [7], "ref": ["T-7"], "phone_hashes": [phone]})
    graph = network_graph(adverts, premises, tipoffs)
    nodes = {e["data"]["id"]: e["data"] for e in graph.elements if "id" in e["data"]}
    edges = {
        (e["data"]["source"], e["data"]["target"]) for e in graph.elements if "source" in e["data"]
    }
    assert sorted(d["kind"] for d in nodes.values()) == [
        "advert",
        "advert",
        "advert",
        "phone",
        "photo",
        "photo",
        "premises",
        "tipoff",
    ]
    assert {("a1", "p0"), ("a2", "p0"), ("t7", "p0"), ("s9", "a1"), ("s9", "a2")} <= edges
    assert nodes["p0"]["label"] == "phone …123"
    assert "aaaa" not in json.dumps(graph.elements) and "00ff" not in json.dumps(graph.elements)
    assert graph.left_out == 0


def test_net123_operations_map_colours_adverts_by_network(services):
    from layers.networks.reads import NETWORK_COLOURS, network_codes
    from tests.networks.conftest import import_and_link, members

    import_and_link(services, 200, 3)
    stored = members(services)
    ids = np.r_[stored["location_id"].to_numpy()[:5], [10**9]]
    with services.db.read() as session:
        codes = network_codes(session, ids)
    assert codes.tolist() == [*(stored["network_id"].to_numpy()[:5] % NETWORK_COLOURS), 8]


def test_net124_new_in_town_alerts_link_to_their_networks(services):
    from dashboard.components.network_alerts import alert_strip
    from tests.networks.conftest import import_and_link

    frame = import_and_link(services, 300, 4)
    end = frame["observed_at"].max().to_pydatetime()
    with services.db.read() as session:
        strip = alert_strip(session, now=end)
        later = alert_strip(session, now=end + dt.timedelta(days=3))
    links = [c for c in strip.children if getattr(c, "href", None)]
    assert 1 <= len(links) <= 5 and later is None
    assert all(a.href.startswith("/networks/") and " new in " in a.children for a in links)
