"""axe-core in real Chromium: run the WCAG 2.0/2.1/2.2 A and AA rules on the page as it stands.

axe-core is pinned in ``tests/e2e/axe/package.json`` and installed by ``make test`` (``npm ci``)
into ``tests/e2e/axe/node_modules``. The PyPI wrapper ``axe-selenium-python`` was not used: its
newest release (2.1.6) bundles axe-core 3.1.1 of 2018, which has none of the WCAG 2.2 rules and
misses most of what axe-core 4.x reports (``target-size``, ``nested-interactive``,
``aria-input-field-name``, ``scrollable-region-focusable``...).

The allow-list (``docs/ACCESSIBILITY.md``) is the only thing excluded: third-party markup that
cannot be fixed from outside, each entry a selector and the rules it is excused from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from selenium import webdriver

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
BLOCKING = frozenset({"serious", "critical"})

# Third-party markup OpsMap cannot change, each excused from named rules only. Keep it equal to
# the allow-list table in docs/ACCESSIBILITY.md (tests/e2e/test_accessibility.py checks both).
ALLOWED: dict[str, tuple[str, ...]] = {}

RUN_JS = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
   .then(r => done(JSON.stringify(r.violations)))
   .catch(e => done(JSON.stringify({error: String(e)})));
"""


@dataclass(frozen=True)
class Violation:
    """One rule failed by one element: the rule, its impact, the element's selector and HTML."""

    rule: str
    impact: str
    target: str
    html: str

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}) {self.target}: {self.html[:160]}"


def _allowed(rule: str, target: str) -> bool:
    return any(rule in rules and selector in target for selector, rules in ALLOWED.items())


def axe_violations(driver: webdriver.Chrome, allow: bool = True) -> list[Violation]:
    """Every failing element on the current page (all impacts), the allow-list left out."""
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: run `npm ci --prefix tests/e2e/axe`")
    driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    driver.set_script_timeout(120)
    raw = json.loads(driver.execute_async_script(RUN_JS, WCAG_TAGS))
    if isinstance(raw, dict):
        raise AssertionError(f"axe-core failed: {raw['error']}")
    found = [
        Violation(v["id"], n.get("impact") or v["impact"], " ".join(n["target"]), n["html"])
        for v in raw
        for n in v["nodes"]
    ]
    return [v for v in found if not (allow and _allowed(v.rule, v.target))]


def blocking(violations: list[Violation]) -> list[Violation]:
    """The serious and critical ones: the issue's bar is zero of these."""
    return [v for v in violations if v.impact in BLOCKING]
