"""The marked document frame shared by run sheets, briefing packs and records exports.

Every document that leaves the building carries the protective marking at the top and bottom of
every page. :mod:`.pdf` gives the PDF frame, :mod:`.html` the printable HTML page with a
Content-Security-Policy; both escape what they print.
"""
