"""Issue 10 item 1: no import ever opens a network connection (server-side request forgery).

A local listener stands in for the host an attacker names; each test shows it receives zero
connections while real files go through the real pipeline (and GDAL itself, directly).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyogrio
import pytest

from layers.imports import import_file
from layers.imports.offline import GDAL_OFFLINE_OPTIONS, network_state
from layers.services import Services
from tests.imports.conftest import NOTHING, PRESTON, PRESTON_BNG, stored


@dataclass
class Listener:
    """A TCP listener on localhost that counts the connections it accepts."""

    port: int
    connections: list[bytes] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.1)
    found = Listener(server.getsockname()[1])
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(0.5)
                try:
                    found.connections.append(conn.recv(4096) or b"(connected)")
                except OSError:
                    found.connections.append(b"(connected)")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield found
    stop.set()
    thread.join(timeout=5)
    server.close()


def _collection(crs: dict[str, object] | None, key: str = "crs") -> bytes:
    doc: dict[str, object] = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": list(PRESTON)},
                "properties": {"ref": "G1", "risk": "high"},
            }
        ],
    }
    if crs is not None:
        doc[key] = crs
    return json.dumps(doc).encode()


def _links(url: str) -> list[bytes]:
    link = {"type": "link", "properties": {"href": f"{url}/crs", "type": "proj4"}}
    return [
        _collection(link),
        _collection({"type": "url", "properties": {"url": f"{url}/crs"}}),
        _collection({"type": "LINK", "properties": {"href": f"{url}/crs"}}, key="CRS"),
        # The key written with a JSON escape: GDAL's parser reads it as "crs".
        _collection(link).replace(b'"crs"', b'"\\u0063rs"'),
        _collection({"type": "name", "properties": {"name": f"{url}/crs"}}),
    ]


def test_sec101_linked_crs_refused_and_never_fetched(
    services: Services, listener: Listener
) -> None:
    for data in _links(listener.url):
        for dry_run in (True, False):
            report = import_file(
                services, data, "tags.geojson", "premises", "ana", dry_run=dry_run
            ).report
            assert report.refused and "will not fetch" in report.refused, report.refused
            assert "EPSG:27700" in report.refused
    time.sleep(0.3)
    assert listener.connections == []
    assert stored(services) == NOTHING


def test_sec102_gdal_itself_is_offline(tmp_path: Path, listener: Listener) -> None:
    """Even a file that reached GDAL without the check could not make it fetch anything."""
    state = network_state()
    assert state.config_options and state.proj_off
    assert state.http_refused, state.problem  # a check that could not run says so
    for option, value in GDAL_OFFLINE_OPTIONS.items():
        assert str(pyogrio.get_gdal_config_option(option)).upper() == value.upper()
    path = tmp_path / "linked.geojson"
    path.write_bytes(_links(listener.url)[0])
    before = state.refused_requests
    pyogrio.read_dataframe(path)  # GDAL falls back to WGS84 when the fetch is refused
    assert network_state().refused_requests == before + 1
    for remote in (f"/vsicurl/{listener.url}/x.gpkg", f"{listener.url}/y.geojson"):
        with pytest.raises(pyogrio.errors.DataSourceError):
            pyogrio.read_dataframe(remote)
    time.sleep(0.3)
    assert listener.connections == []


def test_sec103_registry_names_still_work(services: Services) -> None:
    doc = json.loads(
        _collection({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}})
    )
    doc["features"][0]["geometry"]["coordinates"] = list(PRESTON_BNG)
    report = import_file(services, json.dumps(doc).encode(), "p.geojson", "premises", "ana").report
    assert report.ok and report.accepted == 1, report.refused
    assert report.by_district == {"E07000123": 1}
