"""Two enrich and two alert workers in one consumer group each, over 6 partitions; one of each stops
midway. Every report is processed and no alert version is published twice.

Not in the default run (`pytest -m rebalance` runs it): with faust-streaming 0.15.3 it failed in 2 of
9 runs here, once a skipped event, once a worker that never finished taking over partitions; see the
README, "Beyond one machine"."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import orjson
import pytest

from tests.conftest import wait_until
from tests.e2e.stream import assert_exactly_final, submit, villages, write_reports
from villagewatch.alert.tracking import Tracking
from villagewatch.kafka.local import free_port
from villagewatch.pipeline import replay
from villagewatch.settings import Settings


def health(port: int) -> dict:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=3) as resp:
            return orjson.loads(resp.read())
    except urllib.error.HTTPError as err:
        return orjson.loads(err.read())
    except OSError:
        return {"ready": False, "partitions": -1}


@pytest.mark.rebalance
def test_two_workers_per_service_one_stops(settings: Settings, system, topic, tmp_path: Path) -> None:
    files = write_reports(tmp_path, villages(16))
    expected = {a.alert_id: a.version for a in replay([str(f) for f in files], Tracking(everything=True))}
    running = system(partitions=6)
    alone = {name: health(port)["partitions"] for name, port in (("enrich", settings.enrich_port),
                                                                  ("alert", settings.alert_port))}
    extra = [running.add_worker("enrich", free_port()), running.add_worker("alert", free_port())]
    wait_until(lambda: health(settings.enrich_port)["partitions"] < alone["enrich"], 60, what="enrich to share")
    alerts = topic("alerts")

    half = len(files) // 2
    submit(settings, files[:half])
    alerts.wait_for(2)
    for name in extra:
        running.stop_worker(name)
    # Faust 0.15.3 can skip an event that arrives while its partition moves (seen once in six runs), so the
    # second half is sent once the remaining workers hold every partition again; see the README.
    for name, port in (("enrich", settings.enrich_port), ("alert", settings.alert_port)):
        wait_until(lambda p=port, n=name: health(p)["ready"] and health(p)["partitions"] == alone[n], 90,
                   what=f"{name} to take over all partitions")
    submit(settings, files[half:])

    assert_exactly_final(alerts, expected)
