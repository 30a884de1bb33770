"""The whole system as separate processes on the real broker: report in, alert out, exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import orjson
from kafka import KafkaProducer

from tests.conftest import wait_until
from villagewatch.settings import Settings

SAMPLES = Path(__file__).resolve().parents[2] / "services" / "villagewatch" / "samples"
SEVEN = {"Masoom", "Hanash", "Uwaina", "Hajj Hasan", "Tappa", "Marouf", "Nasrat"}


def cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "villagewatch.cli", *args], env={**os.environ, **settings.env()},
                          capture_output=True, text=True, timeout=120)


def test_sample_report_alerts_once_per_village(settings: Settings, system, topic, tmp_path: Path) -> None:
    system(tracked_file=str(SAMPLES / "tracked.conf"), partitions=1)  # one partition: a strict order
    s = settings
    alerts, dead = topic("alerts"), topic("deadletter")

    done = cli(s, "submit", str(SAMPLES / "hasakah-sample.txt"))
    assert done.returncode == 0, done.stderr
    assert "accepted" in done.stdout

    first = [orjson.loads(v) for _, v in alerts.wait_for(7)]
    assert {a["place"]["name"] for a in first} == SEVEN
    assert all(a["to"] == "government" and a["from"] is None and a["verified"] is False for a in first)
    assert all(a["version"] == 1 and a["status"] == "claimed" for a in first)
    assert all("could not verify" not in a["sources"][0]["evidence"] for a in first)

    # The same report again, over HTTP this time; then bad input into two topics; then a new change.
    req = urllib.request.Request(f"http://127.0.0.1:{s.ingest_port}/reports",
                                 data=(SAMPLES / "hasakah-sample.txt").read_bytes(),
                                 headers={"Content-Type": "text/plain"}, method="POST")
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.status == 202
    producer = KafkaProducer(bootstrap_servers=s.bootstrap)
    producer.send(s.topic("reports.raw"), b"{broken").get(30)
    producer.send(s.topic("events"), key=b"x", value=orjson.dumps({"type": "control_change"})).get(30)
    producer.close()
    sentinel = tmp_path / "sentinel.txt"
    sentinel.write_text("DATE: 2015-06-20\nSOURCE: test desk\n\nLocal activists confirmed that the YPG "
                        "captured the village of Tal Majdal from IS on Friday, after two days of fighting.\n")
    assert cli(s, "submit", str(sentinel)).returncode == 0

    everything = [orjson.loads(v) for _, v in alerts.wait_for(8)]
    last = everything[-1]
    assert last["place"]["name"] == "Tal Majdal" and last["place"]["pcode"] == "C4343"
    assert (last["from"], last["to"], last["verified"]) == ("islamic-state", "kurdish-led", True)
    assert len(everything) == 8, "the resubmitted report produced another alert"
    assert len({(a["alert_id"], a["version"]) for a in everything}) == 8

    letters = [orjson.loads(v) for _, v in dead.wait_for(2)]
    assert {d["service"] for d in letters} == {"ingest", "alert"}
    assert not [d for d in letters if d["reason"].startswith("internal error")], letters

    shown = cli(s, "subscribe", "--from-beginning", "--max", "8", "--timeout", "30")
    printed = [orjson.loads(line) for line in shown.stdout.splitlines()]
    assert [a["alert_id"] for a in printed] == [a["alert_id"] for a in everything]
    only = cli(s, "subscribe", "--from-beginning", "--place", "Tal Majdal", "--side", "kurdish-led", "--timeout", "5")
    assert [orjson.loads(line)["place"]["pcode"] for line in only.stdout.splitlines()] == ["C4343"]

    # The present picture, from the compacted village-state topic.
    states = {k.decode(): orjson.loads(v) for k, v in topic("village-state").wait_for(8)}
    assert states["C4343"]["controller"] == "kurdish-led"
    assert states["x-SY08-msm"]["controller"] == "government"

    # A later report that the change did not happen retracts the alert and restores the controller.
    denial = tmp_path / "denial.txt"
    denial.write_text("DATE: 2015-06-21\nSOURCE: another desk\n\nTal Majdal did not fall to the YPG, residents "
                      "of the village told us by phone on Saturday.\n")
    assert cli(s, "submit", str(denial)).returncode == 0
    everything = [orjson.loads(v) for _, v in alerts.wait_for(9)]
    retraction = everything[-1]
    assert (retraction["alert_id"], retraction["version"], retraction["status"]) == (last["alert_id"], 2, "retracted")
    assert retraction["sources"][-1]["denies"] is True
    wait_until(lambda: {k.decode(): orjson.loads(v) for k, v in topic("village-state").poll()}
               .get("C4343", {}).get("controller") == "islamic-state", 30, what="Tal Majdal back to IS")

    # Offline replay runs the same steps: the same alerts, the same versions.
    offline = cli(s, "replay", str(SAMPLES / "hasakah-sample.txt"), str(sentinel), str(denial))
    assert offline.returncode == 0, offline.stderr

    def final(alerts: list[dict]) -> dict[str, tuple]:
        latest: dict[str, dict] = {}
        for a in alerts:
            if a["version"] >= latest.get(a["alert_id"], {"version": 0})["version"]:
                latest[a["alert_id"]] = a
        return {i: (a["from"], a["to"], a["version"], a["status"], a["verified"]) for i, a in latest.items()}

    assert final([orjson.loads(line) for line in offline.stdout.splitlines()]) == final(everything)


def test_extract_cli_contract() -> None:
    out = subprocess.run([sys.executable, "-m", "villagewatch.cli", "extract", str(SAMPLES / "hasakah-sample.txt")],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    doc = orjson.loads(out.splitlines()[0])
    assert set(doc) >= {"report_id", "published", "control_changes", "events"}
    assert {c["place"] for c in doc["control_changes"]} == SEVEN
    change = doc["control_changes"][0]
    assert set(change) >= {"place", "place_pcode", "new_controller", "previous_controller", "verified", "evidence"}
    assert {e["type"] for e in doc["events"]} >= {"shelling", "clash", "control_held"}
