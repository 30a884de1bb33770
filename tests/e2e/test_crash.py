"""kill -9 a service in the middle of a stream and restart it: no accepted report lost, no alert twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.stream import assert_exactly_final, submit, villages, write_reports
from villagewatch.alert.tracking import Tracking
from villagewatch.pipeline import replay
from villagewatch.settings import Settings


@pytest.mark.parametrize("victim", ["alert", "enrich"])
def test_kill_9_mid_stream(victim: str, settings: Settings, system, topic, tmp_path: Path) -> None:
    files = write_reports(tmp_path, villages(12))
    expected = {a.alert_id: a.version for a in replay([str(f) for f in files], Tracking(everything=True))}
    assert len(expected) == 12 and sorted(set(expected.values())) == [1, 2]

    running = system()
    alerts = topic("alerts")
    half = len(files) // 2
    submit(settings, files[:half])
    alerts.wait_for(2)
    running.crash_and_restart(victim)
    submit(settings, files[half:])

    assert_exactly_final(alerts, expected)
