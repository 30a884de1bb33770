"""Ingest's input handling: headers, JSON fields, boilerplate, and clear errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
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
        ({"text": "ok ok ok", "published": 20150301}, "'published' must be a string"),
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


def test_date_header_with_a_note_keeps_the_report_and_the_leading_date() -> None:
    note = "2015-03-01 (estimate: undated, the outlet's archive gives only the month; " + "x" * 150 + ")"
    warnings: list[str] = []
    report = build_report(parse_text(f"DATE: {note}\nSOURCE: desk\n\nThe YPG took the village of Kharrata."),
                          warnings=warnings)
    assert report.published == "2015-03-01" and report.source == "desk" and warnings == []


@pytest.mark.parametrize(
    ("published", "says"),
    [
        ("last week", "does not start with a date"),
        ("2015-13-45", "does not start with a date"),
        ("March 2015", "does not start with a date"),
        ("2099-01-01", "2099-01-01 is in the future"),
    ],
)
def test_unparseable_or_future_date_keeps_the_report_without_a_date_and_says_so(published: str, says: str) -> None:
    warnings: list[str] = []
    report = build_report({"text": "The YPG took the village of Kharrata.", "published": published},
                          warnings=warnings)
    assert report.published is None
    assert len(warnings) == 1 and says in warnings[0] and "kept without a date" in warnings[0]


def test_tomorrow_is_not_the_future_but_the_day_after_is() -> None:
    received = datetime(2016, 3, 10, 23, 30, tzinfo=UTC)
    text = "The YPG took the village of Kharrata."
    assert build_report({"text": text, "published": "2016-03-11"}, received=received).published == "2016-03-11"
    warnings: list[str] = []
    assert build_report({"text": text, "published": "2016-03-12"}, received=received, warnings=warnings).published \
        is None
    assert warnings
    today = datetime.now(UTC).date()
    assert build_report({"text": text, "published": (today + timedelta(days=1)).isoformat()}).published is not None


def test_files_and_jsonl_follow_the_same_date_rule_and_warn(tmp_path: Path) -> None:
    txt = tmp_path / "future.txt"
    txt.write_text("DATE: 2099-05-05\n\nThe YPG took the village of Kharrata.")
    jsonl = tmp_path / "two.jsonl"
    jsonl.write_text('{"text": "Clashes near Tal Tamr town.", "published": "sometime in 2015"}\n'
                     '{"text": "Clashes near Tal Tamr town again.", "published": "2015-06-12 (updated)"}\n')
    warned: list[tuple[str, str]] = []
    got = dict(reports_in([str(txt), str(jsonl)], warn=lambda label, w: warned.append((label, w))))
    assert all(isinstance(r, Report) for r in got.values())
    assert [got[k].published for k in (f"{txt}#1", f"{jsonl}#1", f"{jsonl}#2")] == [None, None, "2015-06-12"]
    assert [label for label, _ in warned] == [f"{txt}#1", f"{jsonl}#1"]
    assert "in the future" in warned[0][1] and "does not start with a date" in warned[1][1]


def test_warnings_go_to_stderr_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "a.txt"
    f.write_text("DATE: soon\n\nThe YPG took the village of Kharrata.")
    assert isinstance(next(reports_in([str(f)]))[1], Report)
    assert f"warning: {f}#1: 'published' does not start with a date" in capsys.readouterr().err


@pytest.mark.parametrize("content", ["TITLE: t\nDATE: 2015-01-01\n", "URL: https://example.org/x", "SOURCE: s\n\n  \n"])
def test_header_block_without_body_is_refused(content: str) -> None:
    with pytest.raises(BadReport, match="header lines but no report text"):
        parse_text(content)


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><html><body><p>The YPG took the village of Kharrata.</p></body></html>",
        "<div class='story'><p>The YPG took the village of Kharrata.</p><p>More.</p></div>",
        "The YPG took Kharrata.<script>track()</script> and more words here",
    ],
)
def test_html_is_refused_in_files_json_and_text(text: str, tmp_path: Path) -> None:
    with pytest.raises(BadReport, match="HTML markup"):
        build_report({"text": text})
    f = tmp_path / "page.txt"
    f.write_text(text)
    assert "HTML markup" in str(next(reports_in([str(f)]))[1])


def test_a_stray_angle_bracket_is_not_html() -> None:
    report = build_report({"text": "Losses were < 10 as the YPG took the village of Kharrata <b>today</b>."})
    assert report.text.startswith("Losses")
