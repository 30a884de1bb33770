"""Follows the compacted `tracking` topic in a thread, so `villagewatch track add|remove` takes effect
in a running alert service without a restart."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

import orjson
from kafka import KafkaConsumer, TopicPartition

from villagewatch.alert.tracking import Tracking

log = logging.getLogger("villagewatch")

RETRY_FIRST = 1.0  # seconds before a failed reader is opened again, doubling: a broker restart takes ~10 s
RETRY_MAX = 30.0  # never longer: a `track add` should not wait minutes once the broker is back


class TrackingFeed:
    """The current Tracking: the config file plus everything said on the tracking topic so far."""

    def __init__(self, bootstrap: str, topic: str, path: str | Path | None,
                 security: dict[str, Any] | None = None) -> None:
        self.bootstrap = bootstrap
        self.security = security or {}  # SASL/TLS arguments (kafka.security.kafka_python_kwargs)
        self.topic = topic
        self.path = path
        self.runtime: dict[str, tuple[str, bool]] = {}
        self.current = Tracking.combine(path, {})
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._follow, name="tracking-feed", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def entries(self) -> dict[str, dict[str, object]]:
        return {k: {"entry": e, "tracked": t} for k, (e, t) in sorted(self.runtime.items())}

    def _follow(self) -> None:
        """Follow the topic until stopped; a reader that fails is opened again after a pause, keeping the last
        known tracking meanwhile (kafka-python rides out a broker restart itself; this is for what it raises)."""
        pause = RETRY_FIRST
        while not self.stopping.is_set():
            try:
                self._read()
            except Exception:  # noqa: BLE001 - keep the last known tracking rather than kill the service
                log.exception("tracking feed failed: keeping the last known tracking, reading again in %.0f s", pause)
                self.stopping.wait(pause)
                pause = min(pause * 2, RETRY_MAX)

    def _read(self) -> None:
        """Read the compacted topic from its start into a fresh table, put it in place once read to the end
        (so an entry removed meanwhile is gone, and a half-read topic never stands), then follow it."""
        consumer, tp, end = _from_start(self.bootstrap, self.topic, self.security)
        try:
            said: dict[str, tuple[str, bool]] = {}
            while not self.stopping.is_set():
                for records in consumer.poll(timeout_ms=500).values():
                    for r in records:
                        _apply(said, r.key.decode() if r.key else "", r.value, r.offset)
                if consumer.position(tp) >= end and said != self.runtime:
                    self.runtime = dict(said)
                    self.current = Tracking.combine(self.path, self.runtime)
                    log.info("tracking updated: %d runtime entries", len(self.runtime))
        finally:
            consumer.close()


def _from_start(bootstrap: str, topic: str, security: dict[str, Any]) -> tuple[KafkaConsumer, TopicPartition, int]:
    """A reader of the topic's one partition at its start, and the partition's end offset now."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None,
                             isolation_level="read_committed", **security)
    tp = TopicPartition(topic, 0)
    try:
        consumer.assign([tp])
        consumer.seek_to_beginning()
        return consumer, tp, consumer.end_offsets([tp])[tp]
    except Exception:
        consumer.close()
        raise


def read_once(bootstrap: str, topic: str, security: dict[str, Any] | None = None,
              timeout: float = 30.0) -> dict[str, tuple[str, bool]]:
    """What the tracking topic says now, read to its end (each entry's last word): `villagewatch track list`."""
    consumer, tp, end = _from_start(bootstrap, topic, security or {})
    try:
        said: dict[str, tuple[str, bool]] = {}
        deadline = time.monotonic() + timeout
        while consumer.position(tp) < end:
            if time.monotonic() > deadline:
                raise TimeoutError(f"could not read {topic} to its end within {timeout:.0f} s")
            for records in consumer.poll(timeout_ms=500).values():
                for r in records:
                    _apply(said, r.key.decode() if r.key else "", r.value, r.offset)
        return said
    finally:
        consumer.close()


def _apply(said: dict[str, tuple[str, bool]], key: str, value: bytes | None, offset: int) -> None:
    """One record into `said`: an entry said, or a tombstone. One that cannot be read is skipped with a
    warning (it would fail again on every re-read)."""
    if value is None:
        said.pop(key, None)
        return
    try:
        record = orjson.loads(value)
        said[key] = (str(record["entry"]), bool(record["tracked"]))
    except (orjson.JSONDecodeError, KeyError, TypeError):
        log.warning("tracking: unreadable record at offset %d skipped: %r", offset, value[:200])
