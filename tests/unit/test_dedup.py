"""Near-duplicate reports: re-edits of one story match, different write-ups do not; the dedup index
routes a copy to its first report, forgets what left the window, and enrich re-sources instead of re-reading.

The threshold (0.5 estimated Jaccard over 5-word shingles) sits between the two groups measured
here: light edits of one story score 0.69-0.97; different labelled articles stay below it (tested).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import orjson
import pytest

from villagewatch.ingest.parse import build_report, parse_text
from villagewatch.models import Report
from villagewatch.pipeline import enrich, remember, routed
from villagewatch.understanding.dedup import (
    NEAR_DUPLICATE,
    ReportIndex,
    Seen,
    fingerprint,
    near_duplicate,
    similarity,
)

SAMPLE = Path(__file__).resolve().parents[2] / "services" / "villagewatch" / "samples" / "hasakah-sample.txt"


def body() -> str:
    return parse_text(SAMPLE.read_text())["text"]


def test_re_edits_are_near_duplicates() -> None:
    text = body()
    edits = [
        text + "\n\nFollow us on social media for more. Share this story with your friends today.",
        "BREAKING: army advances south of Hasakah\n\n" + text,
        text[: len(text) * 2 // 3],
        text.replace("Regime-aligned outlets said", "Pro-government media reported")
            .replace("three mortar rounds", "several mortar shells"),
    ]
    for edit in edits:
        assert near_duplicate(fingerprint(text), fingerprint(edit)), similarity(fingerprint(text), fingerprint(edit))


def test_own_words_about_the_same_event_are_not() -> None:
    other = ("Government troops and allied militia were reported to have entered seven hamlets to the south of "
             "Hasakah on Thursday, including Masoom and Hanash, according to state television. Residents we "
             "reached by phone said they could not confirm it.")
    assert similarity(fingerprint(body()), fingerprint(other)) < NEAR_DUPLICATE


def test_fingerprint_is_deterministic_and_small() -> None:
    assert fingerprint(body()) == fingerprint(body())
    assert len(fingerprint(body())) == 32
    assert fingerprint("") == ()


def test_different_labelled_articles_stay_below_the_threshold(labelled_train_reports: Path) -> None:
    """Articles the labels do not link as the same story (`duplicate_of`) are never near-duplicates."""
    folder = labelled_train_reports
    prints = {p.stem: fingerprint(build_report(parse_text(p.read_text())).text) for p in folder.glob("*.txt")}
    linked = set()
    for gold in folder.glob("*.gold.json"):
        other = orjson.loads(gold.read_bytes()).get("duplicate_of")
        if other:
            linked.add(frozenset((gold.name.removesuffix(".gold.json"), str(other))))
    pairs = [(a, b) for a, b in itertools.combinations(prints, 2) if frozenset((a, b)) not in linked]
    worst = max(similarity(prints[a], prints[b]) for a, b in pairs)
    assert worst < NEAR_DUPLICATE


def report(text: str, source: str, published: str = "2015-06-12") -> Report:
    url = f"https://{source.replace(' ', '-')}.example"
    return build_report({"text": text, "source": source, "published": published, "url": url})


OWN_WORDS = ("Government troops and allied militia entered seven hamlets south of Hasakah on Thursday, "
             "including Masoom and Hanash, state television said; residents could not confirm it.")


def run(index: ReportIndex, stored: dict[bytes, bytes], r: Report) -> list:
    """The enrich service's two steps, as the service runs them, over one report."""
    out = []
    for message in routed(index.route(r), r):
        found = enrich(message, stored)
        remember(message, found, stored)
        out += found
    return out


def test_copies_are_routed_to_their_first_report_and_not_read_again() -> None:
    index, stored = ReportIndex(), {}
    first = report(body(), "desk")
    events = run(index, stored, first)
    assert any(e.type == "control_change" for e in events)

    exact = report(body(), "aggregator")  # the same text from another outlet: another report id
    edited = report("BREAKING: army advances\n\n" + body() + "\n\nShare this story.", "reposter")
    own = report(OWN_WORDS, "tv monitor")
    for copy in (exact, edited):
        routing = index.route(copy)
        assert (routing.action, routing.first) == ("duplicate", first.report_id)
        (message,) = routed(routing, copy)
        assert message.key == first.report_id  # reaches the worker holding the first copy's events
        resourced = enrich(message, stored)
        changes = [e for e in events if e.type in ("control_change", "control_held")]
        assert [(e.place, e.new_controller) for e in resourced] == [(e.place, e.new_controller) for e in changes]
        assert {(e.report_id, e.source, e.duplicate_of) for e in resourced} == {
            (copy.report_id, copy.source, first.report_id)}
        assert not {e.event_id for e in resourced} & {e.event_id for e in events}
    assert index.route(own).action == "extract"


def test_the_same_report_again_is_routed_the_same_way_and_yields_nothing_new() -> None:
    index, stored = ReportIndex(), {}
    first = report(body(), "desk")
    assert run(index, stored, first)
    again = index.route(first)
    assert again.again and again.action == "extract" and len(index) == 1
    assert [enrich(m, stored) for m in routed(again, first)] == [[]]


def test_the_window_is_bounded_and_forgets_first_copies() -> None:
    index, stored = ReportIndex(window_days=30), {}
    first = report(body(), "desk", "2015-06-12")
    run(index, stored, first)
    later = report(OWN_WORDS, "tv monitor", "2015-07-13")  # 31 days on: the first copy leaves the window
    messages = routed(index.route(later), later)
    assert [(m.action, m.report_id) for m in messages][0] == ("forget", first.report_id)
    for m in messages:
        remember(m, enrich(m, stored), stored)
    assert first.report_id.encode() not in stored and first.report_id not in index.entries
    assert len(index) == 1 and len(stored) == 1
    reprint = report(body(), "aggregator", "2015-07-14")
    assert index.route(reprint).action == "extract"  # nothing left to be a copy of


def test_index_rebuilds_from_what_the_table_keeps() -> None:
    index = ReportIndex()
    first = report(body(), "desk")
    seen = index.route(first).seen
    rebuilt = ReportIndex()
    rebuilt.add(Seen.from_dict(first.report_id, orjson.loads(orjson.dumps(seen.to_dict()))))
    assert rebuilt.route(report(body(), "aggregator")).first == first.report_id


TEMPLATE = ("Local sources said the SDF took control of the village of {v} from the Islamic State on Monday "
            "after heavy fighting.")


@pytest.mark.parametrize(("first", "second"), [
    ("Kharrata", "Tal Nasri"),
    ("Lower Khweitleh", "Khweitleh"),  # a word inside a longer place name names no place of its own
])
def test_templated_reports_about_other_villages_are_not_copies(first: str, second: str) -> None:
    """Short field reports from one template differ in one word, the village: shingles alone would call
    them near-duplicates (they share most 5-word runs), the names check does not."""
    index = ReportIndex()
    a, b = report(TEMPLATE.format(v=first), "desk"), report(TEMPLATE.format(v=second), "desk")
    assert index.route(a).action == "extract"
    assert index.route(b).action == "extract"
    reprint = report("Share this story.\n\n" + TEMPLATE.format(v=first), "aggregator")
    assert index.route(reprint).first == a.report_id


def test_fingerprints_are_pinned() -> None:
    """Fingerprints are stored (tables, events): the MinHash constants are written in the code, and this value
    must never change, whatever NumPy version runs it."""
    text = ("Government troops entered the village of Tal Baydar on Friday after two days of clashes with rebels, "
            "residents said.")
    assert fingerprint(text) == (
        982908187, 80603494, 588581618, 62920450, 919785, 180669644, 53333429, 677187562, 524816536, 330882812,
        62132152, 246028032, 172884350, 524727193, 8270491, 526429012, 166074689, 863841721, 134182825, 75610747,
        297986212, 1132205590, 300519560, 475557781, 101982246, 313119940, 280771334, 67982823, 576181925,
        57792281, 112191412, 80631358)
