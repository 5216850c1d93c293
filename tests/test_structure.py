"""The code's shape, checked: the size limits and the glue-only callbacks the layout promises.

A newcomer must find any behaviour within a minute; these limits keep modules readable and
keep rules out of Dash callbacks (where they cannot be unit-tested without Dash).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = ("app.py", "config.py", "cli", "dashboard", "layers", "geodata")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_CALLBACK_BODY_LINES = 30


def _modules() -> list[Path]:
    files: list[Path] = []
    for entry in PRODUCTION:
        path = ROOT / entry
        files.extend([path] if path.is_file() else sorted(path.rglob("*.py")))
    return files


def _body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of the body, the docstring left out."""
    body = node.body
    if len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    end = node.end_lineno or node.lineno
    return end - body[0].lineno + 1


def _functions() -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    found = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found.append((f"{path.relative_to(ROOT)}:{node.lineno} {node.name}", node))
    return found


def _is_callback(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any("callback" in ast.unparse(d) for d in node.decorator_list)


def test_arc001_no_production_module_over_400_lines() -> None:
    big = {
        str(p.relative_to(ROOT)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert big == {}


def test_arc002_no_function_over_60_lines() -> None:
    long = {
        name: (node.end_lineno or node.lineno) - node.lineno + 1
        for name, node in _functions()
        if (node.end_lineno or node.lineno) - node.lineno + 1 > MAX_FUNCTION_LINES
    }
    assert long == {}


def test_arc003_callbacks_are_glue_of_at_most_30_lines() -> None:
    callbacks = [(name, node) for name, node in _functions() if _is_callback(node)]
    assert len(callbacks) > 20, "the check must see the app's callbacks"
    long = {
        name: _body_lines(node)
        for name, node in callbacks
        if _body_lines(node) > MAX_CALLBACK_BODY_LINES
    }
    assert long == {}


def test_arc004_the_london_zone_and_crs_codes_are_spelled_in_one_place() -> None:
    zone_owners, crs_owners = set(), set()
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        rel = str(path.relative_to(ROOT))
        if '"Europe/London"' in text:
            zone_owners.add(rel)
        if '"EPSG:4326"' in text or '"EPSG:27700"' in text:
            crs_owners.add(rel)
    assert zone_owners == {"layers/core/clock.py"}
    assert crs_owners == {"geodata/crs.py"}
