"""District boundaries: the known facts, strict validation, reading, caching and the ONS
download (against a local HTTP server; no internet needed)."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import MultiPolygon, Point, Polygon

from geodata.boundaries import load_boundaries, load_boundaries_cached, read_boundaries
from geodata.boundary_checks import validate_boundaries
from geodata.boundary_download import download_boundaries
from geodata.crs import to_bng_gdf
from geodata.force import DISTRICTS, DIVISIONS, BoundaryError

EXPECTED_DIVISIONS = {
    "Blackpool": "West", "Fylde": "West", "Wyre": "West", "Lancaster": "West",
    "Preston": "South", "Chorley": "South", "South Ribble": "South", "West Lancashire": "South",
    "Blackburn with Darwen": "East", "Burnley": "East", "Hyndburn": "East", "Pendle": "East",
    "Ribble Valley": "East", "Rossendale": "East",
}  # fmt: skip

AREAS_KM2 = {
    "Ribble Valley": 584.7, "Lancaster": 575.7, "West Lancashire": 346.8, "Wyre": 282.5,
    "Chorley": 202.9, "Pendle": 169.5, "Fylde": 165.7, "Preston": 142.2, "Rossendale": 138.1,
    "Blackburn with Darwen": 137.1, "South Ribble": 112.9, "Burnley": 110.7, "Hyndburn": 72.9,
    "Blackpool": 34.8,
}  # fmt: skip


def ons_style(gdf: gpd.GeoDataFrame, code_col: str = "LAD24CD") -> gpd.GeoDataFrame:
    """The districts as an ONS service names them (no division, vintage-named columns)."""
    name_col = code_col[:-2] + ("NM" if code_col[-2:].isupper() else "nm")
    return gpd.GeoDataFrame(
        {"OBJECTID": range(1, len(gdf) + 1), code_col: gdf["code"], name_col: gdf["name"]},
        geometry=gdf.geometry.to_numpy(),
        crs=gdf.crs,
    )


# --- facts -------------------------------------------------------------------------------


def test_districts_are_the_fourteen_in_the_reference_file(boundaries_file: Path) -> None:
    raw = gpd.read_file(boundaries_file, engine="pyogrio")
    assert sorted(d.code for d in DISTRICTS) == sorted(raw["code"])
    assert {d.division for d in DISTRICTS} == set(DIVISIONS)


@pytest.mark.parametrize(("name", "division"), sorted(EXPECTED_DIVISIONS.items()))
def test_district_division(name: str, division: str) -> None:
    assert {d.name: d.division for d in DISTRICTS}[name] == division


# --- validation --------------------------------------------------------------------------


def test_reference_file_validates_to_sorted_code_name_division(
    boundaries: gpd.GeoDataFrame,
) -> None:
    assert list(boundaries.columns) == ["code", "name", "division", "geometry"]
    assert boundaries.crs.to_epsg() == 4326
    assert list(boundaries["code"]) == sorted(d.code for d in DISTRICTS)
    assert dict(zip(boundaries["name"], boundaries["division"], strict=True)) == EXPECTED_DIVISIONS


@pytest.mark.parametrize(("name", "km2"), sorted(AREAS_KM2.items()))
def test_district_area_matches_reference(
    boundaries: gpd.GeoDataFrame, name: str, km2: float
) -> None:
    areas = to_bng_gdf(boundaries).set_index("name").area / 1e6
    assert areas[name] == pytest.approx(km2, abs=0.15)


@pytest.mark.parametrize("code_col", ["LAD24CD", "LAD23CD", "lad19cd"])
def test_ons_column_names_are_understood(boundaries: gpd.GeoDataFrame, code_col: str) -> None:
    out = validate_boundaries(ons_style(boundaries, code_col))
    assert list(out.columns) == ["code", "name", "division", "geometry"]
    assert dict(zip(out["name"], out["division"], strict=True)) == EXPECTED_DIVISIONS


def test_missing_names_are_filled_and_divisions_come_from_the_force(
    boundaries: gpd.GeoDataFrame,
) -> None:
    src = boundaries[["code", "geometry"]].copy()
    src["division"] = "Wrong"
    out = validate_boundaries(src)
    assert dict(zip(out["name"], out["division"], strict=True)) == EXPECTED_DIVISIONS


def test_bng_input_is_reprojected_to_wgs84(boundaries: gpd.GeoDataFrame) -> None:
    out = validate_boundaries(to_bng_gdf(boundaries))
    assert out.crs.to_epsg() == 4326
    assert out.total_bounds == pytest.approx(boundaries.total_bounds, abs=1e-6)


def test_no_crs_is_refused(boundaries: gpd.GeoDataFrame) -> None:
    src = gpd.GeoDataFrame(boundaries.drop(columns="geometry"), geometry=list(boundaries.geometry))
    with pytest.raises(BoundaryError, match=r"no coordinate reference system.*OPSMAP_BOUNDARIES"):
        validate_boundaries(src)


def test_no_code_column_is_refused_listing_columns(boundaries: gpd.GeoDataFrame) -> None:
    src = boundaries.rename(columns={"code": "gss"})
    with pytest.raises(BoundaryError, match=r"no district code column.*'gss'"):
        validate_boundaries(src)


def test_missing_and_unexpected_codes_are_reported(boundaries: gpd.GeoDataFrame) -> None:
    src = boundaries.copy()
    src.loc[src["code"] == "E07000123", "code"] = "E08000001"
    src = src[src["code"] != "E06000009"]
    with pytest.raises(BoundaryError) as err:
        validate_boundaries(src)
    msg = str(err.value)
    assert "missing districts: E06000009 (Blackpool), E07000123 (Preston)" in msg
    assert "unexpected codes: E08000001" in msg
    assert "OPSMAP_BOUNDARIES" in msg


def test_duplicate_codes_are_refused(boundaries: gpd.GeoDataFrame) -> None:
    src = gpd.GeoDataFrame(gpd.pd.concat([boundaries, boundaries.iloc[[0]]]), crs=boundaries.crs)
    with pytest.raises(BoundaryError, match="more than once: E06000008"):
        validate_boundaries(src)


def test_invalid_geometry_is_refused_not_repaired(boundaries: gpd.GeoDataFrame) -> None:
    bowtie = Polygon([(-2.7, 53.7), (-2.6, 53.8), (-2.6, 53.7), (-2.7, 53.8)])
    src = boundaries.copy()
    src.loc[src["code"] == "E07000123", "geometry"] = MultiPolygon([bowtie])
    with pytest.raises(BoundaryError, match=r"invalid district geometries.*E07000123.*Self-inter"):
        validate_boundaries(src)


def test_point_geometry_is_refused(boundaries: gpd.GeoDataFrame) -> None:
    src = boundaries.copy()
    src.loc[src["code"] == "E06000009", "geometry"] = Point(-3.05, 53.8)
    with pytest.raises(BoundaryError, match=r"Polygon or MultiPolygon.*E06000009 \(Point\)"):
        validate_boundaries(src)


# --- reading and loading -----------------------------------------------------------------


def test_read_missing_file_says_to_set_opsmap_boundaries(tmp_path: Path) -> None:
    with pytest.raises(BoundaryError, match=r"does not exist.*OPSMAP_BOUNDARIES"):
        read_boundaries(tmp_path / "nope.geojson")


def test_read_unreadable_file_is_a_boundary_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text("this is not geojson")
    with pytest.raises(BoundaryError, match="cannot read boundary file"):
        read_boundaries(bad)


def test_read_geopackage_with_ons_columns(boundaries: gpd.GeoDataFrame, tmp_path: Path) -> None:
    gpkg = tmp_path / "districts.gpkg"
    ons_style(boundaries).to_file(gpkg, driver="GPKG", engine="pyogrio")
    out = read_boundaries(gpkg)
    assert len(out) == 14
    assert out.loc[out["code"] == "E07000123", "name"].item() == "Preston"


def test_load_prefers_configured_path(boundaries_file: Path, tmp_path: Path) -> None:
    out = load_boundaries(boundaries_file, tmp_path, "http://unused.invalid/query")
    assert len(out) == 14
    assert not (tmp_path / "districts.geojson").exists()


def test_load_configured_path_missing_is_an_error_not_a_fallback(
    boundaries_file: Path, tmp_path: Path
) -> None:
    (tmp_path / "districts.geojson").write_bytes(boundaries_file.read_bytes())
    with pytest.raises(BoundaryError, match="OPSMAP_BOUNDARIES"):
        load_boundaries(tmp_path / "typo.geojson", tmp_path, None)


def test_load_uses_cache_file(boundaries_file: Path, tmp_path: Path) -> None:
    (tmp_path / "districts.geojson").write_bytes(boundaries_file.read_bytes())
    assert len(load_boundaries(None, tmp_path, None)) == 14


def test_load_with_nothing_available_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(BoundaryError, match=r"Set OPSMAP_BOUNDARIES.*allow the download"):
        load_boundaries(None, tmp_path, None)


def test_cached_load_reads_each_file_version_once(boundaries_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "b.geojson"
    copy.write_bytes(boundaries_file.read_bytes())
    first = load_boundaries_cached(copy, tmp_path, None)
    first.loc[0, "name"] = "Scribbled"  # callers get copies: the cache stays clean
    second = load_boundaries_cached(copy, tmp_path, None)
    assert second.loc[0, "name"] == "Blackburn with Darwen"
    raw = json.loads(copy.read_text())
    raw["features"] = raw["features"][1:]
    copy.write_text(json.dumps(raw))  # a changed file is re-read (and here refused)
    with pytest.raises(BoundaryError, match="missing districts"):
        load_boundaries_cached(copy, tmp_path, None)


# --- download ----------------------------------------------------------------------------


@dataclass
class FakeOns:
    """A local stand-in for an ONS FeatureServer: what it answers and what it was asked."""

    url: str
    body: bytes = b""
    status: int = 200
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def ons_geojson(boundaries_file: Path) -> bytes:
    """The reference districts as the ONS service would serve them (LAD24CD/LAD24NM)."""
    gdf = gpd.read_file(boundaries_file, engine="pyogrio")
    return ons_style(gdf).to_json(drop_id=True).encode()


@pytest.fixture
def ons_server(ons_geojson: bytes) -> Iterator[FakeOns]:
    """An HTTP server on localhost in a thread, answering ``fake.body`` with ``fake.status``."""
    fake = FakeOns(url="", body=ons_geojson)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.requests.append(self.path)
            self.send_response(fake.status)
            self.send_header("Content-Type", "application/geo+json")
            self.send_header("Content-Length", str(len(fake.body)))
            self.end_headers()
            self.wfile.write(fake.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/arcgis/FeatureServer/0/query"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_download_asks_for_the_fourteen_codes_and_caches_them(
    ons_server: FakeOns, tmp_path: Path
) -> None:
    dest = download_boundaries(ons_server.url, tmp_path / "cache" / "districts.geojson")
    assert dest.is_file()
    (request,) = ons_server.requests
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request).query)
    assert query["f"] == ["geojson"]
    assert query["outSR"] == ["4326"]
    assert query["outFields"] == ["*"]
    where = query["where"][0]
    assert where.startswith("LAD24CD IN (")
    assert all(f"'{d.code}'" in where for d in DISTRICTS)
    saved = read_boundaries(dest)
    assert dict(zip(saved["name"], saved["division"], strict=True)) == EXPECTED_DIVISIONS
    assert list(tmp_path.joinpath("cache").iterdir()) == [dest]  # no temp files left behind


def test_download_uses_configured_code_field(ons_server: FakeOns, tmp_path: Path) -> None:
    ons_server.body = ons_server.body.replace(b"LAD24", b"LAD23")
    download_boundaries(ons_server.url, tmp_path / "d.geojson", code_field="LAD23CD")
    assert "LAD23CD+IN" in ons_server.requests[0]


def test_load_downloads_into_cache_when_nothing_on_disk(
    ons_server: FakeOns, tmp_path: Path
) -> None:
    out = load_boundaries(None, tmp_path, ons_server.url)
    assert len(out) == 14
    assert (tmp_path / "districts.geojson").is_file()
    load_boundaries(None, tmp_path, ons_server.url)
    assert len(ons_server.requests) == 1  # second load used the cache


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (500, b"Internal error", "HTTP 500"),
        (200, b"<html>garbage</html>", "did not answer JSON"),
        (
            200,
            b'{"error": {"code": 400, "message": "Invalid field: LAD24CD"}}',
            "reported an error",
        ),
        (200, b'{"type": "FeatureCollection"}', "did not answer a GeoJSON FeatureCollection"),
        (200, b"WRONG_CODES", "missing districts"),
    ],
    ids=["http-500", "garbage", "arcgis-error", "no-features", "wrong-codes"],
)
def test_failed_download_leaves_no_file_and_says_what_to_do(
    ons_server: FakeOns, tmp_path: Path, status: int, body: bytes, message: str
) -> None:
    ons_server.status = status
    ons_server.body = (
        ons_server.body.replace(b"E07000123", b"E08000001") if body == b"WRONG_CODES" else body
    )
    with pytest.raises(BoundaryError, match=message) as err:
        load_boundaries(None, tmp_path, ons_server.url)
    assert "OPSMAP_BOUNDARIES" in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_oversized_download_is_refused(ons_server: FakeOns, tmp_path: Path) -> None:
    with pytest.raises(BoundaryError, match="exceeded"):
        download_boundaries(ons_server.url, tmp_path / "d.geojson", max_bytes=1000)
    assert list(tmp_path.iterdir()) == []


def test_unreachable_server_is_a_boundary_error(tmp_path: Path) -> None:
    with pytest.raises(BoundaryError, match=r"could not download.*OPSMAP_BOUNDARIES"):
        download_boundaries("http://127.0.0.1:9/query", tmp_path / "d.geojson", timeout=2)


def test_non_http_url_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BoundaryError, match="must be http"):
        download_boundaries("file:///etc/passwd", tmp_path / "d.geojson")
