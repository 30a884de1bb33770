"""Denials and retractions: what the text says did not happen, and what the alert makes of it.

All sentences here are written for these tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from villagewatch.alert.control_state import RETRACTED_CONFIDENCE, apply
from villagewatch.alert.tracking import Tracking
from villagewatch.models import Event, Report
from villagewatch.pipeline import replay
from villagewatch.understanding.extract import extract

NOW = "2026-01-01T00:00:00+00:00"


def events(text: str, published: str = "2016-04-08") -> list[Event]:
    return list(extract(Report(report_id="r-test", text=text, published=published)).events)


def denied(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(e.place.name, e.new_controller, e.previous_controller, e.denial)
            for e in events(text) if e.type == "control_denied" and e.place]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kharrata did not fall to the Islamic State, an SDF spokesman said on Tuesday.",
         [("Kharrata", "islamic-state", None, "claimed")]),
        ("The village of Kharrata did not fall, residents said.", [("Kharrata", None, None, "confirmed")]),
        ("Kharrata has not been captured by the YPG, according to local activists.",
         [("Kharrata", "kurdish-led", None, "confirmed")]),
        ("Kharrata has not fallen to the YPG, according to an Islamic State commander.",
         [("Kharrata", "kurdish-led", None, "claimed")]),
        ("Kharrata remains under SDF control, contrary to IS claims.",
         [("Kharrata", None, "kurdish-led", "confirmed")]),
        ("Local activists denied reports of the fall of Kharrata.", [("Kharrata", None, None, "confirmed")]),
        ("IS fighters denied losing the village of Kharrata to the SDF.", [("Kharrata", None, None, "claimed")]),
    ],
)
def test_sentences_that_only_deny(text: str, expected: list) -> None:
    assert denied(text) == expected
    assert not [e for e in events(text) if e.type == "control_change"]


@pytest.mark.parametrize(
    ("text", "denial"),
    [
        ("The SDF denied that IS had captured the village of Kharrata on Monday.", "claimed"),
        ("Reports that IS captured the village of Kharrata on Monday were false, local sources said.", "confirmed"),
    ],
)
def test_a_denied_claim_is_still_a_change_but_unverified_and_marked(text: str, denial: str) -> None:
    (change,) = [e for e in events(text) if e.type == "control_change"]
    assert (change.place.name, change.new_controller, change.verified, change.denial) == (
        "Kharrata", "islamic-state", False, denial)


@pytest.mark.parametrize(
    "text",
    [
        "The SDF denied reports of civilian casualties in the village of Kharrata.",
        "The YPG failed to take the village of Kharrata.",
        "The YPG took control of the village of Kharrata on Monday, local sources said.",
        "Kharrata remains under SDF control.",
    ],
)
def test_traps_deny_nothing(text: str) -> None:
    assert denied(text) == []
    assert all(e.denial is None for e in events(text))


def folded(*texts: str, tracked: bool = True) -> list:
    """Each text as a report from its own outlet, a day apart, through the alert decision."""
    state, out = None, []
    for i, text in enumerate(texts):
        report = Report(report_id=f"r{i}", text=text, published=f"2016-04-{8 + i:02d}", source=f"outlet {i}")
        for e in extract(report).events:
            if e.place and e.place.name == "Kharrata":
                state, alert = apply(state, e, tracked, NOW)
                out.append((state, alert))
    return out


TAKEN = "The Islamic State captured the village of Kharrata from the SDF on Thursday, local sources said."


def test_an_independent_denial_retracts_the_alert_and_restores_control() -> None:
    (s1, a1), (s2, a2) = folded(TAKEN, "Kharrata did not fall to the Islamic State, residents said on Saturday.")
    assert a1.status == "claimed" and s1.controller == "islamic-state"
    assert (a2.alert_id, a2.version, a2.status, a2.confidence) == (a1.alert_id, 2, "retracted", RETRACTED_CONFIDENCE)
    assert s2.controller == "kurdish-led"
    assert a2.sources[-1].denies and not a1.sources[0].denies


def test_a_party_denial_contests_it() -> None:
    (s1, a1), (s2, a2) = folded(TAKEN, "Kharrata did not fall to the Islamic State, an SDF spokesman said.")
    assert (a2.alert_id, a2.version, a2.status) == (a1.alert_id, 2, "contested")
    assert s2.controller == "islamic-state" and a2.confidence < a1.confidence


def test_a_claim_with_its_denial_is_contested_from_the_start() -> None:
    ((state, alert),) = folded("The SDF denied that IS had captured the village of Kharrata on Monday.")
    assert alert.status == "contested" and alert.version == 1 and not alert.verified
    assert state.controller is None  # the claim did not move the recorded controller


def test_a_recapture_is_a_new_change_not_a_contest() -> None:
    (_, a1), (s2, a2) = folded(TAKEN, "The SDF recaptured the village of Kharrata from the Islamic State on "
                                      "Saturday, local sources said.")
    assert a2.alert_id != a1.alert_id and a2.version == 1 and a2.status == "claimed"
    assert (a2.from_side, a2.to_side, s2.controller) == ("islamic-state", "kurdish-led", "kurdish-led")


def test_denials_in_replay_same_code_as_the_services(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"DATE: 2016-04-08\nSOURCE: Desk One\n\n{TAKEN}\n")
    (tmp_path / "b.txt").write_text("DATE: 2016-04-09\nSOURCE: Desk Two\n\nReports that the Islamic State captured "
                                    "the village of Kharrata were false, local sources said on Friday.\n")
    (alert,) = replay([str(tmp_path)], Tracking(everything=True))
    assert (alert.version, alert.status, [s.denies for s in alert.sources]) == (2, "retracted", [False, True])
