"""Property-based tests (hypothesis) of what reads untrusted text: no string makes the parsing functions raise
anything but their documented refusal (`BadReport`), and no report makes the understanding step raise at all;
whatever they return is valid against the topic's schema.

The strategies mix random text (any Unicode, control characters, line separators) with fragments of our own
war-report vocabulary, headers and markup, so the parser also sees realistic shapes. Example counts are modest
(extract parses with spaCy, 10-30 ms a call): the file runs in well under 30 s. `-m property` runs it alone.
In CI (CI set) the examples are derandomized, so a failure there reproduces; locally each run explores anew.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from villagewatch import codec
from villagewatch.ingest.parse import BadReport, build_report, parse_text, reports_in
from villagewatch.models import Report

pytestmark = pytest.mark.property

RECEIVED = datetime(2016, 5, 12, 12, 0, tzinfo=UTC)
CHEAP = settings(max_examples=150, deadline=None, derandomize=bool(os.environ.get("CI")),
                 suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(CHEAP, max_examples=60)  # every example runs the spaCy parse

# Our own words: how field reports about control of villages are shaped.
ACTORS = ["the Syrian Arab Army", "regime forces", "government troops", "the army", "IS", "ISIS", "Islamic State",
          "Daesh militants", "the SDF", "the YPG", "Kurdish-led forces", "US-backed forces", "rebels", "the FSA",
          "Turkish-backed factions", "the Turkish army", "pro-Assad militias", "the NDF", "jihadists", "they", "it"]
VERBS = ["captured", "seized", "retook", "regained", "liberated", "took control of", "took over", "overran",
         "drove IS out of", "cleared", "withdrew from", "fled", "lost", "surrendered", "was retaken by",
         "fell to", "came under the control of", "is now in the hands of", "did not capture", "tried to take",
         "failed to take", "will capture", "denied losing", "is controlled by", "raised its flag over",
         "announced the liberation of", "shelled", "attacked", "clashed near", "repelled an attack on"]
PLACES = ["Masoom", "Hanash", "Tappa", "Uwaina", "Marouf", "Hajj Hasan", "Nasrat", "Tal Tamr", "Tel Hormuz",
          "Kharrata", "Marea", "Tal Rifaat", "al-Twaina", "Hasakah", "Aleppo", "Deir ez-Zor", "al Rami",
          "Tal Baydar", "Kafr Hamra", "Susah", "Tal Xyzzy", "Ain Issa", "the village", "the town", "40 villages"]
GLUE = ["the villages of", "the village of", "the town of", "near", "south of", ",", ", and", "and", ".", ". ",
        "on Monday", "yesterday", "last week", "on October 16", "activists said", "a spokesman said",
        "according to SANA", "according to the regime", "could not verify the claim", "residents said",
        "the SDF said", "\"", "'", "(", ")", ":", ";", "-", "—", "parts of", "the outskirts of", "after clashes",
        "Leave a comment", "5 − 5 =", "Photo: AFP", "By Staff Writer", "\n", "\n\n", "\r\n", "\t"]
HEADERS = ["URL: https://example.org/a", "URL: not a url", "TITLE: Regime forces advance", "TITLE:",
           "DATE: 2015-06-12", "DATE: 2015-03-01 (estimate: undated)", "DATE: last week", "DATE: 2099-01-01",
           "DATE: 2015-13-45", "SOURCE: SANA", "SOURCE: Hawar", "SOURCE: unknown", "source : villagewatch desk"]
ODD = ["<p>", "</p>", "<div class='x'>", "<script>", "<!doctype html>", "<br/>", "&amp;", "تل تمر", "حلب",
       "\u200b", "\ufeff", "\u2028", "\u2029", "\x00", "\x0b", "\x85", "🙂", "Ş", "ğ", "İ", "ẞ", "ﬁ",
       "\U0001f1f8\U0001f1fe", "Tal" * 40, "a" * 300, "\\", "{", "}", "[", "]", "null"]
FRAGMENT = st.sampled_from(ACTORS + VERBS + PLACES + GLUE + HEADERS + ODD)
SEPARATOR = st.sampled_from([" ", " ", " ", "", "\n", ", ", ". ", "\n\n"])


def _second_place(place: str) -> str:
    """A second place in a list, or none."""
    return "" if len(place) % 3 == 0 else f" and {place}" if len(place) % 3 == 1 else f", {place}"


@st.composite
def report_texts(draw: st.DrawFn) -> str:
    """Text of a report: fragments of our vocabulary, random text, and sentences shaped like the real ones."""
    sentence = st.builds(lambda a, v, g, p, q, t: f"{a} {v} {g}{p}{q}{t}.", st.sampled_from(ACTORS),
                         st.sampled_from(VERBS),
                         st.sampled_from(["", "the village of ", "the villages of ", "the town of "]),
                         st.sampled_from(PLACES), st.sampled_from(PLACES).map(_second_place),
                         st.sampled_from(["", " on Monday", ", activists said", ", state television said", " yesterday",
                                          ", the SDF said", " from IS", " after heavy clashes"]))
    piece = st.one_of(FRAGMENT, FRAGMENT, sentence, st.text(max_size=30))
    parts = draw(st.lists(st.tuples(piece, SEPARATOR), max_size=30))
    text = "".join(p + s for p, s in parts)
    if draw(st.booleans()):  # a header block, sometimes well formed
        header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=4))
        text = "\n".join(header) + draw(st.sampled_from(["\n\n", "\n", "\n \n", ""])) + text
    return text


ANY_TEXT = st.one_of(report_texts(), st.text(max_size=400))
JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**64 - 1), st.floats(allow_nan=False),
                        st.text(max_size=40), ANY_TEXT)
JSON_VALUE = st.recursive(JSON_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                               st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                          max_leaves=10)
FIELD = st.sampled_from(["text", "text", "title", "url", "source", "published", "report_id", "received", "colour"])
FIELDS = st.dictionaries(FIELD, st.one_of(JSON_VALUE, ANY_TEXT, st.sampled_from(HEADERS + ["2015-06-12"])),
                         max_size=6)


def _schema_valid_report(report: Report) -> None:
    codec.check("report", report.to_dict())
    assert report.published is None or datetime.strptime(report.published, "%Y-%m-%d")  # noqa: DTZ007


@CHEAP
@given(ANY_TEXT)
@example("URL: x\n\n")
@example("DATE: 2015-06-12\nbody right after the header")
@example("\r\n\r\n")
def test_parse_text_refuses_or_returns_fields(content: str) -> None:
    try:
        fields = parse_text(content)
    except BadReport as exc:
        assert str(exc)
        return
    assert set(fields) <= {"text", "url", "title", "published", "source"} and isinstance(fields["text"], str)
    assert all(isinstance(v, str) for v in fields.values())


@CHEAP
@given(ANY_TEXT)
@example("DATE: 2099-01-01\n\nThe SDF captured the village of Susah.")
@example("<p>a</p><p>b</p><br/> The army took Masoom.")
@example("IS seized \u2028 Marea \x00 yesterday")
def test_text_becomes_a_schema_valid_report_or_a_refusal(content: str) -> None:
    warnings: list[str] = []
    try:
        report = build_report(parse_text(content), received=RECEIVED, warnings=warnings)
    except BadReport as exc:
        assert str(exc)
        return
    _schema_valid_report(report)
    assert all(isinstance(w, str) and w for w in warnings)


@CHEAP
@given(st.one_of(FIELDS, JSON_VALUE))
@example({"text": "The army took Masoom and Hanash.", "published": 20150301})
@example({"text": "The army took Masoom and Hanash.", "url": "x" * 5000})
def test_any_json_value_becomes_a_schema_valid_report_or_a_refusal(fields: object) -> None:
    try:
        report = build_report(fields, received=RECEIVED)  # type: ignore[arg-type]
    except BadReport as exc:
        assert str(exc)
        return
    _schema_valid_report(report)


JSONL_LINE = st.one_of(FIELDS.map(lambda d: orjson.dumps(d).decode()),
                       JSON_VALUE.map(lambda v: orjson.dumps(v).decode()),
                       ANY_TEXT.map(lambda t: t.replace("\n", " ").replace("\r", " ")))


@CHEAP
@given(st.lists(JSONL_LINE, max_size=8))
@example(['the Syrian Arab Army \x1e0 '])  # found by this test: \x1e split one line in two
@example([orjson.dumps({"text": "IS seized\u2028Marea and Hanash\x85 yesterday"}).decode(), "{nope"])
def test_jsonl_lines_each_give_a_report_or_a_refusal(lines: list[str]) -> None:
    """reports_in over a .jsonl file: every line is a report or its refusal, and a bad line costs no other."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.jsonl"
        path.write_text("\n".join(lines), encoding="utf-8")
        warned: list[tuple[str, str]] = []
        out = list(reports_in([str(path)], warn=lambda label, w: warned.append((label, w))))
    # One line, one answer: a JSON line holding U+2028 or another character str.splitlines breaks at is one line.
    assert len(out) == sum(1 for line in lines if line.strip())
    for label, item in out:
        assert label.startswith(str(path))
        if isinstance(item, BadReport):
            assert str(item)
        else:
            _schema_valid_report(item)
    for line, (_, item) in zip([x for x in lines if x.strip()], out, strict=True):
        if isinstance(item, BadReport) and "not JSON" in str(item):
            with pytest.raises(orjson.JSONDecodeError):
                orjson.loads(line)  # refused as not JSON only when it is not


def _events_valid(report: Report) -> None:
    from villagewatch.understanding.extract import extract

    result = extract(report)
    assert result.report_id == report.report_id
    event("control change found" if result.control_changes else "events found" if result.events else "no event")
    for found in result.events:
        codec.check("event", found.to_dict())
    contract = result.to_contract()
    orjson.dumps(contract)
    assert len(contract["control_changes"]) == len(result.control_changes)


@SLOW
@given(report_texts())
@example("Government troops captured the villages of Tal Baydar and Kafr Hamra on Monday, state television said.")
@example("The SDF denied that the Islamic State had seized the village of Susah. Rockets fell on Tal Rifaat.")
def test_extract_on_accepted_reports_gives_schema_valid_events(content: str) -> None:
    try:
        report = build_report(parse_text(content), received=RECEIVED)
    except BadReport:
        return
    _events_valid(report)


# Any date, the start and end of the calendar included ("yesterday" in a report dated 0001-01-01 once overflowed).
ANY_DATE = st.dates()
PUBLISHED = st.one_of(st.none(), ANY_DATE.map(lambda d: d.isoformat()),
                      st.builds(lambda d, t: d.isoformat() + t, ANY_DATE, st.text(max_size=20)))


@SLOW
@given(text=st.one_of(report_texts(), st.text(min_size=1, max_size=300)).filter(bool),
       title=st.one_of(st.none(), st.sampled_from(ACTORS + PLACES), report_texts().map(lambda t: t[:200])),
       source=st.one_of(st.none(), st.sampled_from(["SANA", "Hawar", "ANHA", "Amaq", "Anadolu", "TRT", "desk"]),
                        st.text(max_size=40)),
       published=PUBLISHED)
@example(text="the Syrian Arab Army captured Masoom yesterday.", title=None, source=None, published="0001-01-01")
@example(text="On December 31 the SDF captured Susah.", title=None, source=None, published="9999-12-31")
def test_extract_on_any_schema_valid_report_gives_schema_valid_events(
        text: str, title: str | None, source: str | None, published: str | None) -> None:
    """What enrich may read from the `reports` topic: any record the report schema lets through (anyone can
    write to a topic), not only what ingest built."""
    report = Report(report_id="r-property", text=text, title=title, source=source, published=published)
    codec.check("report", report.to_dict())
    _events_valid(report)
