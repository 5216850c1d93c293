"""Public updates for the week's social media: figures checked for disclosure, approved by a
second person, logged, and turned into posts and cards.

- :mod:`.disclosure`: the disclosure rules (threshold k, "fewer than k", districts merged into
  divisions, totals that would reveal a small count, the public vocabulary), pure functions.
- :mod:`.figures`: counting the period's visits, outcomes and results by district, from the
  stored history (through the briefing's readers) without reading any free text.
- :mod:`.release`: what an update may show, and the checks that passed or held figures back.
- :mod:`.wording`: the templates: X/Twitter and Facebook posts, card texts, alt texts, advice.
- :mod:`.cards`: PNG social cards, advice cards and the area map, rendered offline with Pillow.
- :mod:`.models` and :mod:`.store`: drafts, approval or rejection, export, each step logged.
"""
