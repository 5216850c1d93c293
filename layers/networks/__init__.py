"""Networks and circuits of adverts: who posted which adverts, where they moved, what they touch.

Pure, typed domain code (no Dash, no database):

- :mod:`.phones` finds numbers (obfuscated ones included), normalises and hashes them, masks
  them in stored text; :mod:`.adverts` reads an export's adverts into linker inputs;
- :mod:`.text`, :mod:`.images` and :mod:`.evidence` turn shared phones, near-duplicate wording
  and re-used photos into pairs of adverts, setting aside what unrelated adverts share;
- :mod:`.linking` combines the pairs so that one weak link cannot merge two large groups;
  :mod:`.incremental` links a new day into existing networks;
- :mod:`.summary` and :mod:`.templates` keep each network's evidence (phones' last three
  digits, photo matches, the template with its slots);
- :mod:`.circuits` derives districts by day, moves and "new in town" alerts;
- :mod:`.synthetic` (with :mod:`.corpus` and :mod:`.wording`) writes labelled weeks and
  :mod:`.scoring` measures a linking against them.
"""
