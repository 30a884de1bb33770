"""A transient failure against a real broker: the alert handler's read of what was already published
(`PublishedLog.refresh`, kafka-python) runs while the broker is down, fails with the client's own error,
is retried with backoff by `runtime.guarded`, and succeeds once the broker is back: the message is handled
once, reads what the topic held before the outage, and is never dead-lettered (issue 13)."""

from __future__ import annotations

import asyncio
import threading
import uuid

import orjson
from kafka import KafkaProducer

from villagewatch.alert.published import PublishedLog
from villagewatch.kafka.admin import ensure_topics
from villagewatch.kafka.local import LocalKafka
from villagewatch.models import Alert, Place
from villagewatch.runtime import Backoff, guarded
from villagewatch.settings import Settings

# Waits of 1, 2, 4 and then 8 s (71 s in all): room for the broker to come back (about 10 s here, more on a
# loaded machine).
PATIENT = Backoff(attempts=12, base=1.0, cap=8.0)


class DeadLetters:
    """The dead-letter topic as `guarded` sends to it, recorded (the broker is what is under test here)."""

    def __init__(self) -> None:
        self.deadletter = self
        self.sent: list[bytes] = []

    async def send(self, key: bytes | None, value: bytes) -> None:
        self.sent.append(value)


def test_a_handler_failing_on_a_stopped_broker_is_retried_until_it_is_back(own_broker: LocalKafka) -> None:
    settings = Settings(bootstrap_servers=own_broker.bootstrap, topic_prefix=f"t{uuid.uuid4().hex[:10]}.")
    ensure_topics(settings)
    alert = Alert("a-9", 3, Place("Tal Baydar", "x-SY-tal_bdr"), "opposition", "government", "2016-03-10",
                  "2016-03-10T00:00:00Z", "claimed", 0.4, False)
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap, acks="all")
    producer.send(settings.topic("alerts"), orjson.dumps(alert.to_dict()), partition=0).get(30)
    producer.close()
    published = PublishedLog(settings.bootstrap, settings.topic("alerts"))

    failures: list[BaseException] = []
    first_failure = threading.Event()

    async def handle(raw: bytes | None) -> None:
        try:
            await published.refresh(frozenset({uuid.uuid4().hex}))  # a new assignment: read the topic
        except Exception as exc:
            failures.append(exc)
            first_failure.set()
            raise

    def restart_after_first_failure() -> None:
        if first_failure.wait(60):
            own_broker.start()

    assert own_broker.stop()
    restarter = threading.Thread(target=restart_after_first_failure, daemon=True)
    restarter.start()
    app, gave_up = DeadLetters(), []
    asyncio.run(guarded(app, "alert", settings.topic("events"), b"k", b"{}", handle,  # type: ignore[arg-type]
                        backoff=PATIENT, give_up=lambda service, exc: gave_up.append(exc)))
    restarter.join(5)

    print(f"\n{len(failures)} transient failure(s) before the broker was back: {failures}")
    assert failures, "the handler never met the stopped broker"
    assert all(type(e).__module__.startswith("kafka") for e in failures), failures  # the client's own errors
    assert app.sent == [] and gave_up == []
    assert published.already("a-9", 3) and not published.already("a-9", 4)
