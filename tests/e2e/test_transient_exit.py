"""A transient failure that outlasts its retries, end to end (issue 13): the alert worker retries it with backoff,
then exits with EX_TEMPFAIL without acking the event; its supervisor starts it again, the event is read again
from the committed offset and becomes its alert, once; nothing is dead-lettered.

The failure is injected (`tests/e2e/flaky_alert.py`: the worker's read of the published alerts raises
`ConnectionError` while a file exists), so that it outlasts the retries for certain, with the broker up.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import end_offsets, wait_until_or_false
from tests.e2e.stream import assert_exactly_final, submit, villages, write_reports
from villagewatch.alert.tracking import Tracking
from villagewatch.pipeline import replay
from villagewatch.runtime import BACKOFF, EXIT_TEMPFAIL
from villagewatch.settings import Settings
from villagewatch.supervisor import System

ROOT = Path(__file__).resolve().parents[2]


def start_flaky_alert(running: System, fault_file: Path) -> subprocess.Popen[bytes]:
    """The alert worker with the injected fault, in `running`'s place for alert (so its supervisor sees it)."""
    s = running.settings
    log = (running.logdir / f"{s.topic_prefix}alert.log").open("ab")
    proc = subprocess.Popen([sys.executable, "-m", "tests.e2e.flaky_alert"], cwd=ROOT,
                            env={**os.environ, **s.env(), "VILLAGEWATCH_TEST_FAULT_FILE": str(fault_file)},
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    running.procs["alert"] = proc
    return proc


def test_transient_failure_outlasting_retries_exits_and_the_restarted_worker_reads_the_event_again(
        settings: Settings, system, topic, tmp_path: Path) -> None:
    files = write_reports(tmp_path, villages(2))
    expected = {a.alert_id: a.version for a in replay([str(f) for f in files], Tracking(everything=True))}
    assert len(expected) == 2

    running = system("ingest", "enrich")
    fault = tmp_path / "cut-off"
    fault.touch()
    flaky = start_flaky_alert(running, fault)
    alerts = topic("alerts")
    submit(settings, files)

    retries = sum(min(BACKOFF.cap, BACKOFF.base * 2 ** i) for i in range(BACKOFF.attempts - 1))
    assert wait_until_or_false(lambda: flaky.poll() is not None, 120 + retries), "alert never gave up"
    assert flaky.returncode == EXIT_TEMPFAIL
    log = (running.logdir / f"{settings.topic_prefix}alert.log").read_text(errors="replace")
    assert "outlasted its retries" in log and "injected by the test" in log
    assert alerts.poll() == [], "an alert came out while its read of the published alerts was failing"

    fault.unlink()
    t0 = time.monotonic()
    assert running.restart_exited() == ["alert"]  # as `villagewatch up` (or compose's restart policy) does
    assert_exactly_final(alerts, expected)
    print(f"\nalert exited {EXIT_TEMPFAIL} after ~{retries:.1f} s of retries; restarted, its alerts out in "
          f"{time.monotonic() - t0:.1f} s")
    assert end_offsets(settings, "deadletter") == 0
