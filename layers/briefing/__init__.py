"""The daily briefing: redacted figures for a shared screen and for a pack carried away.

- figures: :mod:`.model` (options, the :class:`~.model.Briefing`), :mod:`.build` (assembles
  and caches it), :mod:`.sources` (the store reads), :mod:`.plan`, :mod:`.results`,
  :mod:`.progress`, :mod:`.intel`, :mod:`.outstanding`; :mod:`.redaction` (the allow-list);
- presentation shared by screen and pack: :mod:`.charts`;
- the pack: :mod:`.pack` (files, CSV, disclosure), :mod:`.pack_page` (HTML), :mod:`.pack_maps`
  (map data), :mod:`.assets` (inlined code and its CSP hashes), :mod:`.pdf` / :mod:`.pdf_draw`.
"""
