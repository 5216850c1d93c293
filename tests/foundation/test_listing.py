"""The map as a list (issue 18): the keyboard equivalent lists what the map shows, in map order."""

from __future__ import annotations

import pytest

from layers.core.listing import LIST_LIMIT, list_locations, search_text
from layers.core.queries import Filters
from tests.foundation.conftest import BLACKPOOL, PRESTON

PRESTON_VIEW = (-2.75, 53.74, -2.65, 53.78)


def test_lst001_lists_the_filtered_points_in_view_in_layer_order(services, add_locations):
    tip = add_locations("tipoffs", [PRESTON], ref="T-1", channel="phone")
    premises = add_locations(
        "premises", [PRESTON, BLACKPOOL], ref=["P-1", "P-2"], address=["1 Fishergate", "2 Prom"]
    )
    listed = list_locations(services.db, Filters(), PRESTON_VIEW, None)
    assert [(r.id, r.kind, r.ref) for r in listed.rows] == [
        (premises[0], "premises", "P-1"),
        (tip[0], "tipoffs", "T-1"),
    ]  # Blackpool is outside the view; premises come before tip-offs as on the map
    assert listed.total == 2
    assert listed.rows[0].where == "1 Fishergate" and listed.rows[0].status == "unplanned"
    only_tips = list_locations(services.db, Filters(kinds=("tipoffs",)), None, None)
    assert [r.ref for r in only_tips.rows] == ["T-1"]


def test_lst002_search_by_reference_address_or_postcode_any_case(services, add_locations):
    add_locations(
        "premises", [PRESTON, PRESTON, BLACKPOOL], ref=["P-1", "P-2", "X_3"],
        address=["1 Fishergate", "9 Church St", "4 Promenade"],
    )
    assert [r.ref for r in list_locations(services.db, Filters(), None, "FISHER").rows] == ["P-1"]
    # a search looks beyond the visible area (Blackpool is outside this view)
    found = list_locations(services.db, Filters(), PRESTON_VIEW, "promenade")
    assert [r.ref for r in found.rows] == ["X_3"] and found.searched
    assert [r.ref for r in list_locations(services.db, Filters(), None, "p-2").rows] == ["P-2"]
    # "_" is a character to find, not a LIKE wildcard
    assert [r.ref for r in list_locations(services.db, Filters(), None, "x_").rows] == ["X_3"]
    assert list_locations(services.db, Filters(), None, "zzz").total == 0


def test_lst003_at_most_the_limit_with_the_total_and_bounded_search(services, add_locations):
    add_locations("adverts", [PRESTON] * (LIST_LIMIT + 5), site="demo-site")
    listed = list_locations(services.db, Filters(), None, None)
    assert len(listed.rows) == LIST_LIMIT and listed.total == LIST_LIMIT + 5
    assert listed.rows[0].where == "demo-site"
    assert search_text(" a ") is None  # one character narrows nothing
    with pytest.raises(ValueError, match="at most 100 characters"):
        search_text("x" * 101)
