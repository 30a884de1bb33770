"""`villagewatch explain`: every candidate change of a report, kept or dropped by a named rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from villagewatch.cli import main

REPORT = """TITLE: Fighting south of the river
DATE: 2021-04-03

Government forces captured the village of Tal Baydar on Friday.
Rebels tried to retake the village of Kafr Hamra overnight.
Clashes continued near the town of Marea.
"""


def test_explain_names_the_rule_for_each_candidate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    assert main(["explain", str(path)]) == 0
    out = capsys.readouterr().out
    assert "KEPT: 'captured' [take] places=['Tal Baydar']" in out
    assert "dropped (attempted): 'retake'" in out
    assert "skipped: no-control-word" in out  # the clashes sentence is not parsed
    changes = out.split("-- control changes:")[1]
    assert "Tal Baydar" in changes and "-> government" in changes
    assert "Kafr Hamra" not in changes


def test_explain_quiet_shows_only_sentences_with_candidates(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    assert main(["explain", "-q", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Marea" not in out.split("-- control changes:")[0]


def test_explain_refuses_an_unusable_file_clearly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("", encoding="utf-8")
    assert main(["explain", str(path)]) == 1
    assert "error:" in capsys.readouterr().err


def test_explain_shows_names_that_are_no_place_and_how_places_resolved(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.txt"
    path.write_text("TITLE: t\nDATE: 2021-04-03\n\nThe army captured Syrian-Iraqi on Friday.\n\n"
                    "The Syrian army captured the Druze-majority village of Tal Baydar on Friday.\n", encoding="utf-8")
    assert main(["explain", str(path)]) == 0
    out = capsys.readouterr().out
    assert "names dropped (not-a-place): Syrian-Iraqi" in out
    assert "Tal Baydar: ? -> government" in out and "Druze-majority Tal Baydar" not in out
    assert "place: not in the gazetteer (id x-" in out
