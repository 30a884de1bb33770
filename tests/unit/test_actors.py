"""Actor phrases and the side each names (the lexicon in understanding/actors.py)."""

from __future__ import annotations

from collections import Counter

import pytest

from villagewatch.understanding.actors import generic_side, report_sides, side_of


@pytest.mark.parametrize(("phrase", "side"), [
    ("the Syrian Arab Army", "government"), ("regime forces", "government"), ("pro-government militias", "government"),
    ("Hezbollah fighters", "government"), ("Russian-backed Syrian troops", "government"),
    ("Iranian-backed militias", "government"), ("the Tiger Forces", "government"), ("NDF", "government"),
    ("fighters loyal to the government", "government"), ("the forces of Assad", "government"),
    ("the YPG", "kurdish-led"), ("Kurdish-led forces", "kurdish-led"), ("US-backed SDF fighters", "kurdish-led"),
    ("the Manbij Military Council", "kurdish-led"), ("Kurdish fighters", "kurdish-led"), ("Asayish", "kurdish-led"),
    ("rebels", "opposition"), ("US-backed rebels", "opposition"), ("Turkish-backed factions", "opposition"),
    ("the Syrian National Army", "opposition"), ("Hayat Tahrir al-Sham", "opposition"), ("HTS", "opposition"),
    ("the Sultan Murad Division", "opposition"), ("Ahrar al-Sham", "opposition"), ("Jaysh al-Islam", "opposition"),
    ("Islamic State", "islamic-state"), ("ISIS", "islamic-state"), ("IS fighters", "islamic-state"),
    ("Daesh", "islamic-state"), ("Turkish troops", "turkey"), ("the Turkish Armed Forces", "turkey"),
    ("tribal fighters", "other"), ("pro-Turkish rebels", "opposition"), ("al-Qaeda-linked militants", "opposition"),
])
def test_named_sides(phrase: str, side: str) -> None:
    assert side_of(phrase) == side


@pytest.mark.parametrize("phrase", ["it is", "anti-IS coalition", "the village", "residents", "activists"])
def test_no_side(phrase: str) -> None:
    assert side_of(phrase) is None


def test_generic_words_are_resolved_by_the_report() -> None:
    assert generic_side("the army", Counter()) == "government"
    assert generic_side("the militants", Counter({"islamic-state": 3, "opposition": 1})) == "islamic-state"
    assert generic_side("the militants", Counter({"opposition": 2})) == "opposition"
    assert generic_side("the militants", Counter({"government": 2})) is None


def test_the_army_counts_for_the_government_unless_a_named_army() -> None:
    assert report_sides("The army shelled the town. Troops moved in.")["government"] == 2
    assert report_sides("Turkish troops crossed the border.") == Counter({"turkey": 1})
