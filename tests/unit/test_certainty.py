"""Whose word a change is: the outlet's own statement, or one party's claim (our own sentences)."""

from __future__ import annotations

from typing import Any

import pytest

from villagewatch.ingest.parse import build_report
from villagewatch.understanding.certainty import outlet_sides
from villagewatch.understanding.extract import extract


def changes(text: str, source: str = "Example Wire") -> list[dict[str, Any]]:
    report = build_report({"text": text, "source": source, "published": "2019-03-02"})
    return extract(report).to_contract()["control_changes"]


@pytest.mark.parametrize(("source", "sides"), [
    ("SANA", {"government"}), ("Syrian Arab News Agency", {"government"}), ("Hawar News Agency (ANHA)",
     {"kurdish-led"}), ("Anadolu Agency", {"turkey", "opposition"}), ("Amaq", {"islamic-state"}),
    ("Reuters", set()), ("Example Wire", set()), (None, set()),
])
def test_outlets_that_speak_for_a_side(source: str | None, sides: set[str]) -> None:
    assert outlet_sides(source) == sides


def test_a_side_s_own_outlet_reporting_its_gain_is_its_claim() -> None:
    text = "Army units captured the village of Tal Baydar on Friday."
    own = changes(text, source="SANA")
    assert [(c["place"], c["verified"]) for c in own] == [("Tal Baydar", False)]
    independent = changes(text, source="Example Wire")
    assert [(c["place"], c["verified"]) for c in independent] == [("Tal Baydar", True)]


def test_an_own_outlet_backed_by_an_independent_source_is_verified() -> None:
    text = ("Army units captured the village of Tal Baydar on Friday. Activists said the village was taken "
            "after a day of fighting.")
    assert {c["place"]: c["verified"] for c in changes(text, source="SANA")} == {"Tal Baydar": True}


@pytest.mark.parametrize("text", [
    "According to the regime, its troops seized the village of Kafr Hamra.",
    "Captain Omar Saleh told reporters that rebels recaptured the village of Kafr Hamra.",
    "A source at the 4th Division said government forces took control of the village of Kafr Hamra.",
    "A field commander said the YPG liberated the village of Kafr Hamra.",
    "The SDF said its fighters liberated the village of Kafr Hamra on Monday.",
    "The Islamic State's media office announced that its fighters captured the village of Kafr Hamra.",
    "In a statement, the rebels said they had recaptured the village of Kafr Hamra.",
    "Rebel sources said fighters recaptured the village of Kafr Hamra on Monday.",
    "The Turkish Defence Ministry said Turkish-backed factions took the village of Kafr Hamra.",
    "Over the past day our fighters and the YPG liberated the village of Kafr Hamra.",  # a party in the first person
    "The operations room announced that rebel factions had taken control of the village of Kafr Hamra.",
])
def test_a_party_s_voice_makes_a_claim(text: str) -> None:
    assert [(c["place"], c["verified"]) for c in changes(text)] == [("Kafr Hamra", False)]


def test_a_quote_after_a_party_s_spokesman_is_the_party_s_claim() -> None:
    text = ("A spokesman for the rebel alliance spoke to our reporter on Sunday. "
            "“Our fighters liberated the village of Kafr Hamra this morning,” he said.")
    assert [c["verified"] for c in changes(text) if c["place"] == "Kafr Hamra"] == [False]


def test_the_one_other_side_of_the_report_lost_the_place() -> None:
    text = ("The SDF and the Islamic State fought for a week north of the river. "
            "On Monday the SDF captured the village of Tal Baydar.")
    assert [(c["place"], c["previous_controller"]) for c in changes(text)] == [("Tal Baydar", "islamic-state")]


def test_no_previous_controller_is_guessed_when_the_report_names_several_sides() -> None:
    text = ("The SDF fought the Islamic State while Turkish forces shelled Syrian army positions. "
            "On Monday the SDF captured the village of Tal Baydar.")
    assert [(c["place"], c["previous_controller"]) for c in changes(text)] == [("Tal Baydar", None)]


def test_the_observatory_backing_a_claim_makes_it_verified() -> None:
    text = ("Army units captured the village of Tal Baydar on Friday. The Syrian Observatory for Human Rights said "
            "government forces now hold the village.")
    assert {c["place"]: c["verified"] for c in changes(text, source="SANA")} == {"Tal Baydar": True}


def test_an_allied_or_private_outlet_stating_a_change_as_fact_is_not_a_party_s_word() -> None:
    """Only a side's own organs make a change its claim; an allied country's or a friendly private outlet
    states it as fact."""
    text = "Army units captured the village of Tal Baydar on Friday."
    assert [c["verified"] for c in changes(text, source="Press TV")] == [True]
    assert outlet_sides("Al-Masdar News") == set() and outlet_sides("Daily Sabah") == set()


def test_a_party_s_organ_named_as_the_source_makes_a_claim() -> None:
    text = "Turkish forces took the village of Tal Baydar on Friday, according to Anadolu Agency."
    assert [c["verified"] for c in changes(text, source="Daily Sabah")] == [False]


@pytest.mark.parametrize("text", [
    "Rebels were reported to have been driven out of the village of Kafr Hamra on Monday.",
    "The village of Kafr Hamra is said to have fallen to the rebels overnight.",
    "Unconfirmed reports said rebels captured the village of Kafr Hamra.",
    "The rebels are believed to have captured the village of Kafr Hamra.",
])
def test_a_hedged_unattributed_change_is_not_verified(text: str) -> None:
    assert [(c["place"], c["verified"], c["certainty"]) for c in changes(text)] == [
        ("Kafr Hamra", False, "unverified")]


def test_the_sources_named_before_keep_their_voice() -> None:
    text = ("Fierce clashes went on east of the river, military sources said. "
            "According to the sources, army units took control of the village of Kafr Hamra.")
    assert [(c["place"], c["verified"]) for c in changes(text)] == [("Kafr Hamra", False)]


@pytest.mark.parametrize("backing", [
    "an account backed by the Syrian Observatory for Human Rights",
    "as a Britain-based monitoring group also said",
    "in the government's first official admission that the village was lost",
])
def test_an_independent_backing_or_the_loser_s_admission_verifies_a_claim(backing: str) -> None:
    text = f"Islamic State fighters said they captured the village of Kafr Hamra, {backing}."
    assert [(c["place"], c["verified"]) for c in changes(text)] == [("Kafr Hamra", True)]
