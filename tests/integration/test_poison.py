"""Poison on every input topic, on the real broker: garbage bytes and JSON that matches no schema, on every
partition of reports.raw (ingest), reports and reports.routed (enrich) and events (alert), then one good
report. Each poison message is dead-lettered by the service that read it, with the reason and its original
bytes, and the good report still becomes alerts: every partition moved on past its poison."""

from __future__ import annotations

from collections import Counter

import orjson
from kafka import KafkaProducer

from tests.conftest import wait_until
from villagewatch.settings import Settings

GARBAGE = b"\xff\xfe\x00 not UTF-8, not JSON"
SCHEMALESS = b'{"hello": "world", "n": [1, 2]}'
READERS = {"reports.raw": "ingest", "reports": "enrich", "reports.routed": "enrich", "events": "alert"}
GOOD = {"report_id": "r-good", "published": "2016-03-10", "source": "test desk",
        "text": "The YPG took control of the villages of Kharrata and Tal Nasri from IS on Monday."}


def test_poison_on_every_input_topic_is_dead_lettered_and_each_partition_moves_on(
        settings: Settings, system, topic) -> None:
    system("ingest", "enrich", "alert")
    dead, alerts = topic("deadletter"), topic("alerts")
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap, acks="all")
    sent: Counter[tuple[str, str, bytes]] = Counter()
    for name, service in READERS.items():
        partitions = producer.partitions_for(settings.topic(name))
        assert partitions, name
        for partition in sorted(partitions):
            for poison in (GARBAGE, SCHEMALESS):
                producer.send(settings.topic(name), poison, partition=partition).get(30)
                sent[(service, settings.topic(name), poison)] += 1
    producer.send(settings.topic("reports.raw"), orjson.dumps(GOOD), key=b"r-good").get(30)
    producer.close()

    def good_alerts() -> set[str]:
        return {orjson.loads(v)["place"]["name"] for _, v in alerts.poll()}

    wait_until(lambda: good_alerts() >= {"Kharrata", "Tal Nasri"}, 150, what="the good report's alerts")
    letters = [orjson.loads(v) for _, v in dead.wait_for(sum(sent.values()), timeout=60)]
    got: Counter[tuple[str, str, bytes]] = Counter()
    for d in letters:
        original = bytes.fromhex(d["original_hex"]) if d["original"] is None else d["original"].encode()
        got[(d["service"], d["topic"], original)] += 1
        expected = "not JSON" if original == GARBAGE else ".v1 schema: at (root)"
        assert expected in d["reason"], d
    assert got == sent, "dead letters differ from the poison sent"
