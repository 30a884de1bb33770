"""kill -9 a service in the middle of a stream and restart it: no accepted report lost, no alert twice."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tests.conftest import wait_until_or_false
from tests.e2e.stream import assert_exactly_final, post_until_accepted, submit, villages, write_reports
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


def test_kill_9_ingest_while_reports_are_posted(settings: Settings, system, topic, tmp_path: Path) -> None:
    """Reports keep arriving over HTTP while ingest is killed and restarted: every report the client got a
    202 for, and every one it had to send again, becomes its alert once, as an offline replay gives."""
    files = write_reports(tmp_path, villages(12))
    expected = {a.alert_id: a.version for a in replay([str(f) for f in files], Tracking(everything=True))}

    running = system()
    alerts = topic("alerts")
    url = f"http://127.0.0.1:{settings.ingest_port}/reports"
    deadline = time.monotonic() + 180
    answers: list[tuple[int, int]] = []

    killed = threading.Event()

    def client() -> None:
        for i, f in enumerate(files):
            if i == 3:  # the rest arrive while ingest is down and restarting
                assert killed.wait(timeout=60), "ingest was not killed"
            answers.append(post_until_accepted(url, f.read_bytes(), deadline))

    poster = threading.Thread(target=client)
    poster.start()
    assert wait_until_or_false(lambda: len(answers) >= 3, 60), "no report accepted before the kill"
    ingest = running.procs["ingest"]
    ingest.kill()  # kill -9, then let the client go on while it is down
    ingest.wait()
    killed.set()
    running.crash_and_restart("ingest")  # (already dead: starts it again and waits until it is ready)
    poster.join(timeout=200)
    assert not poster.is_alive() and [status for status, _ in answers] == [202] * len(files)
    assert sum(tries for _, tries in answers) > len(files), "the kill fell outside the stream: nothing was retried"
    assert_exactly_final(alerts, expected)
