"""Message validation against the versioned schemas, and settings from the environment."""

from __future__ import annotations

from pathlib import Path

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


def test_every_service_binds_loopback_unless_told(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from villagewatch.runtime import make_app

    defaults = Settings(state_dir=tmp_path)
    assert {defaults.host_of(s) for s in ("ingest", "enrich", "alert")} == {"127.0.0.1"}
    monkeypatch.setenv("VILLAGEWATCH_ENRICH_HOST", "0.0.0.0")
    monkeypatch.setenv("VILLAGEWATCH_STATE_DIR", str(tmp_path))
    s = Settings.from_env()
    assert (s.host_of("ingest"), s.host_of("enrich"), s.host_of("alert")) == ("127.0.0.1", "0.0.0.0", "127.0.0.1")
    assert {"VILLAGEWATCH_INGEST_HOST", "VILLAGEWATCH_ENRICH_HOST", "VILLAGEWATCH_ALERT_HOST"} <= set(ENV_NAMES)
    assert make_app("enrich", s, s.enrich_port).conf.web_bind == "0.0.0.0"
    assert make_app("alert", s, s.alert_port).conf.web_bind == "127.0.0.1"


def test_ingest_token_from_env_or_file_and_never_in_repr(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert Settings().ingest_secret() is None
    monkeypatch.setenv("VILLAGEWATCH_INGEST_TOKEN", "s3cret-value")
    s = Settings.from_env()
    assert s.ingest_secret() == "s3cret-value" and "s3cret-value" not in repr(s)
    monkeypatch.delenv("VILLAGEWATCH_INGEST_TOKEN")
    secret = tmp_path / "token"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("VILLAGEWATCH_INGEST_TOKEN_FILE", str(secret))
    assert Settings.from_env().ingest_secret() == "from-a-file"
    secret.write_text("  \n")
    with pytest.raises(ValueError, match="is empty"):
        Settings.from_env().ingest_secret()
    monkeypatch.setenv("VILLAGEWATCH_INGEST_TOKEN_FILE", str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="cannot read it"):
        Settings.from_env().ingest_secret()
    monkeypatch.setenv("VILLAGEWATCH_INGEST_TOKEN", "both")
    with pytest.raises(ValueError, match="not both"):
        Settings.from_env()


@pytest.mark.parametrize(("raw", "limit"), [("", None), ("20", (20.0, 20.0)), ("20/40", (20.0, 40.0)),
                                            ("0.5", (0.5, 1.0)), (" 2 / 5 ", (2.0, 5.0))])
def test_ingest_rate(raw: str, limit: tuple[float, float] | None) -> None:
    assert Settings(ingest_rate=raw).ingest_rate_limit() == limit


@pytest.mark.parametrize("raw", ["fast", "0", "-1", "20/0", "20/", "/5", "1e3"])
def test_malformed_ingest_rate_is_refused_when_settings_are_read(raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VILLAGEWATCH_INGEST_RATE", raw)
    with pytest.raises(ValueError, match="VILLAGEWATCH_INGEST_RATE must be RATE or RATE/BURST"):
        Settings.from_env()
