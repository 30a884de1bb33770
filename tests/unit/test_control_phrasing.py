"""Each phrasing of a control change we support, and each trap that must not become one.

All sentences here are written for these tests.
"""

from __future__ import annotations

import pytest

from villagewatch.models import Report
from villagewatch.understanding.extract import extract


def changes(text: str, published: str | None = "2016-03-10") -> list[tuple[str, str, str | None, bool]]:
    report = Report(report_id="r-test", text=text, published=published)
    return [
        (e.place.name, e.new_controller, e.previous_controller, e.verified)
        for e in extract(report).control_changes
        if not e.background
    ]


def places(text: str) -> set[tuple[str, str]]:
    return {(p, side) for p, side, _, _ in changes(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The YPG took control of the village of Kharrata near Hasakah on Monday.", {("Kharrata", "kurdish-led")}),
        ("Government troops seized the town of Umm Mayal in the Hasakah countryside.", {("Umm Mayal", "government")}),
        ("The Syrian Arab Army captured Tal Dhahab after two days of fighting.", {("Tal Dhahab", "government")}),
        ("Kurdish fighters liberated the villages of Ain Halwa, Kifsheh and Qasr Fadil from ISIS.",
         {("Ain Halwa", "kurdish-led"), ("Kifsheh", "kurdish-led"), ("Qasr Fadil", "kurdish-led")}),
        ("SDF units recaptured Tal Jamaa and Khirbet Sheikh late on Sunday.",
         {("Tal Jamaa", "kurdish-led"), ("Khirbet Sheikh", "kurdish-led")}),
        ("Islamic State militants regained control over Rawiya village, local sources said.",
         {("Rawiya", "islamic-state")}),
        ("The Turkish army took over the village of Qasimiya on Friday.", {("Qasimiya", "turkey")}),
        ("Turkish-backed factions captured the town of Dardara north of Tal Tamr.", {("Dardara", "opposition")}),
        ("The village of Abu Qasayeb was captured by the YPG on Tuesday.", {("Abu Qasayeb", "kurdish-led")}),
        ("The village of Mabaja fell to Islamic State fighters overnight.", {("Mabaja", "islamic-state")}),
        ("The following villages were declared under Syrian Government control on Saturday: Jazaa, Hamra.",
         {("Jazaa", "government"), ("Hamra", "government")}),
        ("The capture of Um Kheir by the SDF came after a week of clashes.", {("Um Kheir", "kurdish-led")}),
        ("The SDF took control of the village of Eastern Rajman on Monday.", {("Eastern Rajman", "kurdish-led")}),
        ("The YPG expelled ISIS from the village of Tal Abyad Sharqi after a day of fighting.",
         {("Tal Abyad Sharqi", "kurdish-led")}),
    ],
)
def test_control_change_phrasings(text: str, expected: set[tuple[str, str]]) -> None:
    assert places(text) == expected


def test_previous_controller_from_the_sentence() -> None:
    found = changes("Kurdish fighters took control of the village of Sabaa Skour from ISIS on Monday.")
    assert found == [("Sabaa Skour", "kurdish-led", "islamic-state", True)]


def test_first_person_quote_credits_the_speaker() -> None:
    text = "“We were able to regain the villages of Gharbi Awsat and Shamali,” a YPG commander told reporters."
    assert places(text) == {("Gharbi Awsat", "kurdish-led"), ("Shamali", "kurdish-led")}


def test_anaphoric_village_refers_to_the_last_named_one() -> None:
    text = (
        "IS fighters attacked the village of Tal Nasri before dawn. "
        "By nightfall the Islamic State had declared its control over the village."
    )
    assert places(text) == {("Tal Nasri", "islamic-state")}


@pytest.mark.parametrize(
    "text",
    [
        "Government forces failed to take the village of Tal Baydar despite heavy shelling.",
        "If the rebels take the town of Markada, the road to the south will be cut.",
        "In the event that IS gains control of the village of Hol, the camp would be exposed.",
        "The SDF launched a counter-offensive to retake the town of Safiya.",
        "The YPG-held village of Tal Shamiran came under mortar fire on Sunday.",
        "Clashes erupted near the village of Tal Kaifji between the YPG and IS militants.",
        "Warplanes struck the town of Shaddadi, killing five civilians.",
        "Regime artillery shelled the village of Ghuwayran overnight.",
        "The SDF repelled an IS attack on the village of Tal Maaruf.",
        "Security forces arrested twelve men in the village of Abu Hajira.",
        "The Kurdish forces seized more than 40 villages around Tal Hamis.",
        "Kurdish fighters seized a large amount of weapons and ammunition.",
        "The rebels didn't take the village of Tal Tamr after all.",
        "THE ARMY DIDN'T CAPTURE THE TOWN OF MARKADA.",
    ],
)
def test_traps_yield_no_control_change(text: str) -> None:
    assert changes(text) == []


def test_unverified_claim_is_flagged() -> None:
    text = (
        "Pro-government media said the army took control of the village of Kawkab. "
        "The agency could not verify the report independently."
    )
    assert changes(text) == [("Kawkab", "government", None, False)]


def test_one_party_announcement_is_a_claim() -> None:
    found = changes("A YPG spokesman said the group liberated the village of Tal Brak from IS.")
    assert [(p, side, v) for p, side, _, v in found] == [("Tal Brak", "kurdish-led", False)]


def test_denial_makes_a_claim_unverified() -> None:
    text = (
        "IS announced its control over the village of Tal Khanzir. "
        "A YPG source denied that the village had fallen."
    )
    assert [(p, v) for p, _, _, v in changes(text)] == [("Tal Khanzir", False)]


def test_confirmed_statement_is_verified() -> None:
    found = changes("Local activists confirmed that the YPG captured the village of Tal Fweida on Monday.")
    assert [(p, v) for p, _, _, v in found] == [("Tal Fweida", True)]


def test_background_change_is_marked() -> None:
    report = Report("r-bg", "The YPG has grown stronger since liberating the town of Kobani last year.", published=None)
    found = extract(report).control_changes
    assert [(e.place.name, e.background) for e in found] == [("Kobani", True)]


def test_event_date_from_weekday() -> None:
    report = Report("r-d", "The YPG took control of the village of Kharrata on Monday.", published="2016-03-10")
    assert extract(report).control_changes[0].event_date == "2016-03-07"


def test_headline_lines_are_not_read_as_changes() -> None:
    text = "Kurdish Fighters Capture Eleven Villages Around Tal Tamr\n\nFighting went on near Tal Tamr."
    assert changes(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IS militants withdrew from the village of Tal Nasri after YPG fighters advanced on it.",
         [("Tal Nasri", "kurdish-led", "islamic-state", True)]),
        ("Islamic State fighters withdrew from Tal Nasri as the YPG advanced.",
         [("Tal Nasri", "kurdish-led", "islamic-state", True)]),
        ("The YPG entered and took over the village of Kharrata on Monday.",
         [("Kharrata", "kurdish-led", None, True)]),
    ],
)
def test_withdrawal_and_entry(text: str, expected: list[tuple[str, str, str | None, bool]]) -> None:
    assert changes(text) == expected


def test_under_control_is_a_state_not_a_change() -> None:
    report = Report("r-held", "The village of Tal Baydar, under SDF control since 2016, came under shelling.")
    found = extract(report)
    assert found.control_changes == ()
    held = [(e.place.name, e.new_controller) for e in found.events if e.type == "control_held"]
    assert held == [("Tal Baydar", "kurdish-led")]
    assert "shelling" in {e.type for e in found.events}


@pytest.mark.parametrize(("when", "date"), [("yesterday", "2016-03-09"), ("last week", "2016-03-03"),
                                            ("on March 2", "2016-03-02"), ("on 2 March", "2016-03-02"),
                                            ("on Sunday", "2016-03-06"), ("in May", "2016-03-10"),
                                            ("on December 30", "2015-12-30"), ("on March 2, 2014", "2014-03-02")])
def test_relative_dates(when: str, date: str) -> None:
    report = Report("r-d", f"The YPG took control of the village of Kharrata {when}.", published="2016-03-10")
    assert extract(report).control_changes[0].event_date == date
