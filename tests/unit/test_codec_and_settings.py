"""Message validation against the versioned schemas, and settings from the environment."""

from __future__ import annotations

import orjson
import pytest

from villagewatch import codec
from villagewatch.models import Event, Place
from villagewatch.settings import ENV_NAMES, Settings


def test_event_round_trip_validates() -> None:
    e = Event("e-1", "r-1", "control_change", Place("Masoom", "x-SY08-msm"), ("government",), "text",
              new_controller="government")
    raw = codec.encode("event", e.to_dict())
    assert Event.from_dict(codec.decode("event", raw)) == e


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"not json", "not JSON"),
        (None, "empty message"),
        (orjson.dumps({"report_id": "r", "text": ""}), "report.v1 schema: at text"),
        (orjson.dumps({"text": "x"}), "'report_id' is a required property"),
    ],
)
def test_invalid_messages_have_reasons(raw: bytes | None, reason: str) -> None:
    with pytest.raises(codec.InvalidMessage, match=reason):
        codec.decode("report", raw)


def test_control_change_needs_a_side() -> None:
    bad = {"event_id": "e", "report_id": "r", "type": "control_change", "place": None, "actors": [],
           "evidence": "", "verified": False, "certainty": "claimed", "new_controller": "martians"}
    with pytest.raises(codec.InvalidMessage):
        codec.check("event", bad)


def test_deadletter_keeps_original_bytes() -> None:
    record = orjson.loads(codec.deadletter_record("enrich", "t", "why", b"\xff\x00"))
    assert record["original_hex"] == "ff00" and record["reason"] == "why"


def test_settings_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VILLAGEWATCH_PARTITIONS", "12")
    monkeypatch.setenv("VILLAGEWATCH_TOPIC_PREFIX", "x.")
    monkeypatch.setenv("VILLAGEWATCH_BOOTSTRAP_SERVERS", "kafka:9092")
    s = Settings.from_env()
    assert (s.partitions, s.topic("alerts"), s.bootstrap) == (12, "x.alerts", "kafka:9092")
    assert "VILLAGEWATCH_INGEST_PORT" in ENV_NAMES
    assert Settings.from_env() == Settings(**{**s.__dict__})
