"""Ingest's input handling: headers, JSON fields, boilerplate, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from villagewatch.ingest.parse import BadReport, build_report, parse_text, read_file, reports_in
from villagewatch.models import Report

SAMPLE = Path(__file__).resolve().parents[2] / "services" / "villagewatch" / "samples" / "hasakah-sample.txt"


def test_header_file() -> None:
    fields = parse_text(SAMPLE.read_text())
    report = build_report(fields)
    assert report.published == "2015-06-12"
    assert report.source == "villagewatch sample desk"
    assert report.text.startswith("Hasakah, Syria")
    assert report.report_id.startswith("r-")


def test_same_text_same_id_and_boilerplate_dropped() -> None:
    a = build_report({"text": "The YPG took the village of Kharrata on Monday.\n\nLeave a comment\n\n5 − 5 ="})
    b = build_report({"text": "The YPG took the village of Kharrata on Monday."})
    assert a.report_id == b.report_id
    assert "Leave a comment" not in a.text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "'text' is required"),
        ({"text": "   "}, "'text' is required"),
        ({"text": 5}, "'text' is required"),
        ({"text": "ok ok ok", "published": "last week"}, "'published' must start with a date"),
        ({"text": "ok ok ok", "url": "not a url"}, "'url' is not an absolute URL"),
        ({"text": "ok ok ok", "colour": "red"}, "unknown field(s): colour"),
        ({"text": "?? !!"}, "no readable sentences"),
        ([1, 2], "JSON object"),
    ],
)
def test_bad_input_gets_a_clear_error(fields: object, message: str) -> None:
    with pytest.raises(BadReport, match=message.replace("(", r"\(").replace(")", r"\)")):
        build_report(fields)  # type: ignore[arg-type]


def test_header_without_blank_line_is_refused() -> None:
    with pytest.raises(BadReport, match="blank line"):
        parse_text("URL: https://example.org/x\nThe body starts too early.")


def test_jsonl_reports_each_line(tmp_path: Path) -> None:
    f = tmp_path / "two.jsonl"
    f.write_text('{"text": "The YPG took the village of Kharrata."}\n\n{"text": "Clashes near Tal Tamr town."}\n')
    assert [x["text"][:9] for x in read_file(f)] == ["The YPG t", "Clashes n"]


def test_jsonl_bad_line_names_the_line_and_loses_nothing_else(tmp_path: Path) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text('{"text": "fine fine fine"}\n{oops\n{"text": "also fine here"}\n{"text": ""}\n')
    got = list(reports_in([str(f)]))
    assert [label for label, _ in got] == [f"{f}#1", f"{f}#2", f"{f}#3", f"{f}#4"]
    assert isinstance(got[0][1], Report) and isinstance(got[2][1], Report)
    assert "bad.jsonl:2: not JSON" in str(got[1][1])
    assert "'text' is required" in str(got[3][1])
