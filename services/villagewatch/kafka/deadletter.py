"""Reading the deadletter topic and sending chosen dead letters back to where they came from.

A dead letter (`codec.deadletter_record`) holds the service that gave up, the topic the message came from, the
reason, and the original bytes (`original` when they were UTF-8, else `original_hex`); its Kafka key is the
original key. Replaying sends exactly those bytes, with that key, to that topic: once the cause is fixed the
message goes through the pipeline as if it had just arrived (a report that was stored meanwhile changes nothing:
same text, same id).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from villagewatch.kafka.security import kafka_python_kwargs
from villagewatch.settings import TOPICS, Settings


@dataclass(frozen=True)
class DeadLetter:
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    service: str | None
    topic: str | None
    reason: str | None
    original: bytes | None  # the message's bytes as they were; None when the record itself is unreadable
    problem: str | None = None  # why this record of the deadletter topic is no dead letter we can read

    @property
    def when(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp_ms / 1000, UTC)

    def to_json(self) -> dict[str, Any]:
        """The record as `deadletter list --json` prints it: the original as text when it is UTF-8, else hex."""
        try:
            text = self.original.decode("utf-8") if self.original is not None else None
        except UnicodeDecodeError:
            text = None
        return {
            "partition": self.partition, "offset": self.offset,
            "timestamp": self.when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "key": _text_or_hex(self.key), "service": self.service, "topic": self.topic, "reason": self.reason,
            "original": text,
            "original_hex": self.original.hex() if self.original is not None and text is None else None,
            "problem": self.problem,
        }


def _text_or_hex(raw: bytes | None) -> str | None:
    if raw is None:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return "hex:" + raw.hex()


def parse(partition: int, offset: int, timestamp_ms: int, key: bytes | None, value: bytes | None) -> DeadLetter:
    """One record of the deadletter topic; one we cannot read is kept with its problem (never replayed)."""
    try:
        record = orjson.loads(value) if value is not None else None
        if not isinstance(record, dict):
            raise ValueError("not a JSON object")
        if record.get("original_hex") is not None:
            original = bytes.fromhex(record["original_hex"])
        elif isinstance(record.get("original"), str):
            original = record["original"].encode("utf-8")
        else:
            raise ValueError("no original bytes")
        return DeadLetter(partition, offset, timestamp_ms, key, record.get("service"), record.get("topic"),
                          record.get("reason"), original)
    except (orjson.JSONDecodeError, ValueError, TypeError) as exc:
        return DeadLetter(partition, offset, timestamp_ms, key, None, None, None, None, f"unreadable: {exc}")


def read(settings: Settings, since: datetime | None = None, timeout: float = 30.0) -> list[DeadLetter]:
    """Every dead letter on the topic (from `since` on, by the time it was dead-lettered), oldest first."""
    from kafka import KafkaConsumer, TopicPartition

    name = settings.topic("deadletter")
    consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap, group_id=None, enable_auto_commit=False,
                             isolation_level="read_committed", **kafka_python_kwargs(settings))
    try:
        partitions = consumer.partitions_for_topic(name)
        if not partitions:
            raise LookupError(f"topic {name} does not exist (run `villagewatch init`)")
        tps = [TopicPartition(name, p) for p in sorted(partitions)]
        consumer.assign(tps)
        end = consumer.end_offsets(tps)
        if since is None:
            consumer.seek_to_beginning(*tps)
        else:
            found = consumer.offsets_for_times({tp: int(since.timestamp() * 1000) for tp in tps})
            for tp in tps:
                consumer.seek(tp, found[tp].offset if found.get(tp) is not None else end[tp])
        letters: list[DeadLetter] = []
        deadline = time.monotonic() + timeout
        while any(consumer.position(tp) < end[tp] for tp in tps):
            if time.monotonic() > deadline:
                raise TimeoutError(f"reading {name} took longer than {timeout:.0f}s")
            for records in consumer.poll(timeout_ms=500).values():
                letters.extend(parse(r.partition, r.offset, r.timestamp, r.key, r.value) for r in records
                               if r.offset < end[TopicPartition(name, r.partition)])
        return sorted(letters, key=lambda d: (d.timestamp_ms, d.partition, d.offset))
    finally:
        consumer.close()


def matches(letter: DeadLetter, settings: Settings, topic: str | None) -> bool:
    """Whether a dead letter came from `topic` (our short name, e.g. reports.raw, or the full name)."""
    return topic is None or letter.topic in (topic, settings.topic(topic))


def replay_target(letter: DeadLetter, settings: Settings) -> str | None:
    """Where a dead letter may go back to: one of this deployment's input topics, never the deadletter topic
    itself; None (with nothing sent) for anything else."""
    ours = {settings.topic(t) for t in TOPICS if t != "deadletter"}
    if letter.problem is not None or letter.original is None or letter.topic not in ours:
        return None
    return letter.topic


def replay(settings: Settings, letters: Iterable[DeadLetter],
           dry_run: bool = False) -> list[tuple[DeadLetter, str | None]]:
    """Send each dead letter's original key and bytes back to its topic (acks=all, waited for); returns each
    letter with where it went, or None when it could not go anywhere (see `replay_target`)."""
    from villagewatch.kafka.admin import producer

    out: list[tuple[DeadLetter, str | None]] = []
    letters = list(letters)
    client = None if dry_run or not letters else producer(settings)
    try:
        for letter in letters:
            target = replay_target(letter, settings)
            if target is not None and client is not None:
                client.send(target, key=letter.key, value=letter.original).get(timeout=30)
            out.append((letter, target))
        if client is not None:
            client.flush()
    finally:
        if client is not None:
            client.close()
    return out
