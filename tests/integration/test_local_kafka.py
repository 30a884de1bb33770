"""The local broker from Kafka's jars, and idempotent topic creation, against the real thing."""

from __future__ import annotations

from kafka import KafkaAdminClient

from villagewatch.kafka.admin import ensure_topics
from villagewatch.kafka.local import LocalKafka, broker_answers
from villagewatch.settings import TOPICS, Settings


def test_broker_answers_and_start_twice_is_harmless(kafka: LocalKafka) -> None:
    pid = kafka.pid()
    assert broker_answers(kafka.bootstrap)
    assert kafka.start() == kafka.bootstrap
    assert kafka.pid() == pid
    assert "running" in kafka.status()


def test_topics_created_once_with_partitions(settings: Settings) -> None:
    created = ensure_topics(settings)
    assert set(created) >= {settings.topic(t) for t in TOPICS}
    assert settings.changelog("alert", "villages") in created
    assert ensure_topics(settings) == []
    admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap)
    try:
        described = admin.describe_topics([settings.topic("events")])
        assert len(described[0]["partitions"]) == settings.partitions
    finally:
        admin.close()
