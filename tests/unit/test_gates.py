"""Word gates: a step skips a sentence that holds none of its gate words, so every string its patterns
accept must hold one. Checked by spelling out what each pattern accepts (a repeat once or twice, \\s as a
space, \\w and \\d as one letter or digit)."""

from __future__ import annotations

from itertools import product
from re import _constants as sre
from re import _parser

import pytest

from villagewatch.bench import synthetic_reports
from villagewatch.understanding import certainty, dates, incidents, mentions
from villagewatch.understanding.text import has_any, sentences

_CATEGORY = {sre.CATEGORY_SPACE: " ", sre.CATEGORY_WORD: "x", sre.CATEGORY_DIGIT: "1"}


def spelled(items: _parser.SubPattern | list) -> set[str]:
    """Every string the parsed pattern accepts, with repeats taken once or twice."""
    out = {""}
    for op, av in items:
        if op is sre.LITERAL:
            options = {chr(av)}
        elif op is sre.IN:
            options = {chr(v) if o is sre.LITERAL else _CATEGORY[v] for o, v in av if o is not sre.NEGATE}
        elif op is sre.CATEGORY:
            options = {_CATEGORY[av]}
        elif op is sre.BRANCH:
            options = set().union(*(spelled(alt) for alt in av[1]))
        elif op is sre.SUBPATTERN:
            options = spelled(av[-1])
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, high, sub = av
            once = spelled(sub)
            counts = {low, min(low + 1, high)} if high != sre.MAXREPEAT else {low, low + 1}
            options = {"".join(p) for n in counts for p in product(once, repeat=n)}
        elif op is sre.AT:
            continue
        else:
            raise AssertionError(f"cannot spell out {op}")
        out = {a + b for a in out for b in options}
    return out


def accepted(pattern: str) -> set[str]:
    return spelled(_parser.parse(pattern.lower()))


@pytest.mark.parametrize(("name", "pattern"), incidents.TYPES)
def test_every_incident_form_holds_a_gate_word(name: str, pattern: object) -> None:
    forms = accepted(pattern.pattern)  # type: ignore[attr-defined]
    assert len(forms) > 3
    assert [f for f in forms if not has_any(f, incidents.INCIDENT_WORDS)] == [], name


def test_every_doubt_holds_a_gate_word() -> None:
    forms = accepted(certainty.DOUBT.pattern)
    assert "could not verify" not in forms and "could not verifx" in forms  # \w* spelled as letters
    assert [f for f in forms if not has_any(f, certainty._DOUBT_WORDS)] == []


def test_every_relative_date_holds_a_gate_word() -> None:
    assert [k for k in dates._RELATIVE if not has_any(k, dates._RELATIVE_WORDS)] == []


def test_gated_steps_still_find_what_they_did() -> None:
    assert incidents.incident_types("Warplanes pounded Tal Tamr; IEDs and a car bomb killed two.") == [
        "shelling", "airstrike", "attack", "casualties"]
    assert certainty.doubts("The claim could not be independently verified.")
    assert not certainty.doubts("The claim was verified.")
    when = dates.event_date("It fell the day before yesterday.", dates.parse_date("2016-03-10"))
    assert when is not None and when.isoformat() == "2016-03-08"


def test_a_name_before_village_is_never_skipped() -> None:
    texts = [s for r in synthetic_reports(60, seed=8) for s in sentences(r.text)] + [
        "village near Tal Tamr village", "the al-Hol town and the town", "McAllen   town", "‘Ain Issa’ village",
        "they reached the village of Tal Tamr", "village", "Tal\u00a0Tamr\u00a0village",
    ]
    found = 0
    for text in texts:
        if mentions._NAME_THEN_NOUN.search(text):
            found += 1
            assert mentions._name_then_noun_possible(text), text
    assert found > 10
    assert not mentions._name_then_noun_possible("they reached the village of Tal Tamr")
