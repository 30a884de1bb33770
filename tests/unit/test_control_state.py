"""The alert decision as a pure function: new change, replay, corroboration, untracked places."""

from __future__ import annotations

import orjson
import pytest

from villagewatch import codec
from villagewatch.alert.control_state import MAX_ALERT_SOURCES, MAX_PRINTS, VillageState, alert_id, apply
from villagewatch.models import Alert, AlertStatus, Event, Place
from villagewatch.understanding.dedup import fingerprint

PLACE = Place(name="Masoom", place_id="x-SY08-msm", admin1="Al-Hasakeh")
NOW = "2026-01-01T00:00:00+00:00"


def event(report: str, new: str = "government", *, verified: bool = False, kind: str = "control_change",
          source: str = "desk", day: str = "2015-06-11", text: str = "", evidence: str = "",
          denial: str | None = None) -> Event:
    return Event(
        event_id=f"e-{report}", report_id=report, type=kind, place=PLACE, actors=(new,),
        evidence=evidence or f"evidence from {report}", new_controller=new, verified=verified,
        certainty="confirmed" if verified else "claimed", event_date=day, source=source,
        fingerprint=fingerprint(text or " ".join(f"{report}w{i}" for i in range(8)) + f" about {new} on {day}"),
        denial=denial,
    )


def test_first_change_raises_version_one() -> None:
    state, alert = apply(None, event("r1"), tracked=True, now=NOW)
    assert alert is not None
    assert (alert.version, alert.to_side, alert.from_side, alert.status, alert.verified) == (
        1, "government", None, "claimed", False)
    assert alert.alert_id == alert_id(PLACE.place_id, "government", "2015-06-11")
    assert state.controller == "government"


def test_replay_of_the_same_report_changes_nothing() -> None:
    state, _ = apply(None, event("r1"), tracked=True, now=NOW)
    again, alert = apply(state, event("r1"), tracked=True, now=NOW)
    assert alert is None
    assert again == state


def test_second_source_upgrades_the_same_alert() -> None:
    state, first = apply(None, event("r1"), tracked=True, now=NOW)
    state, second = apply(state, event("r2", verified=True, source="other"), tracked=True, now=NOW)
    assert first is not None and second is not None
    assert second.alert_id == first.alert_id
    assert second.version == 2
    assert second.status == "corroborated"
    assert second.verified is True
    assert second.confidence > first.confidence
    assert len(second.sources) == 2


def test_change_of_hands_records_from_and_to() -> None:
    state, _ = apply(None, event("r1", new="islamic-state"), tracked=True, now=NOW)
    state, alert = apply(state, event("r2", new="kurdish-led", day="2015-07-20"), tracked=True, now=NOW)
    assert alert is not None
    assert (alert.from_side, alert.to_side, alert.version) == ("islamic-state", "kurdish-led", 1)


def test_untracked_place_keeps_state_without_alert() -> None:
    state, alert = apply(None, event("r1"), tracked=False, now=NOW)
    assert alert is None
    assert state.controller == "government"


def test_held_statement_sets_state_without_alert() -> None:
    state, alert = apply(None, event("r1", new="kurdish-led", kind="control_held"), tracked=True, now=NOW)
    assert alert is None
    assert state.controller == "kurdish-led"
    state, alert = apply(state, event("r2", new="islamic-state"), tracked=True, now=NOW)
    assert alert is not None and alert.from_side == "kurdish-led" and alert.version == 1


def test_state_round_trips_through_its_dict() -> None:
    state, _ = apply(None, event("r1"), tracked=True, now=NOW)
    assert VillageState.from_dict(state.to_dict()) == state


STORY = ("Pro-government outlets said the army had taken the village of Masoom south of the city on Thursday "
         "after a day of fighting, and that engineers were clearing the roads around it.")


def test_reprint_of_the_same_story_is_no_new_version_and_no_corroboration() -> None:
    state, first = apply(None, event("r1", text=STORY), tracked=True, now=NOW)
    reprint = STORY + " Follow us for more news. Share this story."
    state, second = apply(state, event("r2", source="aggregator", text=reprint), tracked=True, now=NOW)
    assert first is not None and second is None
    assert state.alert == first and "r2" in state.seen_reports
    _, third = apply(state, event("r3", source="other desk"), tracked=True, now=NOW)
    assert third is not None and (third.version, third.status) == (2, "corroborated")


def test_source_quoting_the_first_one_is_not_independent() -> None:
    state, _ = apply(None, event("r1", source="Desk One"), tracked=True, now=NOW)
    state, second = apply(state, event("r2", source="Other", evidence="According to Desk One, the army entered."),
                          tracked=True, now=NOW)
    assert second is None and state.alert is not None and state.alert.status == "claimed"


def test_same_outlet_twice_is_not_independent() -> None:
    state, _ = apply(None, event("r1"), tracked=True, now=NOW)
    state, second = apply(state, event("r2"), tracked=True, now=NOW)
    assert second is None and state.alert is not None and (state.alert.status, state.alert.version) == ("claimed", 1)


def test_a_same_outlet_report_that_confirms_is_a_new_version() -> None:
    """Not independent, but it changes what the alert says (verified): published."""
    state, _ = apply(None, event("r1"), tracked=True, now=NOW)
    _, second = apply(state, event("r2", verified=True), tracked=True, now=NOW)
    assert second is not None and (second.version, second.verified) == (2, True)


def test_sources_listed_on_an_alert_are_bounded() -> None:
    state, alert = apply(None, event("r0", source="desk 0"), tracked=True, now=NOW)
    published = [alert]
    for i in range(1, MAX_ALERT_SOURCES + 10):
        state, alert = apply(state, event(f"r{i}", source=f"desk {i}"), tracked=True, now=NOW)
        published.append(alert)
    versions = [a for a in published if a is not None]
    assert len(versions) == MAX_ALERT_SOURCES and len(versions[-1].sources) == MAX_ALERT_SOURCES
    assert state.seen_reports[-1] == f"r{MAX_ALERT_SOURCES + 9}"  # later reports are still recorded


def test_a_much_reported_village_s_state_stays_bounded() -> None:
    """Hundreds of reports about one village keep its stored state bounded (MAX_PRINTS fingerprints, each once)."""
    state, _ = apply(None, event("r0", source="desk 0", text=STORY), tracked=True, now=NOW)
    for i in range(1, 300):
        state, _ = apply(state, event(f"r{i}", source=f"desk {i}"), tracked=True, now=NOW)
        state, _ = apply(state, event(f"r{i}-copy", source=f"desk {i} again"), tracked=True, now=NOW)
    assert len(state.prints) == MAX_PRINTS and len(set(state.prints)) == MAX_PRINTS
    assert len(orjson.dumps(state.to_dict())) < 40_000  # about 22 KB; 200 prints made it about 70 KB


def test_conflicting_claim_in_the_window_is_contested_not_resolved() -> None:
    state, first = apply(None, event("r1", new="government"), tracked=True, now=NOW)
    state, second = apply(state, event("r2", new="islamic-state", source="other", day="2015-06-12"),
                          tracked=True, now=NOW)
    assert first is not None and second is not None
    assert (second.alert_id, second.status, second.to_side) == (first.alert_id, "contested", "government")
    assert [s.claims for s in second.sources] == ["government", "islamic-state"]
    assert second.verified is False and second.confidence < first.confidence
    assert state.controller == "government"


def test_public_state_record() -> None:
    state, alert = apply(None, event("r1"), tracked=True, now=NOW)
    record = state.public(NOW)
    assert record["controller"] == "government" and record["alert_id"] == alert.alert_id


def test_state_rebuilt_from_the_last_published_alert_continues_it() -> None:
    state, first = apply(None, event("r1"), tracked=True, now=NOW)
    rebuilt = VillageState.from_alert(first, None)
    assert (rebuilt.controller, rebuilt.alert) == ("government", first)
    again, none = apply(rebuilt, event("r1"), tracked=True, now=NOW)
    assert none is None  # the report behind the alert is known
    _, second = apply(rebuilt, event("r2", source="other", verified=True), tracked=True, now=NOW)
    assert second is not None and (second.alert_id, second.version) == (first.alert_id, 2)


def test_every_version_says_why_claimed_then_corroborated() -> None:
    state, first = apply(None, event("r1"), tracked=True, now=NOW)
    state, second = apply(state, event("r2", source="other"), tracked=True, now=NOW)
    state, third = apply(state, event("r3", source="third desk", verified=True), tracked=True, now=NOW)
    assert first is not None and second is not None and third is not None
    assert (first.status, first.why) == ("claimed", "first report: desk says government took it; one party's "
                                                    "claim, unverified")
    assert (second.status, second.why) == ("corroborated", "second independent source (other)")
    assert (third.status, third.why) == ("corroborated", "third independent source (third desk)")


def test_why_of_a_first_report_stated_as_fact() -> None:
    _, alert = apply(None, event("r1", verified=True), tracked=True, now=NOW)
    assert alert is not None and alert.why == "first report: desk states as fact that government took it"


def test_why_a_repeat_that_confirms_is_no_corroboration() -> None:
    state, _ = apply(None, event("r1", text=STORY), tracked=True, now=NOW)
    _, again = apply(state, event("r2", verified=True), tracked=True, now=NOW)
    assert again is not None
    assert (again.status, again.why) == ("claimed", "same outlet again (desk): no new corroboration")


def test_why_contested_by_the_other_side() -> None:
    state, _ = apply(None, event("r1", new="government"), tracked=True, now=NOW)
    _, alert = apply(state, event("r2", new="islamic-state", source="other", day="2015-06-12"), tracked=True, now=NOW)
    assert alert is not None
    assert (alert.status, alert.why) == ("contested", "other side (islamic-state) claims it within 72 h")


@pytest.mark.parametrize(
    ("source", "denial", "status", "why"),
    [
        ("residents", "confirmed", "retracted", "denied by an independent source (residents)"),
        ("desk", "confirmed", "retracted", "denied by the outlet that reported it (desk)"),
        ("other", "claimed", "contested", "denied by one party (other)"),
    ],
)
def test_why_of_a_denial(source: str, denial: str, status: str, why: str) -> None:
    state, _ = apply(None, event("r1"), tracked=True, now=NOW)
    _, alert = apply(state, event("r2", kind="control_denied", source=source, denial=denial, day="2015-06-12"),
                     tracked=True, now=NOW)
    assert alert is not None and (alert.version, alert.status, alert.why) == (2, status, why)


def test_why_of_a_claim_reported_with_its_denial() -> None:
    _, alert = apply(None, event("r1", denial="claimed"), tracked=True, now=NOW)
    assert alert is not None
    assert (alert.status, alert.why) == ("contested", "claim reported together with its denial")


def test_why_and_status_on_the_wire() -> None:
    _, alert = apply(None, event("r1"), tracked=True, now=NOW)
    assert alert is not None and alert.status is AlertStatus.CLAIMED
    wire = orjson.loads(codec.encode("alert", alert.to_dict()))
    assert (wire["status"], wire["why"]) == ("claimed", alert.why)
    assert Alert.from_dict(wire) == alert
    del wire["why"]  # published before `why` existed: still valid, read as empty
    codec.check("alert", wire)
    assert Alert.from_dict(wire).why == ""


def test_an_event_without_a_place_is_refused() -> None:
    placeless = Event(event_id="e-x", report_id="r-x", type="control_change", place=None, actors=(), evidence="",
                      new_controller="government")
    with pytest.raises(ValueError, match="no place"):
        apply(None, placeless, tracked=True, now=NOW)
