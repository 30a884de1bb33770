"""What the alerts topic already holds, so a worker never publishes the same alert version twice, and
resumes from the last published alert of a village when its table state was lost.

Faust's exactly_once mode did not survive `kill -9` in our test (alerts committed, the table and the
offsets not), so after a crash a worker can replay events from stale state. Replayed events give the
same alert ids and versions (the decision is deterministic), so skipping every (alert_id, version) the
topic already has makes the output exactly-once even then. The log is (re)read whenever the worker's
partition assignment changes; alerts are rare, so reading the topic is cheap.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import orjson
from kafka import KafkaConsumer, TopicPartition

from villagewatch.alert.control_state import VillageState
from villagewatch.models import Alert

log = logging.getLogger("villagewatch")


class PublishedLog:
    """Highest published version per alert id, read from the alerts topic (committed records only)."""

    def __init__(self, bootstrap: str, topic: str, security: dict[str, Any] | None = None) -> None:
        self.security = security or {}  # SASL/TLS arguments (kafka.security.kafka_python_kwargs)
        self.bootstrap = bootstrap
        self.topic = topic
        self.versions: dict[str, int] = {}
        self.latest: dict[str, Alert] = {}
        self.loaded_for: frozenset[object] | None = None
        self.lock = asyncio.Lock()

    async def refresh(self, assignment: frozenset[object]) -> None:
        """Re-read the topic when the assignment differs from the one it was last read for."""
        async with self.lock:
            if assignment == self.loaded_for:
                return
            self.versions, self.latest = await self._read()
            self.loaded_for = assignment

    async def _read(self) -> tuple[dict[str, int], dict[str, Alert]]:
        return await asyncio.get_running_loop().run_in_executor(None, self._read_blocking)

    def _read_blocking(self) -> tuple[dict[str, int], dict[str, Alert]]:
        """kafka-python in a thread: a plain assigned consumer, read from the beginning to the end offsets."""
        consumer = KafkaConsumer(bootstrap_servers=self.bootstrap, isolation_level="read_committed",
                                 enable_auto_commit=False, group_id=None, **self.security)
        try:
            partitions = [TopicPartition(self.topic, p) for p in consumer.partitions_for_topic(self.topic) or ()]
            if not partitions:
                return {}, {}
            consumer.assign(partitions)
            consumer.seek_to_beginning(*partitions)
            end = consumer.end_offsets(partitions)
            versions: dict[str, int] = {}
            latest: dict[str, Alert] = {}
            deadline = time.monotonic() + 60
            while any(consumer.position(tp) < end[tp] for tp in partitions):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"could not read {self.topic} to its end within 60 s")
                for records in consumer.poll(timeout_ms=500).values():
                    for r in records:
                        alert = _readable(r.value)
                        if alert is None:
                            continue  # someone else's bytes on our topic: not an alert we published
                        versions[alert.alert_id] = max(versions.get(alert.alert_id, 0), alert.version)
                        latest[alert.place.place_id] = alert
            return versions, latest
        finally:
            consumer.close()

    def already(self, alert_id: str, version: int) -> bool:
        return self.versions.get(alert_id, 0) >= version

    def record(self, alert: Alert) -> None:
        self.versions[alert.alert_id] = max(self.versions.get(alert.alert_id, 0), alert.version)
        self.latest[alert.place.place_id] = alert

    def newer_than(self, state: VillageState | None, place_id: str) -> Alert | None:
        """The last published alert for the place, when the table's state does not know it yet (the table
        lost writes in a crash): the alert service then resumes from the alert instead of the stale state."""
        alert = self.latest.get(place_id)
        if alert is None:
            return None
        known = state.alert if state else None
        if known is None or (known.alert_id == alert.alert_id and known.version < alert.version):
            return alert
        return None


def _readable(raw: bytes | None) -> Alert | None:
    """The alert in a record of the alerts topic, or None for a record that is none (logged, skipped)."""
    try:
        return Alert.from_dict(orjson.loads(raw or b""))
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        log.warning("unreadable record on the alerts topic skipped", extra={"reason": repr(exc)})
        return None
