"""kill -9 a service in the middle of a stream and restart it: no accepted report lost, no alert twice."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.conftest import wait_until_or_false
from tests.e2e.stream import final, submit, villages, write_reports
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

    def settled() -> bool:
        return final([orjson.loads(v) for _, v in alerts.poll()]) == expected

    if not wait_until_or_false(settled, 150):
        got = final([orjson.loads(v) for _, v in alerts.messages])
        wrong = {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
        raise AssertionError(f"alerts not at their final versions (expected, got): {wrong}")
    published = [(a["alert_id"], a["version"]) for a in (orjson.loads(v) for _, v in alerts.poll())]
    twice = sorted(p for p in set(published) if published.count(p) > 1)
    assert not twice, f"published twice: {twice}; all: {published}"
