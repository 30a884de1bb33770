"""Offline replay: the services' own steps over files, and the guarantees issue 5 asks of alerts."""

from __future__ import annotations

from pathlib import Path

from villagewatch.alert.tracking import Tracking
from villagewatch.pipeline import replay

FIRST = """URL: https://example.org/one
DATE: 2016-04-05
SOURCE: Desk One

Local activists said the SDF took control of the village of Kharrata from the Islamic State on Monday,
after a night of fighting on the road to Tal Tamr.
"""
SECOND = """URL: https://example.org/two
DATE: 2016-04-06
SOURCE: Desk Two

Kurdish-led fighters seized Kharrata on Monday, residents told us by phone. The Islamic State had held the
village since 2014; families who fled in the winter are waiting to return.
"""
REPRINT = FIRST.replace("Desk One", "Aggregator").replace("example.org/one", "example.org/three") + (
    "\nShare this story. Follow us for more.\n"
)
OTHER_SIDE = """DATE: 2016-04-07
SOURCE: Desk Three

Islamic State media claimed its fighters captured the village of Kharrata on Wednesday.
"""
LATER = """DATE: 2016-06-20
SOURCE: Desk One

The Syrian Arab Army captured the village of Kharrata from the SDF on Monday, local sources said.
"""


def write(tmp: Path, **files: str) -> list[str]:
    out = []
    for name, text in files.items():
        (tmp / f"{name}.txt").write_text(text)
        out.append(str(tmp / f"{name}.txt"))
    return out


def ids(alerts: list) -> dict[str, tuple[int, str]]:
    return {a.alert_id: (a.version, a.status) for a in alerts}


def test_second_outlet_upgrades_instead_of_repeating(tmp_path: Path) -> None:
    alerts = replay(write(tmp_path, a=FIRST, b=SECOND), Tracking(everything=True))
    assert len(alerts) == 1
    (alert,) = alerts
    assert (alert.version, alert.status, alert.to_side, alert.from_side) == (2, "corroborated", "kurdish-led",
                                                                             "islamic-state")
    assert [s.source for s in alert.sources] == ["Desk One", "Desk Two"]


def test_same_alerts_twice_in_any_order(tmp_path: Path) -> None:
    files = write(tmp_path, a=FIRST, b=SECOND, c=REPRINT, d=LATER)
    once = ids(replay(files, Tracking(everything=True)))
    again = ids(replay(list(reversed(files)) + files, Tracking(everything=True)))
    assert once == again
    assert len(once) == 2  # SDF takes it in April, the army in June


def test_reprint_is_no_new_version(tmp_path: Path) -> None:
    (alert,) = replay(write(tmp_path, a=FIRST, c=REPRINT), Tracking(everything=True))
    assert (alert.version, alert.status) == (1, "claimed")
    assert len(alert.sources) == 1  # the copy read second is recorded, not listed


def test_conflicting_claim_is_contested(tmp_path: Path) -> None:
    (alert,) = replay(write(tmp_path, a=FIRST, d=OTHER_SIDE), Tracking(everything=True))
    assert alert.status == "contested" and alert.to_side == "kurdish-led"
    assert {s.claims for s in alert.sources} == {"kurdish-led", "islamic-state"}


def test_untracked_places_raise_nothing(tmp_path: Path) -> None:
    assert replay(write(tmp_path, a=FIRST), Tracking.parse(["Tal Majdal"])) == []
    assert len(replay(write(tmp_path, a=FIRST), Tracking.parse(["Kharrata"]))) == 1


def test_bad_files_are_reported_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text("{oops\n")
    errors: list[str] = []
    alerts = replay([*write(tmp_path, a=FIRST), str(tmp_path / "bad.jsonl")], Tracking(everything=True), errors=errors)
    assert len(alerts) == 1 and len(errors) == 1 and "not JSON" in errors[0]
