"""The alert service's tracking feed (a kafka-python reader of the compacted `tracking` topic, in a thread) lives
through the broker being stopped and started again: what was said before is kept meanwhile, and a `track add`
said after the restart takes effect without restarting anything (issue 13: every part recovers by itself)."""

from __future__ import annotations

import time
import uuid

import orjson
from kafka import KafkaProducer

from tests.conftest import wait_until
from villagewatch.alert.tracking import entry_key
from villagewatch.alert.tracking_feed import TrackingFeed, read_once
from villagewatch.kafka.admin import ensure_topics
from villagewatch.kafka.local import LocalKafka
from villagewatch.models import Place
from villagewatch.settings import Settings

HANASH = Place("Hanash", "x-SY08-hnx", admin1="Al-Hasakeh")
MAJDAL = Place("Tal Majdal", "C4343", pcode="C4343", admin1="Al-Hasakeh")
OUTAGE = 10.0  # seconds the broker stays down: several of kafka-python's reconnect attempts


def say(settings: Settings, entry: str) -> None:
    """What `villagewatch track add ENTRY` writes."""
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap, acks="all")
    producer.send(settings.topic("tracking"), key=entry_key(entry).encode(), partition=0,
                  value=orjson.dumps({"entry": entry, "tracked": True})).get(30)
    producer.close()


def test_tracking_said_after_a_broker_restart_reaches_the_running_feed(own_broker: LocalKafka) -> None:
    settings = Settings(bootstrap_servers=own_broker.bootstrap, topic_prefix=f"t{uuid.uuid4().hex[:10]}.")
    ensure_topics(settings)
    feed = TrackingFeed(settings.bootstrap, settings.topic("tracking"), None)
    feed.start()
    try:
        say(settings, "Hanash")
        wait_until(lambda: entry_key("Hanash") in feed.entries(), 30, what="the first entry")  # (before: everything)
        assert feed.current.tracks(HANASH) and not feed.current.tracks(MAJDAL)

        assert own_broker.stop()
        down_at = time.monotonic()
        while time.monotonic() - down_at < OUTAGE:  # meanwhile the last known tracking holds, the thread lives
            assert feed.current.tracks(HANASH) and not feed.current.tracks(MAJDAL) and feed.thread.is_alive()
            time.sleep(0.5)
        own_broker.start()

        say(settings, "Tal Majdal")
        wait_until(lambda: feed.current.tracks(MAJDAL), 90, what="the entry said after the restart")
        assert feed.current.tracks(HANASH) and feed.thread.is_alive()
    finally:
        feed.stopping.set()
        feed.thread.join(10)


def test_an_unreadable_tracking_record_is_skipped_by_the_feed_and_by_track_list(settings: Settings) -> None:
    ensure_topics(settings)
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap, acks="all")
    for value in (b"not json", b'{"entry": "Hanash"}', b"[1, 2]"):
        producer.send(settings.topic("tracking"), key=b"junk", value=value, partition=0).get(30)
    producer.close()
    say(settings, "Tal Majdal")
    feed = TrackingFeed(settings.bootstrap, settings.topic("tracking"), None)
    feed.start()
    try:
        wait_until(lambda: feed.entries(), 30, what="the entry after the unreadable ones")
        assert list(feed.entries()) == [entry_key("Tal Majdal")] and feed.thread.is_alive()
        assert feed.current.tracks(MAJDAL) and not feed.current.tracks(HANASH)
        said = read_once(settings.bootstrap, settings.topic("tracking"))  # what `track list` shows
        assert said == {entry_key("Tal Majdal"): ("Tal Majdal", True)}
    finally:
        feed.stopping.set()
        feed.thread.join(10)
