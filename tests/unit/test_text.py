"""Text helpers: boilerplate lines dropped, incident types found in one scan."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize(("sentence", "kinds"), [
    ("Artillery shelled the town and air strikes hit it while clashes and an ambush killed two.",
     ["shelling", "airstrike", "clash", "attack", "casualties"]),
    ("Fighters repelled the assault on the village without casualties.", ["attack_repelled", "attack"]),
    ("Police arrested three men near the market.", ["arrest"]),
    ("The council met to discuss the harvest.", []),
])
def test_incident_types_of_a_sentence(sentence: str, kinds: list[str]) -> None:
    """Every kind of incident the sentence reports, most specific first; 'without casualties' is none."""
    assert incidents.incident_types(sentence) == kinds


def test_a_line_cut_after_and_of_or_a_comma_runs_on() -> None:

    text = "Rebels captured the villages of Dabiq, Sawran and\nIhtimilat on Monday.\n\nA headline\nThe body."
    assert sentences(text) == ["Rebels captured the villages of Dabiq, Sawran and Ihtimilat on Monday.", "A headline",
                               "The body."]
