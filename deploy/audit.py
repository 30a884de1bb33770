"""Dependency audit: pip-audit over the pinned runtime dependencies (deploy/constraints.txt), run by
`deploy/local.sh test` (and so CI).

    .venv/bin/python deploy/audit.py [--constraints deploy/constraints.txt] [--allow deploy/audit-allow.txt]

Exit 1 when a pinned version has a known vulnerability that deploy/audit-allow.txt does not list (each entry
there gives its reason). pip-audit asks PyPI's per-version JSON pages first, then OSV. A source counts only if it
audited at least one package: one that answers "not found" for every package or cannot be reached is no source.
Where neither answers (as on our machines: the per-version pages are not served, OSV is not reachable), the
audit reads PyPI's project pages, which list the vulnerabilities of a project's latest release only: a pin that
is the latest release is audited exactly, any other is listed as not audited (upgrade it, or audit elsewhere).
With no source at all, the audit prints "skipped: no vulnerability source reachable" and passes: it cannot
prove anything either way, and says so.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SERVICES = ("pypi", "osv")
PYPI_PROJECT = "https://pypi.org/pypi/{name}/json"  # the project page: info of the latest release and its vulns
_NAME = re.compile(r"[-_.]+")


@dataclass(frozen=True)
class Allowed:
    vuln: str
    package: str
    reason: str


@dataclass(frozen=True)
class Finding:
    package: str
    version: str
    vuln: str
    aliases: tuple[str, ...]
    fixed_in: tuple[str, ...]


def canonical(name: str) -> str:
    return _NAME.sub("-", name).lower()


def read_allow_list(text: str) -> list[Allowed]:
    """`VULN-ID PACKAGE REASON...` a line; `#` starts a comment. An entry without a reason is an error."""
    entries = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split(None, 2)
        if len(parts) < 3 or not parts[2].strip():
            raise ValueError(f"audit allow-list line {n}: want 'VULN-ID PACKAGE REASON', got {raw.strip()!r}")
        entries.append(Allowed(parts[0], canonical(parts[1]), parts[2].strip()))
    return entries


def findings(report: dict) -> tuple[list[Finding], int, list[str]]:
    """(vulnerabilities found, packages audited, reasons packages were skipped) from pip-audit's JSON."""
    found, audited, skipped = [], 0, []
    for dep in report.get("dependencies", []):
        if "skip_reason" in dep:
            skipped.append(f"{dep.get('name')}: {dep['skip_reason']}")
            continue
        audited += 1
        for v in dep.get("vulns", []):
            found.append(Finding(dep["name"], dep.get("version", "?"), v["id"], tuple(v.get("aliases", [])),
                                 tuple(v.get("fix_versions", []))))
    return found, audited, skipped


def is_allowed(f: Finding, allow: list[Allowed]) -> Allowed | None:
    ids = {f.vuln, *f.aliases}
    return next((a for a in allow if a.vuln in ids and a.package == canonical(f.package)), None)


def verdict(report: dict | None, allow: list[Allowed]) -> tuple[int, list[str]]:
    """(exit code, lines to print) for one source's pip-audit report; None: the source gave no usable answer."""
    if report is None:
        return 0, ["skipped: no vulnerability source reachable (no source audited a single package; "
                   "nothing is known either way)"]
    found, audited, skipped = findings(report)
    if audited == 0:
        return verdict(None, allow)
    lines, failing = [], []
    for f in found:
        entry = is_allowed(f, allow)
        fix = f", fixed in {', '.join(f.fixed_in)}" if f.fixed_in else ", no fix released"
        if entry:
            lines.append(f"allowed: {f.package} {f.version} {f.vuln}{fix} ({entry.reason})")
        else:
            failing.append(f"VULNERABLE: {f.package} {f.version} {f.vuln}{fix}")
    unused = [a for a in allow if not any(is_allowed(f, [a]) for f in found)]
    lines += [f"note: allow-list entry {a.vuln} {a.package} matches nothing now: remove it" for a in unused]
    if skipped:
        lines.append(f"warning: {len(skipped)} package(s) not audited: " + "; ".join(skipped[:5])
                     + (" ..." if len(skipped) > 5 else ""))
    lines += failing
    lines.append(f"{audited} package(s) audited, {len(found)} known vulnerabilit{'y' if len(found) == 1 else 'ies'}, "
                 f"{len(failing)} not allowed")
    return (1 if failing else 0), lines


def run_pip_audit(constraints: Path, service: str) -> tuple[dict | None, str]:
    """(pip-audit's JSON report from one vulnerability service, or None when it gave no usable answer; why)."""
    exe = shutil.which("pip-audit", path=str(Path(sys.executable).parent)) or shutil.which("pip-audit")
    if exe is None:
        raise SystemExit("pip-audit is not installed (it is in the dev extras: pip install -e '.[dev]')")
    cmd = [exe, "-r", str(constraints), "--no-deps", "--disable-pip", "--progress-spinner", "off",
           "--format", "json", "--vulnerability-service", service]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    except subprocess.TimeoutExpired:
        return None, "timed out"
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return None, "no answer: " + (proc.stderr.strip().splitlines() or ["no output"])[-1][:300]
    if not findings(report)[1]:
        return None, "audited no package (every one 'not found' or skipped)"
    return report, ""


def pinned(constraints: str) -> list[tuple[str, str]]:
    """(name, version) of every `name==version` line; comments, markers and hashes ignored."""
    pins = []
    for raw in constraints.splitlines():
        line = raw.split("#", 1)[0].split(";", 1)[0].strip()
        if "==" in line:
            name, version = (part.strip() for part in line.split("==", 1))
            pins.append((name.split("[", 1)[0], version.split()[0]))
    return pins


def fetch_project(name: str) -> dict | None:
    """PyPI's project page for `name`, or None when it cannot be had."""
    try:
        with urllib.request.urlopen(PYPI_PROJECT.format(name=name), timeout=30) as resp:
            return json.loads(resp.read())
    except (urllib.error.URLError, OSError, ValueError):
        return None


def latest_release_report(pins: list[tuple[str, str]], fetch: Callable[[str], dict | None] = fetch_project) -> dict:
    """A pip-audit-shaped report from the project pages: a pin that is the project's latest release gets the
    page's vulnerabilities (withdrawn ones left out); any other pin is skipped, saying why."""
    deps = []
    for name, version in pins:
        page = fetch(name)
        latest = (page or {}).get("info", {}).get("version")
        if page is None or latest is None:
            deps.append({"name": name, "skip_reason": "no project page"})
        elif latest != version:
            deps.append({"name": name, "skip_reason": f"pinned {version} is not the latest release ({latest}), "
                                                      "the only one the project page gives vulnerabilities for"})
        else:
            vulns = [{"id": v["id"], "aliases": v.get("aliases") or [], "fix_versions": v.get("fixed_in") or []}
                     for v in page.get("vulnerabilities") or [] if not v.get("withdrawn")]
            deps.append({"name": name, "version": version, "vulns": vulns})
    return {"dependencies": deps, "fixes": []}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--constraints", type=Path, default=HERE / "constraints.txt")
    p.add_argument("--allow", type=Path, default=HERE / "audit-allow.txt")
    args = p.parse_args(argv)
    allow = read_allow_list(args.allow.read_text(encoding="utf-8")) if args.allow.exists() else []
    for service in SERVICES:
        report, why = run_pip_audit(args.constraints, service)
        if report is not None:
            code, lines = verdict(report, allow)
            print(f"dependency audit ({service}, {args.constraints.name}):")
            break
        print(f"audit: {service}: {why}")
    else:
        report = latest_release_report(pinned(args.constraints.read_text(encoding="utf-8")))
        code, lines = verdict(report, allow)
        print(f"dependency audit (PyPI project pages, latest releases only; {args.constraints.name}):")
    for line in lines:
        print("  " + line)
    return code


if __name__ == "__main__":
    sys.exit(main())
