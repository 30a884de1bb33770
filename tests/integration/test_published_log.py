"""The alert service's record of what it already published (`alert/published.py`), read from a real alerts
topic: a record on it that is no alert is skipped, not a reason to dead-letter the event being handled."""

from __future__ import annotations

import asyncio

import orjson
from kafka import KafkaProducer

from villagewatch.alert.published import PublishedLog
from villagewatch.kafka.admin import ensure_topics
from villagewatch.models import Alert, Place
from villagewatch.settings import Settings


def test_published_log_skips_what_is_no_alert(settings: Settings) -> None:
    ensure_topics(settings)
    name = settings.topic("alerts")
    alert = Alert("a-1", 2, Place("Tal Baydar", "x-SY-tal_bdr"), "opposition", "government", "2016-03-10",
                  "2016-03-10T00:00:00Z", "claimed", 0.4, False)
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap, acks="all")
    for value in (b"\xff not JSON", b'{"hello": "world"}', orjson.dumps(alert.to_dict())):
        producer.send(name, value, partition=0).get(30)
    producer.close()

    log = PublishedLog(settings.bootstrap, name)
    asyncio.run(log.refresh(frozenset({"p0"})))
    assert log.already("a-1", 2) and not log.already("a-1", 3)
    assert log.newer_than(None, "x-SY-tal_bdr") == alert
