"""The dependency audit's decisions (deploy/audit.py, run by `deploy/local.sh test`): a known vulnerability fails
the run unless the allow-list names it with a reason; no usable vulnerability source is a clear skip, not a pass
that claims something."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("audit", ROOT / "deploy" / "audit.py")
audit = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules["audit"] = audit  # dataclasses look their module up there
_spec.loader.exec_module(audit)  # type: ignore[union-attr]

VULNERABLE = {"dependencies": [
    {"name": "ecdsa", "version": "0.19.2", "vulns": [
        {"id": "PYSEC-2026-1325", "fix_versions": [], "aliases": ["GHSA-wj6h-64fc-37mp"], "description": "..."}]},
    {"name": "requests", "version": "2.34.2", "vulns": []},
    {"name": "aiohttp", "skip_reason": "Dependency not found on PyPI and could not be audited: aiohttp (3.14.5)"},
], "fixes": []}
ALL_SKIPPED = {"dependencies": [{"name": "aiohttp", "skip_reason": "Dependency not found on PyPI ..."}], "fixes": []}


def test_a_known_vulnerability_fails() -> None:
    code, lines = audit.verdict(VULNERABLE, [])
    assert code == 1
    assert "VULNERABLE: ecdsa 0.19.2 PYSEC-2026-1325, no fix released" in lines
    assert any(line.startswith("warning: 1 package(s) not audited: aiohttp") for line in lines)
    assert lines[-1] == "2 package(s) audited, 1 known vulnerability, 1 not allowed"


def test_the_allow_list_takes_an_id_or_alias_with_a_reason() -> None:
    allow = audit.read_allow_list("# comment\n\nGHSA-wj6h-64fc-37mp  ECDSA  timing side channel; we sign nothing\n"
                                  "PYSEC-1-1 six  stale entry\n")
    code, lines = audit.verdict(VULNERABLE, allow)
    assert code == 0
    assert any(line.startswith("allowed: ecdsa 0.19.2 PYSEC-2026-1325") and "we sign nothing" in line for line in lines)
    assert any("PYSEC-1-1 six matches nothing now" in line for line in lines)
    with pytest.raises(ValueError, match="want 'VULN-ID PACKAGE REASON'"):
        audit.read_allow_list("PYSEC-2026-1325 ecdsa\n")


def test_no_usable_source_is_a_clear_skip() -> None:
    for report in (None, ALL_SKIPPED, {"dependencies": []}):
        code, lines = audit.verdict(report, [])
        assert code == 0 and lines[0].startswith("skipped: no vulnerability source reachable")


def test_the_shipped_allow_list_is_valid() -> None:
    for entry in audit.read_allow_list((ROOT / "deploy" / "audit-allow.txt").read_text()):
        assert entry.reason


def test_the_test_command_runs_the_audit() -> None:
    script = (ROOT / "deploy" / "local.sh").read_text()
    test_block = script[script.index("  test)"):]
    assert test_block.index("deploy/audit.py") < test_block.index("pytest")


def page(latest: str, vulns: list[dict]) -> dict:
    return {"info": {"version": latest}, "vulnerabilities": vulns}


PAGES = {
    "pycryptic": page("2.6.1", [{"id": "PYSEC-2017-94", "aliases": ["CVE-2013-7459"], "fixed_in": [],
                                 "withdrawn": None},
                                {"id": "PYSEC-2020-1", "aliases": [], "fixed_in": ["2.7"], "withdrawn": "2021-01-01"}]),
    "requests": page("2.34.2", []),
    "click": page("8.5.1", [{"id": "GHSA-xxxx", "aliases": [], "fixed_in": ["8.5.2"]}]),
}


def test_pins_are_read_from_a_constraints_file() -> None:
    text = "# pinned\nrequests==2.34.2\n  spacy[lookups] == 3.8.18 ; python_version >= '3.9'  # the parser\nfoo>=1\n"
    assert audit.pinned(text) == [("requests", "2.34.2"), ("spacy", "3.8.18")]


def test_project_pages_audit_a_pin_that_is_the_latest_release_and_say_which_they_cannot() -> None:
    pins = [("pycryptic", "2.6.1"), ("requests", "2.34.2"), ("click", "8.3.3"), ("gone", "1.0")]
    report = audit.latest_release_report(pins, fetch=PAGES.get)
    code, lines = audit.verdict(report, [])
    assert code == 1
    assert "VULNERABLE: pycryptic 2.6.1 PYSEC-2017-94, no fix released" in lines
    assert not any("PYSEC-2020-1" in line for line in lines)  # withdrawn
    assert not any("GHSA-xxxx" in line for line in lines)  # the latest release's, not our pin's
    warning = next(line for line in lines if line.startswith("warning: 2 package(s) not audited"))
    assert "click: pinned 8.3.3 is not the latest release (8.5.1)" in warning and "gone: no project page" in warning
    assert lines[-1] == "2 package(s) audited, 1 known vulnerability, 1 not allowed"


def test_project_pages_that_cannot_be_had_are_no_source() -> None:
    report = audit.latest_release_report([("requests", "2.34.2")], fetch=lambda name: None)
    code, lines = audit.verdict(report, [])
    assert code == 0 and lines[0].startswith("skipped: no vulnerability source reachable")
