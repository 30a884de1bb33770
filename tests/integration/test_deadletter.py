"""`villagewatch deadletter list|replay` on the real broker: a dead letter is listed with its reason and sent back
to its original topic with its original key and bytes, byte for byte; what is not ours is never sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
import pytest

from tests.conftest import end_offsets
from villagewatch import cli
from villagewatch.codec import deadletter_record
from villagewatch.kafka.admin import ensure_topics, producer
from villagewatch.settings import Settings

RAW = b"\xff\xfe not UTF-8, not JSON \x00 \x01"  # what ingest would dead-letter, kept as hex
EVENT = '{"event_id": "e-1", "text": "Tal Tamr — كردي"}'.encode()  # UTF-8, kept as text


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, [line for line in out.out.splitlines() if line], out.err


def test_list_and_replay_dead_letters(settings: Settings, topic, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    for name, value in settings.env().items():
        monkeypatch.setenv(name, value)
    ensure_topics(settings)
    before = datetime.now(UTC) - timedelta(seconds=5)
    send = producer(settings)
    dead = settings.topic("deadletter")
    send.send(dead, key=b"r-raw-key", value=deadletter_record("ingest", settings.topic("reports.raw"),
                                                              "not JSON: unexpected byte", RAW)).get(30)
    send.send(dead, key=b"e-key", value=deadletter_record("alert", settings.topic("events"),
                                                          "internal error: KeyError: 'x'", EVENT)).get(30)
    send.send(dead, key=None, value=deadletter_record("ingest", "somebody-elses-topic", "why", b"x")).get(30)
    send.send(dead, key=None, value=b"not a dead letter at all").get(30)
    send.close()

    code, lines, _ = run(capsys, "deadletter", "list", "--json")
    assert code == 0 and len(lines) == 4
    listed = {d["key"]: d for d in map(orjson.loads, lines)}
    raw = listed["r-raw-key"]
    assert (raw["service"], raw["topic"], raw["original"]) == ("ingest", settings.topic("reports.raw"), None)
    assert bytes.fromhex(raw["original_hex"]) == RAW and raw["reason"].startswith("not JSON")
    assert listed["e-key"]["original"].encode() == EVENT
    assert datetime.fromisoformat(raw["timestamp"].replace("Z", "+00:00")) >= before
    assert any(d["problem"] and d["problem"].startswith("unreadable") for d in listed.values())

    code, lines, _ = run(capsys, "deadletter", "list", "--topic", "reports.raw")
    assert code == 0 and len(lines) == 1 and "ingest" in lines[0] and "not JSON" in lines[0]
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    code, lines, _ = run(capsys, "deadletter", "list", "--json", "--since", later)
    assert code == 0 and lines == []
    code, lines, _ = run(capsys, "deadletter", "list", "--json", "--since", before.isoformat())
    assert len(lines) == 4

    code, lines, _ = run(capsys, "deadletter", "replay", "--topic", "reports.raw", "--dry-run")
    assert code == 0 and len(lines) == 1 and lines[0].startswith("would send")
    assert end_offsets(settings, "reports.raw") == 0  # the CLI has returned: whatever it sent is on the topic

    raw_topic, events = topic("reports.raw"), topic("events")
    code, lines, err = run(capsys, "deadletter", "replay", "--topic", "reports.raw", "--since", before.isoformat())
    assert code == 0 and len(lines) == 1 and "1 dead letter(s) replayed" in err
    assert raw_topic.wait_for(1, timeout=30) == [(b"r-raw-key", RAW)]  # original key and bytes, byte for byte

    code, lines, err = run(capsys, "deadletter", "replay")  # everything: two are not replayable
    assert code == 1 and "2 dead letter(s) replayed, 2 skipped" in err
    assert "is not one of ours" in err and "unreadable" in err
    assert events.wait_for(1, timeout=30) == [(b"e-key", EVENT)]
    assert raw_topic.wait_for(2, timeout=30)[1] == (b"r-raw-key", RAW)
    assert end_offsets(settings, "events") == 1 and end_offsets(settings, "reports.raw") == 2  # nothing more sent
    assert len(events.poll()) == 1 and len(raw_topic.poll()) == 2
