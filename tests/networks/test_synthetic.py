"""The labelled synthetic week, its templates, and linking it (full and a day at a time)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bench.bench_networks import subset
from layers.core.clock import local_days
from layers.networks.adverts import prepare_adverts
from layers.networks.circuits import daily_places, moves
from layers.networks.evidence import LinkParams
from layers.networks.images import parse_image_hashes, popcount
from layers.networks.incremental import LinkIndex, link_day
from layers.networks.linking import link_adverts
from layers.networks.phones import find_numbers
from layers.networks.scoring import moves_found, pairwise
from layers.networks.summary import network_evidence
from layers.networks.synthetic import Mix, synthetic_week
from layers.networks.templates import SLOT
from tests.networks.conftest import KEY

TEST_SEED = 11


@pytest.fixture(scope="module")
def week():
    return synthetic_week(3000, TEST_SEED)


@pytest.fixture(scope="module")
def linked(week):
    prepared = prepare_adverts(week.adverts, KEY)
    return prepared, link_adverts(prepared.inputs)


def test_net050_the_same_seed_gives_the_same_week_and_the_mix_changes_it(week):
    again = synthetic_week(3000, TEST_SEED)
    pd.testing.assert_frame_equal(week.adverts, again.adverts)
    assert (week.network == again.network).all()
    other = synthetic_week(3000, TEST_SEED, Mix(obfuscate=0.0, touring=0.0))
    assert other.moves.empty
    assert len(week.adverts) == 3000


def test_net051_the_week_has_every_phenomenon(week):
    frame = week.adverts
    assert frame["text"].str.contains("double|O7|l2|0 7 7", regex=True).any()
    assert frame["text"].str.contains("new in town").sum() > 100
    assert frame["text"].str.contains("agency|companions|introductions").sum() > 50
    rotating = pd.DataFrame({"net": week.network, "phone": frame["phone"]}).query("phone != ''")
    assert (rotating.groupby("net")["phone"].nunique() > 1).any()
    photos = parse_image_hashes(frame["image_hashes"])
    assert photos["hash"].nunique() < len(photos)  # photos are re-used ...
    first = photos.groupby("row")["hash"].first()
    assert (popcount(first.to_numpy() ^ np.roll(first.to_numpy(), 1)) > 0).all()
    in_text = frame["text"].head(300).map(lambda t: len(find_numbers(t)))
    assert (in_text > 0).mean() > 0.4
    assert not week.moves.empty


def test_net052_linking_the_test_week_meets_the_targets(week, linked):
    _, result = linked
    score = pairwise(week.network, result.labels)
    assert score.precision >= 0.95 and score.recall >= 0.90
    days = local_days(week.adverts["observed_at"])
    order = week.adverts["observed_at"].rank(method="first").to_numpy()
    found = moves(daily_places(result.labels, days, week.adverts["district_code"], order))
    assert moves_found(week.network, result.labels, week.moves, found) >= 0.9


def test_net053_networks_keep_phones_photos_and_a_template(linked):
    prepared, result = linked
    evidence = network_evidence(result)
    assert evidence.phones["last3"].str.fullmatch(r"\d{3}").all()
    assert (evidence.photos["max_bits"] <= 5).all() and (evidence.photos["adverts"] >= 2).all()
    biggest = int(np.bincount(result.labels).argmax())
    template = evidence.templates[biggest]
    assert SLOT in template and len(template.split()) >= 8
    assert not prepared.texts.str.contains(r"\b07\d{3} ?\d{6}\b", regex=True).any()


def test_net054_a_new_day_links_into_existing_networks(week, linked):
    prepared, _ = linked
    inputs = prepared.inputs
    days = pd.Series(local_days(week.adverts["observed_at"]))
    new_rows = np.flatnonzero((days == days.max()).to_numpy())
    old_rows = np.setdiff1d(np.arange(len(days)), new_rows)
    old, new = subset(inputs, old_rows), subset(inputs, new_rows)
    base = link_adverts(old)
    labels = link_day(LinkIndex.of(old, base, LinkParams()), new)
    kept = pd.Series(labels[: len(old_rows)]).groupby(base.labels).nunique()
    assert (kept == 1).all()  # no existing network is split by a new day
    truth = np.r_[week.network[old_rows], week.network[new_rows]]
    score = pairwise(truth, labels)
    assert score.precision >= 0.95 and score.recall >= 0.90
