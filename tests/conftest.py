"""Shared fixtures: one real local Kafka broker per test session, unique topics per test."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from villagewatch.kafka.local import LocalKafka, free_port
from villagewatch.settings import Settings

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
JAR_CACHE = Path(os.environ.get("VILLAGEWATCH_HOME", Path.home() / ".cache" / "villagewatch"))


@pytest.fixture(scope="session")
def kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalKafka]:
    """A real Apache Kafka (KRaft) from its jars, on an ephemeral port, for the whole session."""
    broker = LocalKafka(
        version=Settings().kafka_version,
        home=JAR_CACHE,
        port=free_port(),
        data=tmp_path_factory.mktemp("kafka"),
    )
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[LocalKafka]:
    """A broker of the test's own, on free ports, with its data in the test's temp dir: for tests that stop
    it (the session broker is shared by other tests and must not stop)."""
    broker = LocalKafka(version=Settings().kafka_version, home=JAR_CACHE, port=free_port(),
                        controller_port=free_port(), data=tmp_path / "kafka")
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
def settings(kafka: LocalKafka, tmp_path: Path) -> Settings:
    """Settings for one test: its own topic prefix, state dir and service ports."""
    return replace(
        Settings(),
        bootstrap_servers=kafka.bootstrap,
        home=tmp_path / "home",
        state_dir=tmp_path / "state",
        topic_prefix=f"t{uuid.uuid4().hex[:10]}.",
        ingest_port=free_port(),
        enrich_port=free_port(),
        alert_port=free_port(),
        partitions=3,
        session_timeout=6.0,
    )


def wait_until(check: Callable[[], object], timeout: float = 60.0, interval: float = 0.2, what: str = "") -> object:
    """Poll `check` until it returns something truthy; fail the test at the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout:.0f}s waiting for {what or check}")


def wait_until_or_false(check: Callable[[], object], timeout: float, interval: float = 0.3) -> bool:
    """Like wait_until, but returns False at the deadline so the caller can say what was wrong."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(interval)
    return False


@pytest.fixture
def labelled_train_reports() -> Path:
    """The labelled reports the reader may be tuned on; the test is skipped where shared data is absent."""
    path = SHARED_DATA / "reports" / "train"
    if not path.is_dir():
        pytest.skip(f"labelled reports not found at {path} (they live in ../shared/data, outside the repo)")
    return path


def end_offsets(settings: Settings, name: str) -> int:
    """How many records the topic holds now (its end offsets summed): what a producer that has returned wrote,
    with no wait for delivery to a reader."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap, group_id=None)
    try:
        tps = [TopicPartition(settings.topic(name), p) for p in consumer.partitions_for_topic(settings.topic(name))]
        return sum(consumer.end_offsets(tps).values())
    finally:
        consumer.close()


class Topic:
    """Reads one topic from the beginning, accumulating what has arrived (kafka-python, a real client)."""

    def __init__(self, settings: Settings, name: str) -> None:
        from kafka import KafkaConsumer

        self.consumer = KafkaConsumer(
            settings.topic(name), bootstrap_servers=settings.bootstrap, auto_offset_reset="earliest",
            enable_auto_commit=False, group_id=None, isolation_level="read_committed",
        )
        self.messages: list[tuple[bytes | None, bytes | None]] = []

    def poll(self) -> list[tuple[bytes | None, bytes | None]]:
        for records in self.consumer.poll(timeout_ms=300).values():
            self.messages.extend((r.key, r.value) for r in records)
        return self.messages

    def wait_for(self, count: int, timeout: float = 90.0) -> list[tuple[bytes | None, bytes | None]]:
        wait_until(lambda: len(self.poll()) >= count, timeout, what=f"{count} message(s)")
        return self.messages

    def close(self) -> None:
        self.consumer.close()


@pytest.fixture
def topic(settings: Settings) -> Iterator[Callable[[str], Topic]]:
    opened: list[Topic] = []

    def open_topic(name: str) -> Topic:
        t = Topic(settings, name)
        opened.append(t)
        return t

    yield open_topic
    for t in opened:
        t.close()


@pytest.fixture
def system(settings: Settings) -> Iterator[Callable[..., object]]:
    """Start some or all services as separate processes against the test broker; stop them after."""
    from villagewatch.supervisor import SERVICES, System

    started: list[System] = []

    def start(*names: str, **overrides: object) -> System:
        s = replace(settings, **overrides) if overrides else settings
        sysm = System(s, services=names or SERVICES)
        sysm.start(timeout=120, say=False)
        started.append(sysm)
        return sysm

    yield start
    for sysm in started:
        sysm.stop()
