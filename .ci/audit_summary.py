"""Say what a pip-audit JSON report really covered (used by ``.ci/audit``).

pip-audit prints "No known vulnerabilities found" even when it audited nothing (every package
"not found" because the advisory service is unreachable). This reads its JSON report and says
how many packages were and were not audited, and says plainly when the audit did not run.

Exit status: 1 when a known vulnerability is found; 2 when coverage is incomplete and
``OPSMAP_AUDIT_STRICT=1`` (for machines that can reach the advisory service); otherwise 0.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

INCOMPLETE = 2


def _load(path: Path) -> dict[str, Any] | None:
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) else None


def summarise(report: dict[str, Any] | None, pip_audit_status: int) -> tuple[list[str], int]:
    """The lines to print and the exit status (before ``OPSMAP_AUDIT_STRICT`` is applied)."""
    if report is None:
        return [
            f"DEPENDENCY AUDIT DID NOT RUN: pip-audit exited {pip_audit_status} without a report."
        ], INCOMPLETE
    deps = [d for d in report.get("dependencies", []) if isinstance(d, dict)]
    skipped = [d for d in deps if "skip_reason" in d]
    audited = [d for d in deps if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    lines = []
    for dep in vulnerable:
        ids = ", ".join(str(v.get("id", "?")) for v in dep["vulns"])
        lines.append(f"VULNERABLE: {dep.get('name')} {dep.get('version')}: {ids}")
    if not audited:
        reason = skipped[0]["skip_reason"] if skipped else "the report lists no packages"
        lines.append(
            f"DEPENDENCY AUDIT DID NOT RUN: none of the {len(deps)} packages could be audited "
            f"(e.g. {reason}). No known-vulnerability check was made."
        )
        return lines, INCOMPLETE
    lines.append(f"pip-audit: {len(audited)} of {len(deps)} packages audited, "
                 f"{len(skipped)} not audited, {len(vulnerable)} with known vulnerabilities.")
    if skipped:
        names = ", ".join(str(d.get("name")) for d in skipped)
        lines.append(f"Not audited (no verdict either way): {names}")
    if vulnerable:
        return lines, 1
    return lines, INCOMPLETE if skipped else 0


def main(argv: list[str]) -> int:
    """``audit_summary.py REPORT.json PIP_AUDIT_STATUS``."""
    lines, status = summarise(_load(Path(argv[1])), int(argv[2]))
    print("\n".join(lines))
    if status == INCOMPLETE and os.environ.get("OPSMAP_AUDIT_STRICT") != "1":
        return 0
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
