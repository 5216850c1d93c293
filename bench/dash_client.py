"""What a browser's Dash renderer sends: callback bodies built from the server's own description.

The load test drives the real callbacks through ``/_dash-update-component`` without a browser.
Rather than hard-coding component ids (which change as pages evolve), it reads
``/_dash-dependencies`` and the page layout (from the pages router's own callback), keeps every
component property as the renderer would, and builds each request from that: inputs and state
carry the page's current values, and each answer updates them, as in the browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

PAGES_OUTPUT = ".._pages_content.children..._pages_store.data.."
Key = tuple[str, str]


def outputs_of(output: str) -> list[dict[str, str]]:
    """The ``outputs`` list of a callback from its ``output`` string (a duplicate output keeps
    its ``@hash`` suffix, as the renderer sends it; the server strips it)."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    return [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True)) for part in parts]


def components(tree: Any) -> Iterator[dict[str, Any]]:
    """Every component in a layout tree (depth first)."""
    if isinstance(tree, list):
        for item in tree:
            yield from components(item)
    elif isinstance(tree, dict) and "props" in tree and "type" in tree:
        yield tree
        for value in tree["props"].values():
            yield from components(value)


@dataclass
class DashPage:
    """One browser tab's view of a page: the callbacks and every component's current props."""

    dependencies: list[dict[str, Any]]
    values: dict[Key, Any] = field(default_factory=dict)

    def absorb(self, tree: Any) -> None:
        """Remember the props of every component with a plain id in ``tree``."""
        for component in components(tree):
            ident = component["props"].get("id")
            if isinstance(ident, str):
                for prop, value in component["props"].items():
                    self.values[(ident, prop)] = value

    def callback(self, trigger: str) -> dict[str, Any]:
        """The callback a change of ``trigger`` (``"id.prop"``) fires."""
        for dep in self.dependencies:
            if any(f"{i['id']}.{i['property']}" == trigger for i in dep["inputs"]):
                return dep
        raise LookupError(f"no callback is triggered by {trigger}")

    def body(self, dep: dict[str, Any], changed: str) -> dict[str, Any]:
        """The request body the renderer sends when ``changed`` fires ``dep``."""

        def filled(items: list[dict[str, Any]]) -> list[Any]:
            # A pattern-matching item (its id is a JSON object) matches no component here.
            return [
                [] if i["id"].startswith("{") else
                {"id": i["id"], "property": i["property"],
                 "value": self.values.get((i["id"], i["property"]))}
                for i in items
            ]

        return {
            "output": dep["output"],
            "outputs": outputs_of(dep["output"]),
            "inputs": filled(dep["inputs"]),
            "state": filled(dep["state"]),
            "changedPropIds": [changed],
        }

    def page_body(self, path: str) -> dict[str, Any]:
        """The body that asks the pages router for ``path``'s layout."""
        return {
            "output": PAGES_OUTPUT,
            "outputs": outputs_of(PAGES_OUTPUT),
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": path},
                {"id": "_pages_location", "property": "search", "value": ""},
            ],
            "state": [],
            "changedPropIds": ["_pages_location.pathname"],
        }

    def apply(self, answer: dict[str, Any]) -> None:
        """Take a callback's answer into the page, as the renderer does."""
        for ident, props in (answer.get("response") or {}).items():
            for prop, value in props.items():
                self.values[(ident, prop)] = value
                self.absorb(value)

    def set(self, trigger: str, value: Any) -> str:
        """Change a property as a person (or an interval) would; returns the trigger."""
        ident, prop = trigger.rsplit(".", 1)
        self.values[(ident, prop)] = value
        return trigger
