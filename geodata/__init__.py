"""Geospatial building blocks of OpsMap: CRS conversion, districts, postcodes, grid refs.

Everything here is pure (no database, no Dash) and vectorised over numpy arrays, so the
dashboard, importers and benchmarks share one tested implementation.
"""

from geodata.boundaries import (
    DEFAULT_ONS_URL,
    DISTRICTS,
    DIVISIONS,
    OUTSIDE,
    BoundaryError,
    District,
    download_boundaries,
    load_boundaries,
    load_boundaries_cached,
    read_boundaries,
    validate_boundaries,
)
from geodata.crs import BNG, WGS84, to_bng, to_bng_gdf, to_wgs84, to_wgs84_gdf
from geodata.districts import OUTSIDE_NAME, DistrictIndex
from geodata.gridref import format_gridref, parse_gridrefs
from geodata.postcodes import (
    GeocodeResult,
    PostcodeIndex,
    PostcodeIndexError,
    normalise_postcodes,
    postcode_index_status,
)

__all__ = [
    "BNG",
    "DEFAULT_ONS_URL",
    "DISTRICTS",
    "DIVISIONS",
    "OUTSIDE",
    "OUTSIDE_NAME",
    "WGS84",
    "BoundaryError",
    "District",
    "DistrictIndex",
    "GeocodeResult",
    "PostcodeIndex",
    "PostcodeIndexError",
    "download_boundaries",
    "format_gridref",
    "load_boundaries",
    "load_boundaries_cached",
    "normalise_postcodes",
    "parse_gridrefs",
    "postcode_index_status",
    "read_boundaries",
    "to_bng",
    "to_bng_gdf",
    "to_wgs84",
    "to_wgs84_gdf",
    "validate_boundaries",
]
