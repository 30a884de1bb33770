"""Tracking changed at runtime: `villagewatch track add|remove` reaches a running alert service."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import orjson
from kafka import KafkaProducer

from tests.conftest import wait_until
from villagewatch.models import Event, Place
from villagewatch.settings import Settings

HANASH = Place("Hanash", "x-SY08-hnx", admin1="Al-Hasakeh")
MAJDAL = Place("Tal Majdal", "C4343", pcode="C4343", admin1="Al-Hasakeh")


def change(n: int, place: Place, side: str, day: str) -> bytes:
    e = Event(f"e-{n}", f"r-{n}", "control_change", place, (side,), f"report {n}", new_controller=side,
              verified=True, certainty="confirmed", event_date=day, source=f"desk {n}")
    return orjson.dumps(e.to_dict())


def test_track_add_and_remove_at_runtime(settings: Settings, system, topic, tmp_path: Path) -> None:
    tracked = tmp_path / "tracked.conf"
    tracked.write_text("Tal Majdal\n")
    system("alert", tracked_file=str(tracked), partitions=1)
    s = settings
    env = {**os.environ, **s.env(), "VILLAGEWATCH_TRACKED_FILE": str(tracked)}
    alerts = topic("alerts")
    producer = KafkaProducer(bootstrap_servers=s.bootstrap)

    def send(n: int, place: Place, side: str, day: str) -> None:
        producer.send(s.topic("events"), key=place.place_id.encode(), value=change(n, place, side, day)).get(30)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "villagewatch.cli", "track", *args], env=env,
                              capture_output=True, text=True, timeout=60)

    def runtime() -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{s.alert_port}/tracking", timeout=5) as resp:
            return orjson.loads(resp.read())["runtime"]

    send(1, HANASH, "government", "2016-01-01")  # untracked: state only
    send(2, MAJDAL, "islamic-state", "2016-01-01")
    assert [orjson.loads(v)["place"]["name"] for _, v in alerts.wait_for(1)] == ["Tal Majdal"]

    refused = cli("add", "Tal Tawil")
    assert refused.returncode == 2 and "ambiguous" in refused.stderr and "C4421" in refused.stderr
    added = cli("add", "Hanash")
    assert added.returncode == 0 and "not in the gazetteer" in added.stdout
    wait_until(lambda: runtime().get("name:hnx", {}).get("tracked") is True, 30, what="tracking to reach the service")
    send(3, HANASH, "islamic-state", "2016-02-01")
    second = orjson.loads(alerts.wait_for(2)[1][1])
    assert (second["place"]["name"], second["from"], second["to"]) == ("Hanash", "government", "islamic-state")

    assert cli("remove", "Hanash").returncode == 0
    wait_until(lambda: runtime().get("name:hnx", {}).get("tracked") is False, 30, what="untracking to reach it")
    send(4, HANASH, "kurdish-led", "2016-03-01")
    send(5, MAJDAL, "kurdish-led", "2016-03-01")
    names = [orjson.loads(v)["place"]["name"] for _, v in alerts.wait_for(3)]
    assert names == ["Tal Majdal", "Hanash", "Tal Majdal"]
    producer.close()

    listed = cli("list")
    assert listed.returncode == 0
    assert "Tal Majdal\t(file)" in listed.stdout and "Hanash" not in listed.stdout
