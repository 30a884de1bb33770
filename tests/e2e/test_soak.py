"""A soak: reports posted at a steady rate for minutes while one service after another is killed (-9) every
two minutes and started again; every report accounted for (issue 13).

Not part of the normal run (it takes as long as it is told to). Run it with
`SOAK_SECONDS=600 .venv/bin/pytest -m soak -s tests/e2e/test_soak.py` (10 minutes of load, then the wait for
the last alerts); -s prints the counts.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from tests.e2e.stream import assert_exactly_final, post_until_accepted, villages, write_reports
from villagewatch.alert.tracking import Tracking
from villagewatch.pipeline import replay
from villagewatch.settings import Settings
from villagewatch.supervisor import SERVICES

SECONDS = float(os.environ.get("SOAK_SECONDS", "0"))
RATE = 3.0  # reports a second: steady, well under the pipeline's sustained rate, so backlog is the kills'
KILL_EVERY = 120.0  # seconds between two kills, the services in turn

pytestmark = [pytest.mark.soak, pytest.mark.skipif(SECONDS <= 0, reason="a soak runs only when SOAK_SECONDS is set")]

ALL_GOVERNORATES = tuple(f"SY{n:02d}" for n in range(1, 15))


def test_soak_with_a_kill_every_two_minutes(settings: Settings, system, topic, tmp_path: Path) -> None:
    wanted = int(SECONDS * RATE / 1.5) + 1  # each village gets one report, every other one a second
    files = write_reports(tmp_path, villages(wanted, ALL_GOVERNORATES))[: int(SECONDS * RATE)]
    expected = {a.alert_id: a.version for a in replay([str(f) for f in files], Tracking(everything=True))}

    running = system()
    alerts = topic("alerts")
    url = f"http://127.0.0.1:{settings.ingest_port}/reports"
    answers: list[tuple[int, int]] = []
    started = time.monotonic()

    def client() -> None:
        for i, f in enumerate(files):
            answers.append(post_until_accepted(url, f.read_bytes(), started + SECONDS + 300))
            lag = started + (i + 1) / RATE - time.monotonic()
            if lag > 0:
                stop.wait(lag)  # the steady rate, not a guess at a condition

    stop = threading.Event()
    poster = threading.Thread(target=client)
    poster.start()
    kills: list[str] = []
    while poster.is_alive() and not stop.wait(min(KILL_EVERY, max(0.0, started + SECONDS - time.monotonic()))):
        if time.monotonic() - started >= SECONDS - 1:
            break
        victim = SERVICES[len(kills) % len(SERVICES)]
        print(f"\nsoak: kill -9 {victim} at {time.monotonic() - started:.0f} s, {len(answers)} reports posted",
              flush=True)
        running.crash_and_restart(victim)
        kills.append(victim)
    poster.join(timeout=SECONDS + 600)

    assert not poster.is_alive()
    assert [status for status, _ in answers] == [202] * len(files)
    assert_exactly_final(alerts, expected, timeout=600)
    retried = sum(tries for _, tries in answers) - len(files)
    print(f"\nsoak: {len(files)} reports posted over {time.monotonic() - started:.0f} s, all accepted "
          f"({retried} POSTs retried); kills: {', '.join(kills)}; {len(expected)} alerts at their replayed "
          f"versions ({sum(expected.values())} versions), none published twice")
    assert len(kills) >= int(SECONDS // KILL_EVERY) - 1
