"""Text helpers: boilerplate lines dropped, incident types found in one scan."""

from __future__ import annotations

import re

import pytest

from villagewatch.bench import synthetic_reports
from villagewatch.understanding import incidents
from villagewatch.understanding.text import sentences, strip_boilerplate


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


def test_a_line_cut_after_and_of_or_a_comma_runs_on() -> None:
    from villagewatch.understanding.text import sentences

    text = "Rebels captured the villages of Dabiq, Sawran and\nIhtimilat on Monday.\n\nA headline\nThe body."
    assert sentences(text) == ["Rebels captured the villages of Dabiq, Sawran and Ihtimilat on Monday.", "A headline",
                               "The body."]
