"""Geospatial building blocks of OpsMap: CRS conversion, districts, postcodes, grid refs.

Everything here is pure (no database, no Dash) and vectorised over numpy arrays, so the
dashboard, importers and benchmarks share one tested implementation. Import from the module
that defines a name (``geodata.crs``, ``geodata.force``, ``geodata.districts``, ...).
"""
