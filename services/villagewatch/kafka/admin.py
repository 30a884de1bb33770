"""Topic creation (idempotent) and the kafka-python clients the CLI and tests use."""

from __future__ import annotations

import time
from collections.abc import Iterator

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from villagewatch.kafka.security import kafka_python_kwargs
from villagewatch.settings import CHANGELOGS, COMPACTED, SINGLE_PARTITION, TOPICS, Settings


def ensure_topics(settings: Settings, timeout: float = 60.0) -> list[str]:
    """Create every villagewatch topic that does not exist yet; return the names created."""
    admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap, request_timeout_ms=10000,
                             **kafka_python_kwargs(settings))
    try:
        compact = {"cleanup.policy": "compact"}
        wanted = {
            settings.topic(t): (1 if t in SINGLE_PARTITION else settings.partitions, compact if t in COMPACTED else {})
            for t in TOPICS
        }
        wanted |= {settings.changelog(service, table): (partitions or settings.partitions, compact)
                   for service, table, partitions in CHANGELOGS}
        existing = set(admin.list_topics())
        missing = [name for name in wanted if name not in existing]
        new = [NewTopic(name, wanted[name][0], settings.replication, topic_configs=wanted[name][1])
               for name in missing]
        if new:
            try:
                admin.create_topics(new)
            except TopicAlreadyExistsError:
                pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not set(wanted) <= set(admin.list_topics()):
            time.sleep(0.2)
        return missing
    finally:
        admin.close()


def producer(settings: Settings) -> KafkaProducer:
    """A producer that waits for every replica: an accepted report is on the broker."""
    return KafkaProducer(bootstrap_servers=settings.bootstrap, acks="all", linger_ms=5, **kafka_python_kwargs(settings))


def consume(
    settings: Settings,
    topic: str,
    *,
    group: str | None = None,
    from_beginning: bool = False,
    idle_timeout: float | None = None,
) -> Iterator[tuple[bytes | None, bytes | None]]:
    """Yield (key, value) of one topic until idle_timeout seconds pass with nothing new."""
    consumer = KafkaConsumer(
        settings.topic(topic),
        bootstrap_servers=settings.bootstrap,
        group_id=group,
        auto_offset_reset="earliest" if from_beginning else "latest",
        enable_auto_commit=group is not None,
        isolation_level="read_committed",
        consumer_timeout_ms=int(idle_timeout * 1000) if idle_timeout else float("inf"),
        **kafka_python_kwargs(settings),
    )
    try:
        for message in consumer:
            yield message.key, message.value
    finally:
        consumer.close()
