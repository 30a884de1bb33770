"""Text helpers: the fast case-insensitive patterns must match exactly what IGNORECASE would."""

from __future__ import annotations

import re

import pytest

from villagewatch.bench import synthetic_reports
from villagewatch.understanding import actors, certainty, control, dates, denials, incidents
from villagewatch.understanding.text import Caseless, Words, lowered, sentences, strip_boilerplate


def test_caseless_groups_keep_the_original_case() -> None:
    p = Caseless(r"\b(?P<who>[\w-]+)-HELD\s+village\s+of\s+(\S+)")
    m = p.search("Clashes near the YPG-held Village of Tel Hormuz.")
    assert m is not None
    assert m.group("who") == "YPG"
    assert m.group(2) == "Tel"
    assert m.start() == len("Clashes near the ")


def test_caseless_keeps_escapes_and_positions_with_odd_letters() -> None:
    text = "İdlib: \\S stays. Shelling HIT the village."
    assert len(lowered(text)) == len(text)
    hits = [m.group(0) for m in Caseless(r"\bshell\w*\s+\S+").finditer(text)]
    assert hits == ["Shelling HIT"]
    assert Caseless(r"village").match(text, text.index("village")) is not None
    assert Caseless(r"village").match(text, 0) is None


@pytest.mark.parametrize(
    "pattern",
    [certainty.DOUBT, certainty.PARTISAN, certainty.CONFIRM, control.BACKGROUND, denials.DENIAL,
     denials.STILL_HELD, incidents.HELD, incidents.HELD_AFTER, *(p for _, p in incidents.TYPES),
     certainty.CONFIRMED_ELSEWHERE, dates._WEEKDAY, dates._REL, denials._ACCORDING, control._FROM_ACTOR],
)
def test_caseless_finds_what_ignorecase_finds(pattern: Caseless) -> None:
    reference = re.compile(pattern.pattern, re.IGNORECASE)
    texts = [s for r in synthetic_reports(40, seed=3) for s in sentences(r.text)]
    texts += [t.upper() for t in texts[:50]] + [t.swapcase() for t in texts[50:100]]
    for text in texts:
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in reference.finditer(text)]
        found, expected = pattern.search(text), reference.search(text)
        assert (found and found.span()) == (expected and expected.span())


def test_actor_scan_over_lowercased_text_finds_what_the_lexicon_finds() -> None:
    """Actors are scanned over the lowercased text (MixedCase); the case-sensitive abbreviations must still
    only match as written: "IS" the group, never "is" the verb."""
    exact = re.compile(actors._ACTORS.pattern)
    texts = [s for r in synthetic_reports(40, seed=9) for s in sentences(r.text)]
    texts += [t.upper() for t in texts[:50]] + [t.lower() for t in texts[50:100]]
    texts += ["IS is here, anti-IS groups and Isis, ISIS; the army and the Army", "SDF-held, sdf, Pro-regime media"]
    for text in texts:
        assert [(m.span(), m.lastgroup) for m in actors._ACTORS.finditer(text)] == [
            (m.span(), m.lastgroup) for m in exact.finditer(text)]
    assert [m.side for m in actors.find_actors("It is what IS said")] == ["islamic-state"]


def test_words_scan_skips_hits_inside_words() -> None:
    """Without its opening \\b the scan also stops inside words ("retook", "fromage"); those stops are
    confirmed by the whole pattern and passed over, so the results are those of the plain pattern."""
    words = Words(r"\b(?:took|from)\s+(?:the\s+)?\w+")
    assert words._scan.pattern != words.pattern
    text = "They retook the hill, then fromage from the farm; Istook took Tal Tamr from IS."
    reference = re.compile(words.pattern)
    assert [m.span() for m in words.finditer(text)] == [m.span() for m in reference.finditer(text)]
    assert [m.group(0) for m in words.finditer(text)] == ["from the farm", "took Tal", "from IS"]
    assert words.search(text, 30).span() == reference.search(text, 30).span()
    assert Words(r"\b(?:on\s+)?monday").pattern == Words(r"\b(?:on\s+)?monday")._scan.pattern


@pytest.mark.parametrize(
    "line",
    ["Leave a Reply", "12 + 3 = ", "Reporting by Jane Roe", "SOURCE: agencies", "For the latest news, visit us",
     "Follow us on X", "Join our channel", "Related Items", "Your email address will not be published.",
     "• Short link", "· Written by Staff", "Share this:", "Fighters near Tal Tamr. Photo: local activists",
     "Smoke over the village (File Photo)."],
)
def test_every_kind_of_boilerplate_line_is_dropped(line: str) -> None:
    assert strip_boilerplate(f"The YPG took the village of Kharrata.\n{line}\nIt was quiet.") == (
        "The YPG took the village of Kharrata.\nIt was quiet."
    )


def test_incident_types_in_one_scan_equal_one_scan_per_type() -> None:
    """The single scan assumes no word belongs to two incident types; checked against a scan per type."""
    negated = re.compile(incidents._NEGATED.pattern, re.IGNORECASE)

    def per_type(sentence: str) -> list[str]:
        return [name for name, p in incidents.TYPES
                if any(not negated.search(sentence[max(0, m.start() - 30) : m.start()])
                       for m in re.finditer(p.pattern, sentence, re.IGNORECASE))]

    texts = [s for r in synthetic_reports(40, seed=5) for s in sentences(r.text)] + [
        "Artillery shelled the town and air strikes hit it while clashes and an ambush killed two; no arrests.",
        "Car bombs, drone strikes and rockets: fighters repelled the assault without casualties.",
    ]
    for text in texts:
        assert incidents.incident_types(text) == per_type(text)
